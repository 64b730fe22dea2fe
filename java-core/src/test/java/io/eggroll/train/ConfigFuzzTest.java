package io.eggroll.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Fuzzing of the config parser (issue 13, "Tests"): random bytes and mutated valid configs either
 * parse to a valid config or raise {@link TrainConfig.ConfigException} naming the source, never
 * anything else.
 */
class ConfigFuzzTest {

    private static final List<String> VALID = List.of(
            "{}",
            TrainConfig.defaults("nmnist").toJson(),
            TrainConfig.defaults("synthetic").toJson(),
            "{\"es\": {\"population\": 8, \"noise\": \"RADEMACHER\"}, \"optimizer\": {\"learningRate\": 0.01}}",
            "{\"task\": \"synthetic\", \"network\": {\"hidden\": [16, 8], \"readout\": \"MEMBRANE\"},"
                    + " \"data\": {\"workDir\": \"d\", \"windowMs\": 250.5}, \"threads\": 2, \"device\": null}");

    /** What a mutation puts in place of a value. */
    private static final List<String> REPLACEMENTS = List.of("null", "\"x\"", "\"\"", "1e400", "-1e400", "1e300",
            "123456789012345678901234567890", "-1", "0", "-0", "2.5", "1", "{}", "[]", "[null]", "true", "{\"a\": 1}",
            "\"" + "y".repeat(300) + "\"", "NaN", "0.5", "4097", "[1e10]");

    private static final Pattern VALUE = Pattern.compile(
            ":\\s*(\"[^\"]*\"|-?[0-9][0-9.eE+-]*|true|false|null|\\[[^\\]]*\\]|\\{[^{}]*\\})");

    private static final String ALPHABET = "{}[]:,\"0123456789.-+eEtrufalsn \n\\x\u00e9\u0000";

    @Property(tries = 300)
    void randomBytesParseOrRaiseTheConfigException(@ForAll @Size(max = 300) byte[] bytes) throws IOException {
        Path file = Files.createTempFile("fuzz", ".json");
        try {
            Files.write(file, bytes);
            checkLoad(file);
        } finally {
            Files.delete(file);
        }
        check(new String(bytes, StandardCharsets.ISO_8859_1));
    }

    @Property(tries = 300)
    void jsonLikeTextParsesOrRaisesTheConfigException(@ForAll("jsonLike") String text) {
        check(text);
    }

    @Property(tries = 1500)
    void mutatedValidConfigsParseOrRaiseTheConfigException(@ForAll("mutants") String json) {
        check(json);
    }

    @Provide
    Arbitrary<String> jsonLike() {
        return Arbitraries.strings().withChars(ALPHABET.toCharArray()).ofMaxLength(120);
    }

    @Provide
    Arbitrary<String> mutants() {
        return Combinators.combine(Arbitraries.of(VALID), Arbitraries.randoms(), Arbitraries.integers().between(1, 4))
                .as(ConfigFuzzTest::mutate);
    }

    /** {@code times} random edits: flip, delete or insert a character, or replace a value. */
    static String mutate(String json, Random rnd, int times) {
        StringBuilder s = new StringBuilder(json);
        for (int k = 0; k < times; k++) {
            int at = s.isEmpty() ? 0 : rnd.nextInt(s.length());
            switch (rnd.nextInt(4)) {
                case 0 -> {
                    if (!s.isEmpty()) {
                        s.setCharAt(at, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
                    }
                }
                case 1 -> {
                    if (!s.isEmpty()) {
                        s.deleteCharAt(at);
                    }
                }
                case 2 -> s.insert(at, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
                default -> replaceValue(s, rnd);
            }
        }
        return s.toString();
    }

    private static void replaceValue(StringBuilder s, Random rnd) {
        Matcher m = VALUE.matcher(s);
        List<int[]> spans = new ArrayList<>();
        while (m.find()) {
            spans.add(new int[] {m.start(1), m.end(1)});
        }
        if (!spans.isEmpty()) {
            int[] span = spans.get(rnd.nextInt(spans.size()));
            s.replace(span[0], span[1], REPLACEMENTS.get(rnd.nextInt(REPLACEMENTS.size())));
        }
    }

    private static void check(String json) {
        TrainConfig c;
        try {
            c = TrainConfig.fromJson(json, "fuzz.json");
        } catch (TrainConfig.ConfigException e) {
            assertThat(e.getMessage()).startsWith("fuzz.json: ");
            return;
        }
        c.validate();
        String resolved = c.toJson();
        assertThat(TrainConfig.fromJson(resolved, "again").toJson()).isEqualTo(resolved);
    }

    private static void checkLoad(Path file) {
        try {
            TrainConfig.load(file).validate();
        } catch (TrainConfig.ConfigException e) {
            assertThat(e.getMessage()).contains(file.toString());
        }
    }
}
