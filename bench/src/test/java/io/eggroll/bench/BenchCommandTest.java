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
        // two workloads x (inference, r=1, r=4, full rank, dense full rank, r=4 on the scalar definition)
        // + r=40 skipped on both (exceeds min(m, n))
        assertThat(rows).hasSize(14);
        List<String> contenders = new ArrayList<>();
        for (JsonNode r : rows) {
            contenders.add(r.path("workload").asText() + "/" + r.path("contender").asText());
            if (r.has("skipped")) {
                assertThat(r.path("skipped").asText()).contains("es.rank = 40 exceeds");
                continue;
            }
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
                "nmnist/full rank (dense, paper)", "large/eggroll r=40", "large/eggroll r=4 (simd off)",
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
    void ranksSuiteScoresEveryContenderOnTheSyntheticTask() throws Exception {
        Outcome o = bench("--suite", "ranks", "--task", "synthetic", "--budget", "0.2", "--ranks", "1,2",
                "--population", "4", "--batch", "4", "--timesteps", "4", "--hidden", "8", "--eval-samples", "40",
                "--reps", "1", "--seed", "3");
        JsonNode rows = outputs("ranks", o).path("rows");
        assertThat(rows).hasSize(3);
        assertThat(rows.get(2).path("contender").asText()).isEqualTo("full rank");
        for (JsonNode r : rows) {
            int generations = r.path("generations").path("min").asInt();
            assertThat(generations).isGreaterThanOrEqualTo(1);
            assertThat(r.path("heldout_accuracy_percent").path("count").asInt()).isEqualTo(1);
            // How many generations fit the budget depends on the machine; what they reach does not.
            String contender = r.path("contender").asText();
            assertThat(r.path("heldout_accuracy_percent").path("median").asDouble())
                    .as("%s after %d generations", contender, generations)
                    .isEqualTo(retrainedAccuracy(contender, generations));
        }
    }

    /**
     * The ranks suite's contender retrained here, independently of the suite: the same settings,
     * {@code generations} generations in one trainer run, then scored on the first 40 held-out samples.
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
