package io.eggroll.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.eggroll.backend.ModelState;
import io.eggroll.backend.cpu.CpuBackend;
import io.eggroll.snn.Params;
import io.eggroll.snn.SnnConfig;
import io.eggroll.train.TrainConfig;
import io.eggroll.train.Trainer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on converted data: fake MNIST digits go through the saccade converter, the binner
 * and the N-MNIST preset's pipeline (pooled input, membrane readout), and a short ES run learns.
 */
class ConvertedTrainingTest {

    @Test
    void aShortRunOnAFewHundredConvertedSamplesLearns(@TempDir Path dir) throws Exception {
        Map<String, String> hashes = DataFixtures.writeFakeMnist(dir.resolve("idx"), 400, 200);
        PrepareOptions o = PrepareOptions.defaults().withWorkDir(dir.resolve("work")).withLimits(400, 200)
                .withBins(BinSpec.of(8)).withThreads(2);
        NmnistData.Prepared p = NmnistData.prepare(o,
                DataFixtures.offline(dir.resolve("work/mnist"), dir.resolve("idx"), hashes), null);
        SpikeDataset train = PooledSpikeDataset.nmnist(p.train(), 2);
        SpikeDataset test = PooledSpikeDataset.nmnist(p.test(), 2);
        assertThat(train.inputs()).isEqualTo(2 * 17 * 17);

        TrainConfig c = TrainConfig.defaults("nmnist");
        c.generations = 300;
        c.batch = 32;
        c.evalEvery = 1000;
        c.evalSamples = 0;
        c.network.hidden = new int[] {32};
        // This small run's own ES settings (its network is a quarter of the preset's): σ = 0.02.
        c.es = c.es.withPopulation(64).withSigma(0.02f);
        c.optimizer = c.optimizer.withLearningRate(0.01f);
        SnnConfig net = c.networkConfig(train.inputs(), train.classes());
        try (CpuBackend b = new CpuBackend(2)) {
            ModelState st = ModelState.fresh(Params.init(net, c.seed, c.network.initGain), c.optimizerConfig());
            Trainer.Result r = new Trainer(c, train, test, b, null).run(st, 0, 0);
            // Ten classes: chance is 10 %.
            assertThat(r.validationAccuracy()).as("validation accuracy").isGreaterThan(0.5);
        }
    }
}
