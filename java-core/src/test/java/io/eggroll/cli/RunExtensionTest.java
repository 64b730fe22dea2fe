package io.eggroll.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.eggroll.es.OptimizerConfig;
import io.eggroll.train.RunDirectory;
import io.eggroll.train.TrainConfig;
import io.eggroll.train.schedule.ScheduleReplay;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extending a finished run keeps its learning-rate schedule, records the extension and replays. */
class RunExtensionTest {

    @TempDir
    Path runs;

    int cli(String... args) {
        picocli.CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(new StringWriter(), true));
        return cl.execute(args);
    }

    int train(String name, int generations, String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("train", "--task", "synthetic", "--name", name, "--runs-dir",
                runs.toString(), "--generations", String.valueOf(generations), "--population", "8", "--hidden", "8",
                "--lr-decay", "COSINE", "--quiet"));
        a.addAll(List.of(extra));
        return cli(a.toArray(String[]::new));
    }

    static List<JsonNode> metrics(Path run) throws IOException {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (String l : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            out.add(TrainConfig.mapper().readTree(l));
        }
        return out;
    }

    @Test
    void aFinishedCosineRunExtendedByResumeReplaysAndRecordsTheExtension() throws IOException {
        assertThat(train("ext", 6)).isZero();

        assertThat(cli("train", "--resume", "--name", "ext", "--runs-dir", runs.toString(), "--generations", "9",
                "--quiet")).isZero();

        Path dir = runs.resolve("ext");
        ScheduleReplay.Result r = ScheduleReplay.replay(new RunDirectory(dir), 1);
        assertThat(r.matches()).as("replay of the extended run").isTrue();
        assertThat(r.lastGeneration()).isEqualTo(8);
        TrainConfig cfg = TrainConfig.load(dir.resolve("config.json"));
        assertThat(cfg.generations).isEqualTo(9);
        assertThat(cfg.optimizer.decaySteps()).as("the decay keeps the original length").isEqualTo(6);
        List<JsonNode> m = metrics(dir);
        assertThat(m).hasSize(9);
        assertThat(m).allSatisfy(l -> assertThat(l.has("learning_rate") && l.has("sigma")).isTrue());
        OptimizerConfig o = cfg.optimizerConfig();
        for (int g = 0; g < 9; g++) {
            assertThat(m.get(g).get("learning_rate").floatValue()).as("generation %d", g).isEqualTo(o.learningRateAt(g + 1));
            assertThat(m.get(g).get("sigma").floatValue()).isEqualTo(cfg.es.sigma());
        }
        assertThat(m.get(8).get("learning_rate").floatValue()).as("past the decay: its floor")
                .isEqualTo((float) (cfg.optimizer.learningRate() * OptimizerConfig.COSINE_FLOOR));
    }

    @Test
    void anExtendedRunTrainsTheSameFirstGenerationsAsTheUnextendedOne() throws IOException {
        assertThat(train("short", 6)).isZero();
        assertThat(train("long", 6)).isZero();
        assertThat(cli("train", "--resume", "--name", "long", "--runs-dir", runs.toString(), "--generations", "9",
                "--quiet")).isZero();

        List<JsonNode> a = metrics(runs.resolve("short"));
        List<JsonNode> b = metrics(runs.resolve("long"));
        for (int g = 0; g < 6; g++) {
            for (String k : List.of("fitness_mean", "fitness_max", "minibatch_accuracy", "learning_rate", "sigma")) {
                assertThat(b.get(g).get(k)).as("%s of generation %d", k, g).isEqualTo(a.get(g).get(k));
            }
        }
    }

    @Test
    void extendingTwiceTrainsWhatExtendingOnceDoes() throws IOException {
        assertThat(train("twice", 6)).isZero();
        assertThat(train("once", 6)).isZero();
        for (String g : List.of("9", "12")) {
            assertThat(cli("train", "--resume", "--name", "twice", "--runs-dir", runs.toString(), "--generations", g,
                    "--quiet")).isZero();
        }
        assertThat(cli("train", "--resume", "--name", "once", "--runs-dir", runs.toString(), "--generations", "12",
                "--quiet")).isZero();

        Path twice = runs.resolve("twice");
        assertThat(ScheduleReplay.replay(new RunDirectory(twice), 1).matches()).isTrue();
        assertThat(TrainConfig.load(twice.resolve("config.json")).optimizer.decaySteps()).isEqualTo(6);
        List<JsonNode> a = metrics(twice);
        List<JsonNode> b = metrics(runs.resolve("once"));
        assertThat(a).hasSize(12);
        for (int g = 0; g < 12; g++) {
            for (String k : List.of("fitness_mean", "minibatch_accuracy", "learning_rate")) {
                assertThat(a.get(g).get(k)).as("%s of generation %d", k, g).isEqualTo(b.get(g).get(k));
            }
        }
    }
}
