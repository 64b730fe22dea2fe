package io.eggroll.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eggroll.train.Checkpoint;
import io.eggroll.train.schedule.ScheduleFormatException;
import io.eggroll.train.schedule.SeedScheduleReader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files and tensors are sized before anything is allocated: a 3 GB file (sparse: it takes no disk)
 * or a layer too wide for an int index is refused in one line naming the file and its size, or the
 * field; never an OutOfMemoryError or a bare "integer overflow".
 */
class SizingTest {

    private static final long THREE_GB = 3L << 30;

    @TempDir
    Path dir;

    private Path sparse(String name) throws IOException {
        Path f = dir.resolve(name);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(THREE_GB);
        }
        return f;
    }

    @Test
    void dataInspectOfAHugeBinNamesTheFileAndItsSize() throws IOException {
        Path bin = sparse("00001.bin");
        CliRun r = CliRun.of("data", "inspect", bin.toString(), "--no-png");
        assertThat(r.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).contains("error: " + bin + ": 3,221,225,472 bytes (3.0 GiB), too large for an N-MNIST "
                + ".bin file (one sample is a few KB)");
    }

    @Test
    void aHugeCheckpointOrScheduleIsRefusedByNameAndSize() throws IOException {
        Path ckpt = sparse("latest.ckpt");
        assertThatThrownBy(() -> Checkpoint.read(ckpt)).isInstanceOf(Checkpoint.CheckpointException.class)
                .hasMessageStartingWith(ckpt + ": 3,221,225,472 bytes (3.0 GiB), too large for a checkpoint");
        Path schedule = sparse("schedule.bin");
        assertThatThrownBy(() -> SeedScheduleReader.read(schedule)).isInstanceOf(ScheduleFormatException.class)
                .hasMessageStartingWith(schedule + ": 3,221,225,472 bytes (3.0 GiB), too large for a seed schedule");
    }

    @Test
    void aLayerTooWideForAnIntIndexIsRefusedNamingTheFieldBeforeAnythingIsWritten() throws IOException {
        Path cfg = dir.resolve("wide.json");
        Files.writeString(cfg, "{\"task\": \"synthetic\", \"name\": \"wide\", \"synthetic\": {\"inputs\": 4096},"
                + " \"network\": {\"hidden\": [1000000]}}");
        Path runs = dir.resolve("runs");
        CliRun r = CliRun.of("train", "--config", cfg.toString(), "--runs-dir", runs.toString(), "--quiet");
        assertThat(r.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).contains("network.hidden[0] is too large: the weights of layer 1 (4096 x 1000000)")
                .doesNotContain("integer overflow");
        assertThat(runs.resolve("wide")).doesNotExist();
    }
}
