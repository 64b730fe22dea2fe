package io.eggroll.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {

    @Test
    void readsPlainAndGzipped(@TempDir Path dir) throws Exception {
        byte[] data = new byte[3 * 4 * 5];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        byte[] idx = new IdxFile(new int[] {3, 4, 5}, data).toBytes();
        Files.write(dir.resolve("a"), idx);
        Files.write(dir.resolve("b.idx"), DataFixtures.gzip(idx)); // detection by magic, not name
        for (String n : new String[] {"a", "b.idx"}) {
            IdxFile f = IdxFile.read(dir.resolve(n));
            assertThat(f.dims()).containsExactly(3, 4, 5);
            assertThat(f.data()).isEqualTo(data);
        }
    }

    @Test
    void rejectsBadMagicTypeTruncationAndTrailingBytes(@TempDir Path dir) throws Exception {
        byte[] good = new IdxFile(new int[] {2, 3}, new byte[6]).toBytes();
        byte[] magic = good.clone();
        magic[0] = 1;
        Files.write(dir.resolve("magic"), magic);
        assertThatThrownBy(() -> IdxFile.read(dir.resolve("magic"))).hasMessageContaining("magic")
                .hasMessageContaining("magic").hasMessageContaining(dir.resolve("magic").toString());
        byte[] type = good.clone();
        type[2] = 0x0D;
        assertThatThrownBy(() -> IdxFile.parse(type, "t")).hasMessageContaining("0x0d");
        byte[] trunc = Arrays.copyOf(good, good.length - 2);
        assertThatThrownBy(() -> IdxFile.parse(trunc, "t")).hasMessageContaining("truncated")
                .hasMessageContaining("need 6 bytes").hasMessageContaining("has 4");
        assertThatThrownBy(() -> IdxFile.parse(Arrays.copyOf(good, 9), "h")).hasMessageContaining("truncated IDX header");
        assertThatThrownBy(() -> IdxFile.parse(Arrays.copyOf(good, good.length + 1), "x")).hasMessageContaining("trailing");
        byte[] gz = DataFixtures.gzip(good);
        Files.write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length - 10));
        assertThatThrownBy(() -> IdxFile.read(dir.resolve("cut.gz"))).hasMessageContaining("cut.gz");
    }

    @Test
    void mnistSetChecksCountsAndLabels(@TempDir Path dir) throws Exception {
        DataFixtures.writeFakeMnist(dir, 20, 10);
        MnistSet train = MnistSet.load(dir, Split.TRAIN);
        MnistSet test = MnistSet.load(dir, Split.TEST); // gzipped
        assertThat(train.size()).isEqualTo(20);
        assertThat(test.size()).isEqualTo(10);
        assertThat(train.label(13)).isEqualTo(3);
        Files.write(dir.resolve(MnistFetcher.TRAIN_LABELS), new IdxFile(new int[] {19}, new byte[19]).toBytes());
        assertThatThrownBy(() -> MnistSet.load(dir, Split.TRAIN)).hasMessageContaining("20 images")
                .hasMessageContaining("19 labels");
        Files.write(dir.resolve(MnistFetcher.TRAIN_LABELS), new IdxFile(new int[] {20}, new byte[] {
                0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 12}).toBytes());
        assertThatThrownBy(() -> MnistSet.load(dir, Split.TRAIN)).hasMessageContaining("label 12 of sample 19");
    }
}
