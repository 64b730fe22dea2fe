package io.eggroll.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzing of the generic event reader: random bytes, and random text made of the characters the
 * format uses, either parse (into events on the sensor) or raise {@link EventFormatException}
 * naming the file, never anything else.
 */
class EventFilesFuzzTest {

    private static Path dir;
    private static EventFiles units;
    private static EventFiles pixels;

    @BeforeContainer
    static void setUp() throws Exception {
        dir = Files.createTempDirectory("eventfuzz");
        Files.writeString(dir.resolve("s.csv"), "");
        Files.createDirectories(dir.resolve("u"));
        Files.writeString(dir.resolve("u/" + EventFiles.MANIFEST), "{\"sensor\": {\"units\": 700}, \"classes\": 2, "
                + "\"samples\": []}");
        units = EventFiles.open(dir.resolve("u"));
        Files.createDirectories(dir.resolve("p"));
        Files.writeString(dir.resolve("p/" + EventFiles.MANIFEST), "{\"sensor\": {\"width\": 34, \"height\": 34, "
                + "\"polarities\": 2}, \"timeUnit\": \"ms\", \"classes\": 10, \"samples\": []}");
        pixels = EventFiles.open(dir.resolve("p"));
    }

    @AfterContainer
    static void tearDown() throws Exception {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Property(tries = 500)
    void sampleFilesParseOrRaiseTheFormatException(@ForAll("eventText") byte[] bytes) {
        for (EventFiles ds : new EventFiles[] {units, pixels}) {
            EventBuffer out = new EventBuffer();
            try {
                ds.readSample(Path.of("fuzz.csv"), bytes, out);
                for (int i = 0; i < out.size(); i++) {
                    assertThat(ds.sensor().contains(out.x(i), out.y(i), out.p(i))).isTrue();
                    assertThat(out.t(i)).isNotNegative();
                }
            } catch (EventFormatException e) {
                assertThat(e.getMessage()).contains("fuzz.csv");
            }
        }
    }

    @Property(tries = 300)
    void manifestsParseOrRaiseTheFormatException(@ForAll("manifestText") byte[] bytes) throws Exception {
        Path mf = dir.resolve(EventFiles.MANIFEST);
        try {
            EventFiles ds = EventFiles.parse(dir, mf, bytes);
            assertThat(ds.classes()).isBetween(2, 256);
        } catch (EventFormatException e) {
            assertThat(e.getMessage()).contains(mf.toString());
        }
    }

    @Provide
    Arbitrary<byte[]> eventText() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        Arbitrary<byte[]> text = Arbitraries.strings().withChars("0123456789,.-+eE# \n\rtunixyp")
                .ofMaxLength(200).map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(random, text);
    }

    @Provide
    Arbitrary<byte[]> manifestText() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        Arbitrary<String> token = Arbitraries.of("{", "}", "[", "]", ",", ":", "\"sensor\"", "\"units\"", "\"width\"",
                "\"height\"", "\"polarities\"", "\"classes\"", "\"samples\"", "\"file\"", "\"label\"", "\"split\"",
                "\"train\"", "\"test\"", "\"s.csv\"", "\"../s.csv\"", "\"/etc/passwd\"", "\"a\"", "\"timeUnit\"",
                "\"ms\"", "\"version\"", "0", "1", "2", "-1", "700", "99999999999", "1.5", "null", "true");
        Arbitrary<byte[]> tokens = token.list().ofMaxSize(40)
                .map(l -> String.join("", l).getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(random, tokens);
    }
}
