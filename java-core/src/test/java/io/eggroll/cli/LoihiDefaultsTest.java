package io.eggroll.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.eggroll.snn.Readout;
import io.eggroll.snn.fixed.LoihiQuantizer;
import io.eggroll.train.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --precision loihi} works from the defaults: it chooses the readout Loihi can run, and says so. */
class LoihiDefaultsTest {

    @TempDir
    Path runs;

    static CliRun cli(String... args) {
        return CliRun.of(args);
    }

    /** hw-targets/loihi/README.md's first command, {@code train --precision loihi --name fx}, resolved. */
    @Test
    void theReadmeCommandResolvesTheDefaultPresetToTheSpikeCountReadout() {
        CliRun o = cli("train", "--precision", "loihi", "--name", "fx", "--runs-dir", runs.toString(), "--print-config");

        assertThat(o.exit()).as("stderr: %s", o.err()).isZero();
        TrainConfig c = TrainConfig.fromJson(o.out(), "printed");
        assertThat(c.task).isEqualTo("nmnist");
        assertThat(c.precision).isEqualTo("loihi");
        assertThat(c.network.readout).isEqualTo(Readout.SPIKE_COUNT);
        LoihiQuantizer.checkExpressible(c.networkConfig(2 * 17 * 17, 10));
        assertThat(TrainCommand.readout(c, false)).contains("SPIKE_COUNT").contains("chosen for --precision loihi")
                .contains("MEMBRANE");
        assertThat(TrainConfig.fromJson("{\"precision\":\"loihi\"}", "t").network.readout).isEqualTo(Readout.SPIKE_COUNT);
    }

    @Test
    void anExplicitMembraneReadoutIsRefusedSayingWhatToPass() throws IOException {
        CliRun o = cli("train", "--precision", "loihi", "--readout", "MEMBRANE", "--runs-dir", runs.toString());

        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err()).contains("network.readout").contains("--readout SPIKE_COUNT");
        try (var s = Files.list(runs)) {
            assertThat(s).isEmpty();
        }
    }

    /** docs/LOIHI.md's first command as written, with 3 generations instead of the preset's 300. */
    @Test
    void theFirstLoihiDocCommandTrainsInFixedPoint() throws IOException {
        Path lr = runs.resolve("lr");
        CliRun o = cli("train", "--task", "synthetic", "--runs-dir", lr.toString(), "--name", "d-loihi", "--precision",
                "loihi", "--threads", "2", "--quiet", "--generations", "3");

        assertThat(o.exit()).as("stderr: %s", o.err()).isZero();
        assertThat(o.err()).contains("readout SPIKE_COUNT").contains("backend loihi-sim");
        assertThat(TrainConfig.load(lr.resolve("d-loihi/config.json")).precision).isEqualTo("loihi");
        assertThat(lr.resolve("d-loihi/checkpoints/latest.ckpt")).exists();
    }
}
