package io.eggroll.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eggroll.es.EsMode;
import io.eggroll.es.LrDecay;
import io.eggroll.es.OptimizerKind;
import io.eggroll.snn.Readout;
import io.eggroll.train.TrainConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --preset paper} and {@code {"preset": "paper"}}: the seed paper's N-MNIST setup, one way or the other. */
class PaperPresetTest {

    @TempDir
    Path runs;

    private TrainConfig printed(String... args) {
        List<String> a = new ArrayList<>(List.of("train", "--runs-dir", runs.toString(), "--print-config"));
        a.addAll(List.of(args));
        CliRun o = CliRun.of(a.toArray(String[]::new));
        assertThat(o.exit()).as("stderr: %s", o.err()).isZero();
        assertThat(o.out()).contains("\"preset\" : \"paper\"");
        return TrainConfig.fromJson(o.out(), "printed");
    }

    @Test
    void thePresetIsThePapersSetup() {
        TrainConfig c = printed("--preset", "paper");

        assertThat(c.task).isEqualTo("nmnist");
        assertThat(c.preset).isEqualTo("paper");
        assertThat(c.network.threshold).isEqualTo(1.0f);
        assertThat(c.network.decay).isEqualTo(0.9f);
        assertThat(c.es.mode()).isEqualTo(EsMode.EGGROLL);
        assertThat(c.es.rank()).isEqualTo(10);
        assertThat(c.es.sigma()).isEqualTo(0.02f);
        assertThat(c.es.population()).isBetween(100, 500);
        assertThat(c.generations).isBetween(100, 200);
        assertThat(c.optimizer.kind()).isEqualTo(OptimizerKind.SGD);
        // the paper's alpha = 0.1 on (1/N) sum f eps, i.e. alpha * sigma on this engine's (1/(N sigma)) sum f eps
        assertThat(c.optimizer.learningRate()).isEqualTo(0.1f * c.es.sigma());
        assertThat(c.optimizer.momentum()).isZero();
        assertThat(c.optimizer.decay()).isEqualTo(LrDecay.CONSTANT);
        assertThat(c.network.readout).isEqualTo(Readout.SPIKE_COUNT);
    }

    @Test
    void theCommandLineAndAConfigFileGiveTheSameConfiguration() throws IOException {
        Path file = Files.writeString(runs.resolve("p.json"), "{\"preset\": \"paper\"}");

        String cli = printed("--preset", "paper").toJson();

        assertThat(printed("--config", file.toString()).toJson()).isEqualTo(cli);
        assertThat(TrainConfig.fromJson("{\"preset\": \"paper\", \"task\": \"nmnist\"}", "t").toJson()).isEqualTo(cli);
        assertThat(TrainConfig.fromJson(cli, "round trip").toJson()).isEqualTo(cli);
    }

    @Test
    void optionsAndFieldsOverrideThePreset() throws IOException {
        assertThat(printed("--preset", "paper", "--rank", "20", "--generations", "100").es.rank()).isEqualTo(20);
        Path file = Files.writeString(runs.resolve("r.json"), "{\"preset\": \"paper\", \"es\": {\"population\": 400}}");
        TrainConfig c = printed("--config", file.toString());
        assertThat(c.es.population()).isEqualTo(400);
        assertThat(c.es.rank()).as("the preset's rank kept beside the file's population").isEqualTo(10);
        TrainConfig adam = printed("--preset", "paper", "--optimizer", "ADAM");
        assertThat(adam.optimizer).isEqualTo(TrainConfig.optimizerDefaults("nmnist", "paper", OptimizerKind.ADAM));
        assertThat(adam.optimizer.decay()).isEqualTo(LrDecay.CONSTANT);
    }

    @Test
    void withoutAPresetConfigsAreWrittenAsBefore() {
        TrainConfig c = TrainConfig.defaults("nmnist");
        assertThat(c.preset).isNull();
        assertThat(c.toJson()).doesNotContain("preset");
        assertThat(c.optimizer.kind()).isEqualTo(OptimizerKind.ADAM);
    }

    @Test
    void anUnknownPresetOrAnotherTaskIsNamed() {
        assertThatThrownBy(() -> TrainConfig.fromJson("{\"preset\": \"tuned\"}", "cfg.json"))
                .hasMessageContaining("cfg.json").hasMessageContaining("preset").hasMessageContaining("'tuned'");
        assertThatThrownBy(() -> TrainConfig.fromJson("{\"preset\": \"paper\", \"task\": \"synthetic\"}", "cfg.json"))
                .hasMessageContaining("cfg.json").hasMessageContaining("needs task 'nmnist'");
        assertThatThrownBy(() -> TrainConfig.fromJson("{\"preset\": null}", "cfg.json"))
                .hasMessageContaining("field 'preset' is null");
        CliRun o = CliRun.of("train", "--runs-dir", runs.toString(), "--preset", "paper", "--task", "synthetic",
                "--print-config");
        assertThat(o.exit()).isNotZero();
        assertThat(o.err()).contains("needs task 'nmnist'");
    }

    @Test
    void trainHelpShowsThePreset() {
        StringWriter out = new StringWriter();
        Main.commandLine().getSubcommands().get("train").usage(new PrintWriter(out, true));
        TrainConfig p = TrainConfig.defaults("nmnist", "paper", null, "float");
        assertThat(out.toString()).contains("--preset paper, the seed paper's setup on task nmnist:", "paper: --generations "
                + p.generations + " --population " + p.es.population() + " --rank 10 --sigma 0.02",
                "--optimizer SGD --lr 0.002 --lr-decay CONSTANT --batch " + p.batch);
    }
}
