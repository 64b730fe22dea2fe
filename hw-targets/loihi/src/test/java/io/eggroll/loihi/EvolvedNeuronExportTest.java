package io.eggroll.loihi;

import static org.assertj.core.api.Assertions.assertThat;

import io.eggroll.loihi.bridge.Hdf5File;
import io.eggroll.loihi.export.NetxExport;
import io.eggroll.loihi.export.TrainedRun;
import io.eggroll.snn.Params;
import io.eggroll.snn.SpikeBatch;
import io.eggroll.snn.fixed.FixedLayer;
import io.eggroll.snn.fixed.FixedNetwork;
import io.eggroll.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs with evolved thresholds and decays ({@code network.evolveThreshold}, {@code network.evolveDecay}):
 * NIR holds each neuron's {@code v_threshold} and {@code tau}; NetX holds per-layer means, says so,
 * and keeps the per-neuron values where only eggroll reads them.
 */
class EvolvedNeuronExportTest {

    @TempDir
    static Path runs;

    /** A short run with both options on; the decay starts at 0.5 so that no evolved decay reaches 1 (NIR refuses it). */
    static void train(String name, String... extra) throws Exception {
        Path cfg = runs.resolve(name + ".json");
        Files.writeString(cfg, "{\"network\": {\"evolveThreshold\": true, \"evolveDecay\": true, \"decay\": 0.5}}");
        String[] all = Arrays.copyOf(new String[] {"--config", cfg.toString()}, 2 + extra.length);
        System.arraycopy(extra, 0, all, 2, extra.length);
        ExportTest.train(runs, name, all);
    }

    @BeforeAll
    static void trainRuns() throws Exception {
        NativeSupport.require();
        train("evo");
        train("evofixed", "--precision", "loihi");
    }

    @Test
    void nirHoldsEachNeuronsThresholdAndTau() {
        Path file = runs.resolve("evo.nir");
        ExportTest.Cli c = ExportTest.cli("export", "--run", runs.resolve("evo").toString(), "--format", "nir", "--out",
                file.toString(), "--dt", "0.001");
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out()).contains("tau per neuron (evolved decays)");
        Params p = TrainedRun.load(runs.resolve("evo")).floatParams();
        try (Hdf5File f = Hdf5File.openReadOnly(file)) {
            for (int l = 0; l < 2; l++) {
                // The synthetic preset's readout is a leaky integrator (LI, no threshold) in the last layer.
                String node = "/node/nodes/" + (f.list("/node/nodes").contains("lif" + l) ? "lif" : "li") + l;
                if (l == 0) {
                    float[] theta = f.readFloats(node + "/v_threshold");
                    // a float run spikes on v >= theta_j: NIR's strict v > v_threshold needs the float below
                    float[] expected = new float[theta.length];
                    for (int j = 0; j < expected.length; j++) {
                        expected[j] = Math.nextDown(io.eggroll.snn.Neurons.clampThreshold(p.threshold(l)[j]));
                    }
                    assertThat(theta).containsExactly(expected);
                    assertThat(Arrays.stream(box(theta)).distinct().count()).as("thresholds differ by neuron")
                            .isGreaterThan(1);
                }
                float[] tau = f.readFloats(node + "/tau");
                float[] r = f.readFloats(node + "/r");
                for (int j = 0; j < tau.length; j++) {
                    float beta = p.decay(l)[j];
                    assertThat(beta).isBetween(0f, 0.99f);
                    assertThat(tau[j]).isEqualTo((float) (0.001 / (1 - (double) beta)));
                    assertThat(r[j]).isEqualTo((float) (1 / (1 - (double) beta)));
                }
                assertThat(Arrays.stream(box(tau)).distinct().count()).as("tau differs by neuron").isGreaterThan(1);
            }
        }
    }

    @Test
    void netxHoldsPerLayerMeansSaysWhatIsLostAndKeepsTheNeuronsValuesForEggroll() {
        Path file = runs.resolve("evofixed.net");
        ExportTest.Cli c = ExportTest.cli("export", "--run", runs.resolve("evofixed").toString(), "--format", "netx",
                "--out", file.toString());
        assertThat(c.code()).as(c.err()).isZero();
        FixedNetwork net = TrainedRun.load(runs.resolve("evofixed")).fixed();
        assertThat(net.layers().getFirst().perNeuron()).isTrue();
        assertThat(NetxExport.perNeuronLoss(net)).contains("layer 1").contains("one vThMant and vDecay per layer");
        assertThat(c.err() + c.out()).doesNotContain("Exception");
        try (Hdf5File f = Hdf5File.openReadOnly(file)) {
            for (int l = 0; l < 2; l++) {
                FixedLayer layer = net.layers().get(l);
                String g = "/layer/" + (l + 1);
                assertThat(f.readLongs(g + "/neuron/vThMant")).containsExactly(layer.vth());
                assertThat(f.readLongs(g + "/neuron/vDecay")).containsExactly(layer.dv());
                assertThat(f.readLongs("/eggroll/neurons/" + (l + 1) + "/vThMant"))
                        .containsExactly(Arrays.stream(layer.vths()).asLongStream().toArray());
                assertThat(f.readLongs("/eggroll/neurons/" + (l + 1) + "/vDecay"))
                        .containsExactly(Arrays.stream(layer.dvs()).asLongStream().toArray());
            }
        }
        FixedNetwork back = NetxExport.read(file);
        SpikeBatch batch = Fixtures.randomBatch(new SplittableRandom(4), 3, 8, net.inputs(), 0.3, net.outputs());
        for (int s = 0; s < batch.samples(); s++) {
            assertThat(back.spikeCounts(batch, s)).containsExactly(net.spikeCounts(batch, s));
        }
        for (int l = 0; l < 2; l++) {
            assertThat(back.layers().get(l).vths()).containsExactly(net.layers().get(l).vths());
            assertThat(back.layers().get(l).dvs()).containsExactly(net.layers().get(l).dvs());
        }
    }

    private static Float[] box(float[] x) {
        Float[] b = new Float[x.length];
        for (int i = 0; i < x.length; i++) {
            b[i] = x[i];
        }
        return b;
    }
}
