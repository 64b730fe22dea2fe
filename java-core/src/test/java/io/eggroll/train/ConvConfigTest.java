package io.eggroll.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eggroll.backend.Backend;
import io.eggroll.backend.ModelState;
import io.eggroll.backend.cpu.CpuBackend;
import io.eggroll.snn.Params;
import io.eggroll.snn.SnnConfig;
import io.eggroll.snn.SpikeBatch;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** network.layers: conv and dense entries, strict, exclusive with network.hidden; conv runs train and resume. */
class ConvConfigTest {

    @Test
    void objectAndCompactEntriesGiveTheSameNetwork() {
        TrainConfig a = TrainConfig.fromJson("{\"network\": {\"layers\": [{\"conv\": {\"kernel\": 5, \"channels\": 16,"
                + " \"stride\": 2}}, {\"dense\": 128}]}, \"data\": {\"pool\": 2}}", "a");
        TrainConfig b = TrainConfig.fromJson("{\"network\": {\"layers\": [\"conv:5:16:2\", \"dense:128\"]},"
                + " \"data\": {\"pool\": 2}}", "b");
        SnnConfig net = a.networkConfig(2 * 17 * 17, 10);
        assertThat(b.networkConfig(2 * 17 * 17, 10)).isEqualTo(net);
        assertThat(net.sizes()).containsExactly(578, 16 * 7 * 7, 128, 10);
        assertThat(net.conv(0).inChannels()).isEqualTo(2);
        assertThat(a.network.hidden).isNull();
        // written without hidden, read back identically
        assertThat(a.toJson()).doesNotContain("hidden").contains("\"layers\"");
        assertThat(TrainConfig.fromJson(a.toJson(), "again").toJson()).isEqualTo(a.toJson());
        assertThat(a.copy().networkConfig(578, 10)).isEqualTo(net);
    }

    @Test
    void strideDefaultsToOneAndHiddenStillMeansDenseLayers() {
        TrainConfig c = TrainConfig.fromJson("{\"task\": \"synthetic\", \"network\": {\"layers\": [{\"conv\": "
                + "{\"kernel\": 3, \"channels\": 4}}]}}", "x");
        SnnConfig net = c.networkConfig(64, 10);
        assertThat(net.conv(0).stride()).isEqualTo(1);
        assertThat(net.conv(0).inHeight()).isEqualTo(8); // 64 synthetic inputs are a 1 x 8 x 8 image
        assertThat(net.sizes()).containsExactly(64, 4 * 36, 10);
        TrainConfig h = TrainConfig.fromJson("{\"task\": \"synthetic\", \"network\": {\"hidden\": [20]}}", "x");
        assertThat(h.networkConfig(64, 10).hasConv()).isFalse();
        assertThat(h.networkConfig(64, 10).sizes()).containsExactly(64, 20, 10);
        assertThat(c.inputShape(30)).containsExactly(1, 1, 30);
    }

