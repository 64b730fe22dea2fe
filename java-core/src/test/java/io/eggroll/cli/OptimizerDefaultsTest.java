package io.eggroll.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.eggroll.es.LrDecay;
import io.eggroll.es.OptimizerConfig;
import io.eggroll.es.OptimizerKind;
import io.eggroll.train.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Choosing an optimizer gives one set of defaults, on the command line and in a config alike. */
class OptimizerDefaultsTest {

    @TempDir
    Path runs;

    static CliRun cli(String... args) {
        return CliRun.of(args);
    }

    /** The configuration {@code train --print-config} resolves for {@code args}. */
    TrainConfig printed(String... args) {
        List<String> a = new ArrayList<>(List.of("train", "--runs-dir", runs.toString(), "--print-config"));
        a.addAll(List.of(args));
        CliRun o = cli(a.toArray(String[]::new));
        assertThat(o.exit()).as("stderr: %s", o.err()).isZero();
        return TrainConfig.fromJson(o.out(), "printed");
    }

    @Test
    void sgdOnTheCommandLineAndInAConfigGiveTheSameDocumentedDefaults() {
        OptimizerConfig cli = printed("--optimizer", "SGD").optimizer;
        OptimizerConfig file = TrainConfig.fromJson("{\"optimizer\":{\"kind\":\"SGD\"}}", "test").optimizer;

        assertThat(cli).isEqualTo(file);
        assertThat(cli.kind()).isEqualTo(OptimizerKind.SGD);
        assertThat(cli.learningRate()).isEqualTo(0.1f);
        assertThat(cli.decay()).isEqualTo(LrDecay.COSINE);
        assertThat(cli).isEqualTo(TrainConfig.optimizerDefaults("nmnist", OptimizerKind.SGD));
    }

    @Test
    void theSyntheticPresetHasItsOwnSgdDefaultsEitherWay() {
        OptimizerConfig cli = printed("--task", "synthetic", "--optimizer", "SGD").optimizer;
        OptimizerConfig file = TrainConfig.fromJson("{\"task\":\"synthetic\",\"optimizer\":{\"kind\":\"SGD\"}}", "t").optimizer;

        assertThat(cli).isEqualTo(file);
        assertThat(cli.learningRate()).isEqualTo(0.1f);
        assertThat(cli.decay()).isEqualTo(LrDecay.CONSTANT);
        assertThat(printed("--task", "synthetic").optimizer).isEqualTo(TrainConfig.optimizerDefaults("synthetic", OptimizerKind.ADAM));
    }

    @Test
    void anExplicitLearningRateOrDecayIsKeptWhicheverWayTheOptimizerIsChosen() throws IOException {
        OptimizerConfig cli = printed("--optimizer", "SGD", "--lr", "0.05", "--lr-decay", "CONSTANT").optimizer;
        assertThat(cli.learningRate()).isEqualTo(0.05f);
        assertThat(cli.decay()).isEqualTo(LrDecay.CONSTANT);

        OptimizerConfig file = TrainConfig.fromJson("{\"optimizer\":{\"kind\":\"SGD\",\"learningRate\":0.05}}", "t").optimizer;
        assertThat(file.learningRate()).isEqualTo(0.05f);
        assertThat(file.decay()).isEqualTo(LrDecay.COSINE);

        Path explicit = Files.writeString(runs.resolve("lr.json"), "{\"optimizer\":{\"learningRate\":0.05}}");
        assertThat(printed("--config", explicit.toString(), "--optimizer", "SGD").optimizer.learningRate()).isEqualTo(0.05f);
    }

    @Test
    void optimizerOnTheCommandLineChoosesTheDefaultsOfTheFieldsAConfigFileLeavesOut() throws IOException {
        Path cfg = Files.writeString(runs.resolve("c.json"), "{\"task\":\"synthetic\"}");

        OptimizerConfig o = printed("--config", cfg.toString(), "--optimizer", "SGD").optimizer;

        assertThat(o).isEqualTo(TrainConfig.optimizerDefaults("synthetic", OptimizerKind.SGD));
    }

    @Test
    void printConfigTrainsNothingAndWritesNothing() throws IOException {
        TrainConfig c = printed("--task", "synthetic", "--name", "shown", "--generations", "7");

        assertThat(c.generations).isEqualTo(7);
        assertThat(c.name).isEqualTo("shown");
        try (Stream<Path> s = Files.list(runs)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void theBannerShowsTheResolvedLearningRateScheduleAndReadout() {
        CliRun o = cli("train", "--task", "synthetic", "--runs-dir", runs.toString(), "--name", "b", "--generations", "2",
                "--population", "8", "--hidden", "8", "--optimizer", "SGD", "--lr-decay", "COSINE", "--quiet");

        assertThat(o.exit()).as("stderr: %s", o.err()).isZero();
        assertThat(o.err()).contains("readout SPIKE_COUNT").contains("SGD lr=0.1 COSINE over 2 generations to 2%");
    }
}
