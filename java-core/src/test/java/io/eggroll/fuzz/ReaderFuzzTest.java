package io.eggroll.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.eggroll.data.EventBuffer;
import io.eggroll.data.NmnistFormat;
import io.eggroll.data.NmnistFormatException;
import io.eggroll.train.schedule.ScheduleFormatException;
import io.eggroll.train.schedule.SeedScheduleReader;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Fuzzing of the binary readers (issue 13): random bytes and mutated valid inputs either parse or
 * raise the reader's own exception ({@link NmnistFormatException}, {@link ScheduleFormatException}),
 * never anything else (no index, buffer or arithmetic errors escaping).
 */
class ReaderFuzzTest {

    @Property(tries = 400)
    void nmnistRecordsParseOrRaiseTheFormatException(@ForAll @Size(max = 400) byte[] bytes) {
        try {
            EventBuffer out = new EventBuffer();
            NmnistFormat.decode(bytes, bytes.length, Path.of("fuzz.bin"), out);
            assertThat(bytes.length % NmnistFormat.RECORD_BYTES).isZero();
        } catch (NmnistFormatException e) {
            assertThat(e.getMessage()).contains("fuzz.bin");
        }
    }

    @Property(tries = 400)
    void schedulesParseOrRaiseTheFormatException(@ForAll("schedules") byte[] bytes) {
        try {
            SeedScheduleReader.read(bytes, "fuzz.schedule");
        } catch (ScheduleFormatException e) {
            assertThat(e.getMessage()).contains("fuzz.schedule");
        }
    }

    /** Random bytes, and bytes that start like a schedule (its magic) so the header paths are reached. */
    @Provide
    Arbitrary<byte[]> schedules() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        return Arbitraries.oneOf(random, random.map(ReaderFuzzTest::withMagic));
    }

    private static byte[] withMagic(byte[] tail) {
        byte[] magic = "EGGSCHD1".getBytes(java.nio.charset.StandardCharsets.US_ASCII); // SeedScheduleWriter.MAGIC
        byte[] b = new byte[magic.length + tail.length];
        System.arraycopy(magic, 0, b, 0, magic.length);
        System.arraycopy(tail, 0, b, magic.length, tail.length);
        return b;
    }
}