    @ParameterizedTest
    @CsvSource({"evolveThreshold", "evolveDecay"})
    void evolvedNeuronParametersAreRefusedOnAConvNetworkNamingBothFields(String option) {
        assertThatThrownBy(() -> TrainConfig.fromJson("{\"task\": \"synthetic\", \"network\": {\"" + option
                + "\": true, \"layers\": [\"conv:3:4\", \"dense:8\"]}}", "cfg"))
                .isInstanceOf(TrainConfig.ConfigException.class)
                .hasMessageContaining("network." + option).hasMessageContaining("network.layers")
                .hasMessageContaining("not implemented for convolutional networks");
        SnnConfig conv = SnnConfig.convolutional(new int[] {1, 8, 8}, new int[][] {{3, 4, 1}}, new int[] {10}, 1f, 0.9f,
                io.eggroll.snn.Readout.SPIKE_COUNT);
        assertThatThrownBy(() -> conv.withEvolvedNeurons(option.equals("evolveThreshold"), option.equals("evolveDecay")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("network." + option).hasMessageContaining("network.layers");
    }

    @Test
    void denseEntriesOfNetworkLayersCarryEvolvedNeuronParameters() {
        TrainConfig c = TrainConfig.fromJson("{\"task\": \"synthetic\", \"network\": {\"evolveDecay\": true, "
                + "\"layers\": [\"dense:8\"]}}", "cfg");
        SnnConfig net = c.networkConfig(64, 10);
        assertThat(net.hasConv()).isFalse();
        assertThat(net.evolveDecay()).isTrue();
        assertThat(net.evolveThreshold()).isFalse();
        assertThat(net).isEqualTo(SnnConfig.of(64, 8, 10).withEvolvedNeurons(false, true));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"hidden\": [8], \"layers\": [{\"dense\": 8}]}|mutually exclusive",
        "{\"layers\": [{\"conv\": {\"kernel\": 0, \"channels\": 4}}]}|network.layers[0].conv.kernel must lie in [1, 64], got 0",
        "{\"layers\": [{\"conv\": {\"kernel\": 3, \"channels\": 4, \"stride\": 0}}]}|network.layers[0].conv.stride",
        "{\"layers\": [{\"dense\": 0}]}|network.layers[0].dense must lie in",
        "{\"layers\": [{\"dense\": 8, \"conv\": {\"kernel\": 3, \"channels\": 4}}]}|exactly one of 'conv' and 'dense'",
        "{\"layers\": [{}]}|exactly one of 'conv' and 'dense'",
        "{\"layers\": [{\"dense\": 8}, \"conv:3:4\"]}|network.layers[1] is a conv layer after a dense one",
        "{\"layers\": [{\"conv\": {\"kernel\": 3, \"chanels\": 4}}]}|unknown field 'network.layers[0].conv.chanels'",
        "{\"layers\": [\"conv:3\"]}|conv:KERNEL:CHANNELS",
        "{\"layers\": [{\"conv\": {\"kernel\": 30, \"channels\": 4}}]}|network.layers[0]: conv kernel must lie in [1, 17]",
        "{\"layers\": [{\"dense\": 1.5}]}|network.layers[0].dense",
    })
    void badLayersAreErrorsNamingTheField(String network, String message) {
        assertThatThrownBy(() -> TrainConfig.fromJson("{\"data\": {\"pool\": 2}, \"network\": " + network + "}", "cfg"))
                .isInstanceOf(TrainConfig.ConfigException.class)
                .hasMessageStartingWith("cfg: ")
                .hasMessageContaining(message);
    }

    /** A small synthetic run through a conv layer learns well above chance, and resumes from its checkpoint. */
    @Test
    void aSyntheticConvNetworkLearnsAndItsCheckpointLoads(@TempDir Path tmp) {
        TrainConfig c = tinyConvRun();
        TaskData d = TaskData.synthetic(c);
        SnnConfig net = c.networkConfig(d.train().inputs(), d.train().classes());
        assertThat(net.sizes()).containsExactly(36, 4 * 16, 4);
        ModelState init = ModelState.fresh(Params.init(net, c.seed, c.network.initGain), c.optimizerConfig());
        RunDirectory run = RunDirectory.create(tmp, c, false);
        try (Backend b = new CpuBackend(2)) {
            double before = accuracy(b, init, d);
            Trainer.Result r = new Trainer(c, d.train(), d.validation(), b, run).run(init, 0, 0);
            double after = accuracy(b, r.state(), d);
            System.out.printf("synthetic conv net: test accuracy %.3f before, %.3f after%n", before, after);
            assertThat(after).isGreaterThan(0.25 + 0.3).isGreaterThan(before + 0.2);
            Checkpoint.Data ck = Checkpoint.read(run.latestCheckpoint());
            assertThat(ck.state().network()).isEqualTo(net);
            assertThat(ck.state().params().sha256()).isEqualTo(r.state().params().sha256());
            assertThat(accuracy(b, ck.state(), d)).isEqualTo(after);
        }
    }

    /** The same at Loihi precision: loihi-sim evaluates the quantised conv members and learns too. */
    @Test
    void aSyntheticConvNetworkLearnsInLoihiFixedPoint() {
        TrainConfig c = tinyConvRun();
        c.precision = "loihi";
        c.generations = 40;
        TaskData d = TaskData.synthetic(c);
        SnnConfig net = c.networkConfig(d.train().inputs(), d.train().classes());
        ModelState init = ModelState.fresh(Params.init(net, c.seed, c.network.initGain), c.optimizerConfig());
        try (Backend b = new io.eggroll.backend.fixed.LoihiSimBackend(2)) {
            double before = accuracy(b, init, d);
            Trainer.Result r = new Trainer(c, d.train(), d.validation(), b, null).run(init, 0, 0);
            double after = accuracy(b, r.state(), d);
            System.out.printf("synthetic conv net, loihi-sim: test accuracy %.3f before, %.3f after%n", before, after);
            assertThat(after).isGreaterThan(0.25 + 0.3).isGreaterThan(before + 0.2);
        }
    }

    private static TrainConfig tinyConvRun() {
        TrainConfig c = new TrainConfig();
        c.name = "conv";
        c.seed = 3;
        c.generations = 60;
        c.batch = 16;
        c.evalEvery = 1000;
        c.checkpointEvery = 60;
        c.network.hidden = null;
        c.network.layers = new LayerSpec[] {LayerSpec.conv(3, 4, 1)};
        c.es = c.es.withPopulation(32).withRank(2).withSigma(0.1f);
        c.optimizer = c.optimizer.withLearningRate(0.2f);
        c.synthetic.classes = 4;
        c.synthetic.inputs = 36;
        c.synthetic.timesteps = 8;
        c.synthetic.trainSamples = 400;
        c.synthetic.testSamples = 200;
        c.validate();
        return c;
    }

    static double accuracy(Backend b, ModelState st, TaskData d) {
        b.load(st);
        SpikeBatch batch = SpikeBatch.range(d.test(), 0, d.test().size());
        float[] scores = b.infer(batch);
        int classes = st.network().outputs();
        int right = 0;
        for (int s = 0; s < batch.samples(); s++) {
            int best = 0;
            for (int j = 1; j < classes; j++) {
                if (scores[s * classes + j] > scores[s * classes + best]) {
                    best = j;
                }
            }
            right += best == batch.labels()[s] ? 1 : 0;
        }
        return (double) right / batch.samples();
    }
}
