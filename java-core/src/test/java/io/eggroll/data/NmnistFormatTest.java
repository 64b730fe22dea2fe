package io.eggroll.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NmnistFormatTest {

    private static final Path SRC = Path.of("sample.bin");

    private static byte[] rec(int x, int y, int p, int t) {
        return new byte[] {(byte) x, (byte) y, (byte) ((p << 7) | (t >>> 16)), (byte) (t >>> 8), (byte) t};
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] b : parts) {
            n += b.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] b : parts) {
            System.arraycopy(b, 0, out, o, b.length);
            o += b.length;
        }
        return out;
    }

    @Test
    void decodesHandMadeRecordsLikeTonic() throws Exception {
        // x=5, y=7, ON, t = 0x7FFFFF (max 23-bit); x=33, y=0, OFF, t=0x012345.
        byte[] data = {5, 7, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 33, 0, 0x01, 0x23, 0x45};
        EventBuffer e = new EventBuffer();
        NmnistFormat.decode(data, data.length, SRC, e);
        assertThat(e.size()).isEqualTo(2);
        assertThat(new int[] {e.x(0), e.y(0), e.p(0), e.t(0)}).containsExactly(5, 7, 1, 8_388_607);
        assertThat(new int[] {e.x(1), e.y(1), e.p(1), e.t(1)}).containsExactly(33, 0, 0, 0x012345);
    }

    @Test
    void overflowMarkerIsDroppedAndShiftsLaterTimestamps() throws Exception {
        byte[] data = concat(rec(1, 1, 1, 100), rec(0, 240, 0, 0), rec(2, 2, 0, 50), rec(9, 240, 1, 77),
                rec(3, 3, 1, 10));
        EventBuffer e = new EventBuffer();
        NmnistFormat.decode(data, data.length, SRC, e);
        assertThat(e.size()).isEqualTo(3);
        assertThat(e.t(0)).isEqualTo(100);
        assertThat(e.t(1)).isEqualTo(50 + 8192);
        assertThat(e.t(2)).isEqualTo(10 + 2 * 8192);
        assertThat(e.x(2)).isEqualTo(3);
    }

    @Test
    void lengthNotMultipleOfFiveNamesFileAndOffset() {
        byte[] data = concat(rec(1, 1, 1, 1), rec(2, 2, 0, 2), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> NmnistFormat.decode(data, data.length, SRC, new EventBuffer()))
                .isInstanceOf(NmnistFormatException.class)
                .hasMessageContaining("sample.bin")
                .hasMessageContaining("byte offset 10")
                .hasMessageContaining("13")
                .satisfies(ex -> assertThat(((NmnistFormatException) ex).byteOffset()).isEqualTo(10));
    }

    @Test
    void outOfRangeCoordinateNamesByteOffset() {
        byte[] data = concat(rec(1, 1, 1, 1), rec(2, 2, 0, 2), rec(34, 3, 0, 3));
        assertThatThrownBy(() -> NmnistFormat.decode(data, data.length, SRC, new EventBuffer()))
                .isInstanceOf(NmnistFormatException.class)
                .hasMessageContaining("sample.bin at byte offset 10")
                .hasMessageContaining("x=34");
        byte[] badY = concat(rec(0, 200, 0, 0));
        assertThatThrownBy(() -> NmnistFormat.decode(badY, badY.length, SRC, new EventBuffer()))
                .hasMessageContaining("byte offset 0").hasMessageContaining("y=200");
    }

    @Test
    void encodeDecodeRoundTrip() throws Exception {
        EventBuffer e = DataFixtures.randomEvents(1000, NmnistFormat.MAX_TIME_US + 1, 7);
        byte[] buf = new byte[NmnistFormat.encodedLength(e)];
        NmnistFormat.encode(e, buf);
        EventBuffer back = new EventBuffer();
        NmnistFormat.decode(buf, buf.length, SRC, back);
        assertThat(back.sameEvents(e)).isTrue();
    }

    @Test
    void encodeRejectsValuesThatDoNotFit() {
        EventBuffer e = new EventBuffer();
        e.add(0, 0, 1, NmnistFormat.MAX_TIME_US + 1);
        assertThatThrownBy(() -> NmnistFormat.encode(e, new byte[5])).hasMessageContaining("event 0")
                .hasMessageContaining("t=8388608");
        EventBuffer f = new EventBuffer();
        f.add(0, 34, 0, 0);
        assertThatThrownBy(() -> NmnistFormat.encode(f, new byte[5])).hasMessageContaining("y=34");
    }

    @Test
    void writerFileReadsBack(@TempDir Path dir) throws Exception {
        EventBuffer e = DataFixtures.randomEvents(321, 300_000, 3);
        Path f = NmnistWriter.sampleFile(dir, Split.TEST, 4, 9);
        assertThat(dir.relativize(f).toString().replace('\\', '/')).isEqualTo("Test/4/00009.bin");
        NmnistWriter.writeFile(f, e);
        assertThat(Files.size(f)).isEqualTo(321 * 5L);
        assertThat(NmnistReader.readFile(f).sameEvents(e)).isTrue();
    }
}
