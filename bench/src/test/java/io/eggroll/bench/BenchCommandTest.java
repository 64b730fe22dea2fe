package io.eggroll.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eggroll.backend.Backend;
import io.eggroll.backend.ModelState;
import io.eggroll.backend.cpu.CpuBackend;
import io.eggroll.cli.Main;
import io.eggroll.es.EsMode;
import io.eggroll.snn.Params;
import io.eggroll.snn.SnnConfig;
import io.eggroll.train.TaskData;
import io.eggroll.train.TrainConfig;
import io.eggroll.train.Evaluation;
import io.eggroll.train.Trainer;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Each suite at a tiny size, through the CLI: the output structure, and the ranks suite's accuracies. */
class BenchCommandTest {

    @TempDir
    Path dir;

    private record Outcome(int code, String out, String err) {}

    private Outcome bench(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("bench", "--out", dir.toString(), "--quiet", "--threads", "2"));
        all.addAll(List.of(args));
        int code = cl.execute(all.toArray(String[]::new));
        return new Outcome(code, out.toString(), err.toString());
    }

    private JsonNode outputs(String suite, Outcome o) throws Exception {
        assertThat(o.code()).as("exit code; stderr: %s", o.err()).isZero();
        assertThat(o.out()).contains("| --- |", "| ---: |");
        Path md = dir.resolve(suite + ".md");
        Path json = dir.resolve(suite + ".json");
        Path png = dir.resolve(suite + ".png");
        assertThat(md).exists();
        assertThat(Files.readString(md)).isEqualTo(o.out().substring(0, o.out().indexOf("\nwrote ")));
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img).as("PNG chart").isNotNull();
        assertThat(img.getWidth()).isGreaterThan(100);
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.path("suite").asText()).isEqualTo(suite);
        assertThat(root.path("command").asText()).startsWith("eggroll bench --out");
        assertThat(root.path("machine").path("processors").asInt()).isPositive();
        assertThat(root.path("rows").isArray()).isTrue();
        return root;
    }

    @Test
    void throughputSuiteWritesEveryContenderAndColumn() throws Exception {
        Outcome o = bench("--suite", "throughput", "--layer", "48x96", "--population", "4", "--batch", "2",
                "--timesteps", "3", "--ranks", "1,4,40", "--hidden", "16", "--reps", "2", "--warmup", "1",
                "--scalar-ranks", "4");
        JsonNode root = outputs("throughput", o);
        JsonNode rows = root.path("rows");
        // two workloads x (inference, r=1, r=4, r=40, full rank, dense full rank, r=4 on the scalar
        // definition); r = 40 runs on the nmnist workload's 16 -> 10 layer too (above min(m, n))
        assertThat(rows).hasSize(14);
        List<String> contenders = new ArrayList<>();
        for (JsonNode r : rows) {
            contenders.add(r.path("workload").asText() + "/" + r.path("contender").asText());
            assertThat(r.has("skipped")).as("row %s", r).isFalse();
            assertThat(r.path("generation_seconds").path("count").asInt()).isEqualTo(2);
            assertThat(r.path("generation_seconds").path("min").asDouble())
                    .isLessThanOrEqualTo(r.path("generation_seconds").path("median").asDouble());
            assertThat(r.has("member_sample_steps_per_second")).isTrue();
            assertThat(r.has("peak_heap_bytes")).isTrue();
            if (!r.path("mode").asText().equals("inference")) {
                assertThat(r.path("perturbation_bytes_at_rest_per_member").asLong()).isEqualTo(16);
                assertThat(r.path("noise_share").isNumber()).isTrue();
                assertThat(r.path("update_share").isNumber()).isTrue();
                assertThat(r.path("update_share_of_simd_rate").asDouble()).isPositive();
                assertThat(r.path("live_pairs").asInt()).isBetween(1, 2);
                assertThat(r.path("speedup_vs_dense_full_rank").asDouble()).isPositive();
            }
        }
        assertThat(contenders).contains("large/inference", "large/eggroll r=1", "large/eggroll r=4", "large/full rank",
                "large/full rank (dense, paper)", "nmnist/inference", "nmnist/eggroll r=4", "nmnist/full rank",
                "nmnist/full rank (dense, paper)", "large/eggroll r=40", "nmnist/eggroll r=40", "large/eggroll r=4 (simd off)",
                "nmnist/eggroll r=4 (simd off)");
        assertThat(o.out()).contains("large: r = 4, vector fast path vs --simd off");
        for (JsonNode r : rows) {
            if (r.path("contender").asText().equals("full rank (dense, paper)")) {
                assertThat(r.path("mode").asText()).isEqualTo("full_rank_dense");
                assertThat(r.path("evaluate_share_of_simd_rate").asDouble()).isPositive();
                assertThat(r.path("speedup_vs_dense_full_rank").asDouble()).isEqualTo(1.0);
            }
        }
        // in flight: r(m + n) + n bias values, 4 bytes each, for the 48 x 96 layer at r = 4
        for (JsonNode r : rows) {
            if (r.path("workload").asText().equals("large") && r.path("contender").asText().equals("eggroll r=4")) {
                assertThat(r.path("perturbation_bytes_in_flight_per_member").asLong()).isEqualTo(4L * (4 * (48 + 96) + 96));
            }
        }
        assertThat(root.path("triad").path("bytes_per_second").asDouble()).isPositive();
        assertThat(root.path("spike_gather").path("large").path("fraction_of_triad").isNumber()).isTrue();
        assertThat(root.path("simd_multiply_add").path("flops_per_second").asDouble()).isPositive();
        assertThat(o.out()).contains("speed-up vs full rank", "speed-up vs dense full rank",
                "eval throughput vs inference", "of the triad", "SIMD multiply-add rate",
                "full rank (dense, paper) evaluate (dense products)");
    }

    @Test
    void noDenseFullRankLeavesTheDenseContenderOut() throws Exception {
        Outcome o = bench("--suite", "throughput", "--workloads", "large", "--layer", "24x32", "--population", "4",
                "--batch", "2", "--timesteps", "2", "--ranks", "2", "--reps", "1", "--warmup", "0",
                "--no-dense-full-rank");
        List<String> contenders = new ArrayList<>();
        for (JsonNode r : outputs("throughput", o).path("rows")) {
            contenders.add(r.path("contender").asText());
        }
        assertThat(contenders).containsExactly("inference", "eggroll r=2", "full rank");
    }

    @Test
    void ranksSuiteRunsEveryRankAtEqualGenerationsAndAtEqualTime() throws Exception {
        Outcome o = bench("--suite", "ranks", "--task", "synthetic", "--generations", "3", "--ranks", "1,2,20",
                "--population", "4", "--batch", "4", "--timesteps", "4", "--hidden", "8", "--eval-samples", "40",
                "--reps", "1", "--warmup", "0", "--seed", "3");
        JsonNode root = outputs("ranks", o);
        JsonNode rows = root.path("rows");
        List<String> names = List.of("eggroll r=1", "eggroll r=2", "eggroll r=20", "full rank");
        assertThat(rows).hasSize(2 * names.size());
        double budget = root.path("budget_seconds").path("median").asDouble();
        assertThat(root.path("budget_from").asText()).isEqualTo("full rank");
        assertThat(budget).isEqualTo(rows.get(3).path("training_seconds").path("median").asDouble());
        // 64 inputs -> 8 hidden -> 10 classes: noise r(m + n) + n per layer, state 8 + 10 membranes + 10 readouts
        long[] noise = {4L * (64 + 8 + 8 + 8 + 10 + 10), 4L * (2 * (64 + 8) + 8 + 2 * (8 + 10) + 10),
                4L * (20 * (64 + 8) + 8 + 20 * (8 + 10) + 10), 4L * (64 * 8 + 8 + 8 * 10 + 10)};
        for (int i = 0; i < rows.size(); i++) {
            JsonNode r = rows.get(i);
            int c = i % names.size();
            String contender = names.get(c);
            assertThat(r.path("phase").asText()).isEqualTo(i < names.size() ? "equal generations" : "equal time");
            assertThat(r.path("contender").asText()).isEqualTo(contender);
            int generations = r.path("generations").path("median").asInt();
            double seconds = r.path("training_seconds").path("median").asDouble();
            assertThat(r.path("seconds_per_generation").path("median").asDouble())
                    .isCloseTo(seconds / generations, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(r.path("speedup_vs_full_rank").asDouble()).isPositive();
            assertThat(r.path("noise_bytes_in_flight_per_member").asLong()).isEqualTo(noise[c]);
            assertThat(r.path("state_bytes_in_flight_per_member").asLong()).isEqualTo(4L * (8 + 10 + 10));
            assertThat(r.path("bytes_in_flight_per_member").asLong()).isEqualTo(noise[c] + 4L * (8 + 10 + 10));
            assertThat(r.path("bytes_at_rest_per_member").asLong()).isEqualTo(16);
            if (i < names.size()) {
                assertThat(generations).isEqualTo(3);
            } else {
                // as many generations as the equal-generations rate fits in the budget
                double rate = rows.get(c).path("seconds_per_generation").path("median").asDouble();
                assertThat(generations).isEqualTo(RanksSuite.generationsIn(budget, rate));
            }
            if (contender.equals("full rank")) {
                assertThat(r.path("speedup_vs_full_rank").asDouble()).isEqualTo(1.0);
                assertThat(generations).as("the budget is the full-rank run's own time").isEqualTo(3);
            }
            // How long a generation takes depends on the machine; what a run reaches does not.
            assertThat(r.path("test_accuracy_percent").path("median").asDouble())
                    .as("%s after %d generations", contender, generations)
                    .isEqualTo(retrainedAccuracy(contender, generations));
        }
        assertThat(o.out()).contains("| phase | contender | test accuracy % | generations | training s | s / generation "
                + "| speed-up vs full rank | in flight B / member | at rest B / member |");
    }

    @Test
    void ranksSuiteTakesAFixedBudgetWithoutFullRank() throws Exception {
        Outcome o = bench("--suite", "ranks", "--task", "synthetic", "--generations", "2", "--ranks", "2",
                "--no-full-rank", "--seconds", "0.001", "--population", "4", "--batch", "2", "--timesteps", "2",
                "--hidden", "4", "--eval-samples", "10", "--reps", "1", "--warmup", "0");
        JsonNode root = outputs("ranks", o);
        assertThat(root.path("budget_from").asText()).isEqualTo("--seconds");
        assertThat(root.path("rows")).hasSize(2);
        assertThat(root.path("rows").get(1).path("generations").path("median").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(root.path("rows").get(1).path("speedup_vs_full_rank").isNull()).isTrue();

        Outcome noBudget = bench("--suite", "ranks", "--task", "synthetic", "--generations", "2", "--ranks", "2",
                "--no-full-rank", "--population", "4", "--batch", "2", "--timesteps", "2", "--hidden", "4");
        assertThat(noBudget.code()).isNotZero();
        assertThat(noBudget.err()).contains("--no-full-rank give --seconds");
    }

    /**
     * The ranks suite's contender retrained here, independently of the suite: the same settings,
     * {@code generations} generations in one trainer run, then scored on 40 test samples.
     */
    private static double retrainedAccuracy(String contender, int generations) {
        TrainConfig c = TrainConfig.defaults("synthetic");
        c.seed = 3;
        c.network.hidden = new int[] {8};
        c.es = c.es.withPopulation(4);
        c.batch = 4;
        c.synthetic.timesteps = 4;
        c.evalSamples = 1;
        c.evalEvery = Integer.MAX_VALUE;
        c.checkpointEvery = Integer.MAX_VALUE;
        c.generations = generations;
        if (contender.equals("full rank")) {
            c.es = c.es.withMode(EsMode.FULL_RANK);
        } else {
            c.es = c.es.withRank(Integer.parseInt(contender.substring(contender.indexOf("r=") + 2)));
        }
        TaskData data = TaskData.synthetic(c);
        SnnConfig net = c.networkConfig(data.train().inputs(), data.train().classes());
        try (Backend cpu = new CpuBackend(1)) {
            ModelState start = ModelState.fresh(Params.init(net, c.seed, c.network.initGain), c.optimizerConfig());
            cpu.load(new Trainer(c, data.train(), data.validation(), cpu, null).run(start, 0, 0).state());
            return 100 * Evaluation.of(cpu, data.test(), 40, 512).accuracy();
        }
    }

    @Test
    void backendsSuiteListsEveryProviderWithItsDevice() throws Exception {
        Outcome o = bench("--suite", "backends", "--workloads", "nmnist", "--hidden", "8", "--population", "4",
                "--batch", "2", "--timesteps", "2", "--ranks", "2", "--reps", "1", "--warmup", "0");
        assertThat(o.out()).contains("--warmup 0: the measured rounds include JIT compilation");
        JsonNode rows = outputs("backends", o).path("rows");
        assertThat(rows.size()).isEqualTo(io.eggroll.backend.Backends.providers().size());
        JsonNode cpu = null;
        for (JsonNode r : rows) {
            if (r.path("backend").asText().equals("cpu")) {
                cpu = r;
            }
            assertThat(r.has("device") || r.has("unavailable")).as("row %s", r).isTrue();
        }
        assertThat(cpu).isNotNull();
        assertThat(cpu.path("device").asText()).startsWith("cpu:");
        assertThat(cpu.path("max_abs_readout_difference_vs_cpu").asDouble()).isZero();
    }

    @Test
    void badOptionsAreNamed() {
        Outcome unknown = bench("--suite", "speed");
        assertThat(unknown.code()).isNotZero();
        assertThat(unknown.err()).contains("--suite", "speed");
        Outcome layer = bench("--suite", "throughput", "--layer", "1000by5000");
        assertThat(layer.code()).isNotZero();
        assertThat(layer.err()).contains("--layer", "1000by5000");
        Outcome workload = bench("--suite", "throughput", "--workloads", "huge");
        assertThat(workload.code()).isNotZero();
        assertThat(workload.err()).contains("--workloads", "huge");
    }
}
