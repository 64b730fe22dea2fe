package io.eggroll.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eggroll.backend.Backend;
import io.eggroll.backend.ModelState;
import io.eggroll.backend.cpu.CpuBackend;
import io.eggroll.snn.Params;
import io.eggroll.snn.SnnConfig;
import io.eggroll.snn.SpikeBatch;
import io.eggroll.train.Evaluation;
import io.eggroll.train.GenerationStats;
import io.eggroll.train.TaskData;
import io.eggroll.train.TrainConfig;
import io.eggroll.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingTest {

    static TrainConfig small() {
        TrainConfig c = new TrainConfig();
        c.synthetic.trainSamples = 200;
        c.synthetic.testSamples = 60;
        c.synthetic.inputs = 24;
        c.synthetic.timesteps = 8;
        c.network.hidden = new int[] {12};
        c.es = c.es.withPopulation(8);
        c.batch = 8;
        c.generations = 4;
        c.evalEvery = 2;
        c.threads = 1;
        return c;
    }

    /** The weights (their SHA-256) after {@code c}'s run through the Trainer itself, nothing written. */
    static String trainerWeights(TrainConfig c, TaskData d) {
        SnnConfig net = c.networkConfig(d.train().inputs(), d.train().classes());
        try (Backend b = new CpuBackend(1)) {
            return new Trainer(c, d.train(), d.validation(), b, null)
                    .run(ModelState.fresh(Params.init(net, c.seed, c.network.initGain), c.optimizerConfig()), 0, 0)
                    .state().params().sha256();
        }
    }

    @Test
    void theBuilderRunsTheTrainingLoopAndWritesTheRun(@TempDir Path tmp) throws IOException {
        TrainConfig c = small();
        String want = trainerWeights(c, TaskData.synthetic(c));
        List<GenerationStats> seen = new ArrayList<>();
        Training t = Training.builder().task("synthetic").network(NetworkSpec.dense(12)).es(c.es).batch(8)
                .generations(4).evalEvery(2).threads(1).seed(c.seed)
                .configure(cfg -> cfg.synthetic = c.synthetic)
                .runDirectory(tmp.resolve("run"), false).build();
        TrainedNetwork got = t.run(seen::add);
        assertThat(got.params().sha256()).isEqualTo(want);
        assertThat(got.generations()).isEqualTo(4);
        assertThat(got.validationAccuracy()).isBetween(0.0, 1.0);
        assertThat(seen).extracting(GenerationStats::generation).containsExactly(0, 1, 2, 3);
        assertThat(Files.readAllLines(tmp.resolve("run/metrics.jsonl"))).hasSize(4);
        assertThat(TrainedNetwork.load(tmp.resolve("run")).params().sha256()).isEqualTo(want);
        assertThatThrownBy(t::run).hasMessageContaining("has run");
    }

    @Test
    void aTrainedNetworkPredictsAsTheBackendDoes() {
        TrainConfig c = small();
        TaskData d = TaskData.synthetic(c);
        TrainedNetwork net = Training.builder().config(c).data(d.train(), d.validation()).build().run();
        try (Backend b = new CpuBackend(1)) {
            b.load(ModelState.fresh(net.params(), c.optimizerConfig()));
            assertThat(net.accuracy(d.test())).isEqualTo(Evaluation.of(b, d.test(), 0, 16).accuracy());
            SpikeBatch one = SpikeBatch.range(d.test(), 0, 1);
            assertThat(net.forward(one, 0)).isEqualTo(b.infer(one));
        }
        assertThat(net.weights("hidden0")).hasSize(24 * 12);
        assertThat(net.bias("output")).hasSize(10);
        assertThatThrownBy(() -> net.weights("readout")).hasMessageContaining("[hidden0, output]");
    }

    @Test
    void aLayerKindTheEngineCannotTrainIsRefusedByName() {
        LayerSpec conv = new LayerSpec() {
            @Override
            public String name() {
                return "conv1";
            }

            @Override
            public int width() {
                return 8;
            }
        };
        assertThatThrownBy(() -> NetworkSpec.empty().layer(conv).resolve(4, 2)).hasMessageContaining("layer conv1");
        assertThatThrownBy(() -> NetworkSpec.dense(4).dense("hidden0", 3)).hasMessageContaining("already named hidden0");
    }

    @Test
    void spikesFromArraysAreSortedAndDeduplicated() {
        SpikeBatch b = Spikes.batch(5, new int[][][] {{{3, 1, 3}, {}}, {{4}, {0, 2}}}, new int[] {1, 0});
        assertThat(b.indices()).containsExactly(1, 3, 4, 0, 2);
        assertThat(b.offsets()).containsExactly(0, 2, 2, 3, 5);
        assertThat(b.labels()).containsExactly(1, 0);
        assertThatThrownBy(() -> Spikes.sample(5, new int[][] {{5}})).hasMessageContaining("channel 5 outside [0, 5)");
    }
}
