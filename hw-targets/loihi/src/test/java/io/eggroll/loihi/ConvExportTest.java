package io.eggroll.loihi;

import static org.assertj.core.api.Assertions.assertThat;

import io.eggroll.loihi.bridge.Hdf5File;
import io.eggroll.loihi.bridge.Hdf5File.Type;
import io.eggroll.loihi.export.NetxExport;
import io.eggroll.loihi.export.TrainedRun;
import io.eggroll.snn.ConvGeometry;
import io.eggroll.snn.Params;
import io.eggroll.snn.SnnConfig;
import io.eggroll.snn.SpikeBatch;
import io.eggroll.snn.fixed.FixedConv;
import io.eggroll.snn.fixed.FixedNetwork;
import io.eggroll.testing.Fixtures;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A conv network's exports read back through the HDF5 bridge: NIR Conv2d (weight (out, in, kh, kw),
 * stride, padding, dilation, groups, input_shape), LIF nodes shaped (C, H, W), a Flatten before the
 * first Affine; NetX conv and flatten entries that read back as the very fixed-point network.
 */
class ConvExportTest {

    @TempDir
    static Path runs;

    /** Synthetic inputs 64 = 1 x 8 x 8: conv k3 s1 (4 x 6 x 6), conv k2 s2 (3 x 3 x 3), dense 8, 10 classes. */
    static final String LAYERS = "conv:3:4:1,conv:2:3:2,dense:8";

    static void train(String name, String... extra) {
        String[] base = {"train", "--runs-dir", runs.toString(), "--name", name, "--task", "synthetic", "--generations", "3",
                "--population", "8", "--layers", LAYERS, "--timesteps", "6", "--batch", "8", "--eval-every", "1000",
                "--eval-samples", "50", "--threads", "2", "--quiet", "--sigma", "0.05", "--lr", "0.05"};
        ExportTest.succeed(base, extra);
    }

    @BeforeAll
    static void trainRuns() {
        NativeSupport.require();
        train("float");
        train("fixed", "--precision", "loihi");
    }

    @Test
    void nirHoldsConv2dFlattenAndShapedLifNodes() {
        Path file = runs.resolve("conv.nir");
        ExportTest.Cli c = ExportTest.cli("export", "--run", runs.resolve("float").toString(), "--format", "nir", "--out",
                file.toString());
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out()).contains("Input -> Conv2d -> LIF -> Conv2d -> LIF -> Flatten -> Affine -> LIF -> Affine -> LIF "
                + "-> Output");
        Params p = TrainedRun.load(runs.resolve("float")).floatParams();
        SnnConfig cfg = p.config();
        try (Hdf5File f = Hdf5File.openReadOnly(file)) {
            String n = "/node/nodes/";
            assertThat(f.readLongs(n + "input/shape")).containsExactly(1, 8, 8);
            assertThat(f.readStrings("/node/edges")).containsExactly("input", "conv0", "conv0", "lif0", "lif0", "conv1",
                    "conv1", "lif1", "lif1", "flatten1", "flatten1", "fc2", "fc2", "lif2", "lif2", "fc3", "fc3", "lif3",
                    "lif3", "output");
            for (int l = 0; l < 2; l++) {
                ConvGeometry g = cfg.conv(l);
                String conv = n + "conv" + l;
                assertThat(f.readString(conv + "/type")).isEqualTo("Conv2d");
                Hdf5File.Info wi = f.dataset(conv + "/weight");
                assertThat(wi.type()).isEqualTo(Type.F32);
                int k = g.kernel();
                assertThat(wi.shape()).containsExactly(g.outChannels(), g.inChannels(), k, k);
                float[] w = f.readFloats(conv + "/weight");
                float[] kernel = p.weights(l);
                for (int o = 0; o < g.outChannels(); o++) {
                    for (int ch = 0; ch < g.inChannels(); ch++) {
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0; kx < k; kx++) {
                                assertThat(w[((o * g.inChannels() + ch) * k + ky) * k + kx])
                                        .isEqualTo(kernel[((ch * k + ky) * k + kx) * g.outChannels() + o]);
                            }
                        }
                    }
                }
                assertThat(f.readFloats(conv + "/bias")).containsExactly(p.bias(l));
                assertThat(f.readLongs(conv + "/stride")).containsExactly(g.stride(), g.stride());
                assertThat(f.readLongs(conv + "/padding")).containsExactly(0, 0);
                assertThat(f.readLongs(conv + "/dilation")).containsExactly(1, 1);
                assertThat(f.dataset(conv + "/groups").shape()).isEmpty();
                assertThat(f.readLongs(conv + "/groups")).containsExactly(1);
                assertThat(f.readLongs(conv + "/input_shape")).containsExactly(g.inHeight(), g.inWidth());
                for (String key : new String[] {"tau", "r", "v_leak", "v_threshold", "v_reset"}) {
                    assertThat(f.dataset(n + "lif" + l + "/" + key).shape())
                            .containsExactly(g.outChannels(), g.outHeight(), g.outWidth());
                }
                // a float run spikes on v >= theta: NIR's strict v > v_threshold needs the float below theta
                assertThat(f.readFloats(n + "lif" + l + "/v_threshold"))
                        .containsOnly(Math.nextDown(cfg.threshold()));
            }
            assertThat(f.readStrings(n + "lif0/type")).containsExactly("LIF");
            assertThat(f.readString(n + "flatten1/type")).isEqualTo("Flatten");
            assertThat(f.readLongs(n + "flatten1/input_type/input")).containsExactly(3, 3, 3);
            assertThat(f.readLongs(n + "flatten1/start_dim")).containsExactly(0);
            assertThat(f.readLongs(n + "flatten1/end_dim")).containsExactly(-1);
            assertThat(f.dataset(n + "fc2/weight").shape()).containsExactly(8, 27);
        }
    }

    @Test
    void netxHoldsConvBlocksThatReadBackAsTheFixedPointNetwork() {
        Path file = runs.resolve("conv.net");
        ExportTest.Cli c = ExportTest.cli("export", "--run", runs.resolve("fixed").toString(), "--format", "netx", "--out",
                file.toString());
        assertThat(c.code()).as(c.err()).isZero();
        TrainedRun run = TrainedRun.load(runs.resolve("fixed"));
        FixedNetwork net = run.fixed();
        SnnConfig cfg = run.network();
        try (Hdf5File f = Hdf5File.openReadOnly(file)) {
            assertThat(f.readLongs("/layer/0/shape")).containsExactly(1, 8, 8);
            String[] types = {"input", "conv", "conv", "flatten", "dense", "dense"};
            for (int i = 0; i < types.length; i++) {
                assertThat(f.readString("/layer/" + i + "/type")).as("layer %d", i).isEqualTo(types[i]);
            }
            ConvGeometry g = cfg.conv(1);
            String b = "/layer/2";
            assertThat(f.readLongs(b + "/shape")).containsExactly(3, 3, 3);
            assertThat(f.readLongs(b + "/stride")).containsExactly(2, 2);
            assertThat(f.readLongs(b + "/padding")).containsExactly(0, 0);
            assertThat(f.readLongs(b + "/dilation")).containsExactly(1, 1);
            assertThat(f.readLongs(b + "/kernelSize")).containsExactly(2, 2);
            assertThat(f.readLongs(b + "/inChannels")).containsExactly(4);
            assertThat(f.readLongs(b + "/outChannels")).containsExactly(3);
            assertThat(f.dataset(b + "/weight").shape()).containsExactly(3, 4, 2, 2);
            assertThat(f.dataset(b + "/bias").shape()).containsExactly(3);
            int[] kernel = FixedConv.fold(g, net.layers().get(1).weights());
            float[] w = f.readFloats(b + "/weight");
            // (o, c, ky, kx) = kernel row (c, ky, kx), column o
            assertThat(w[((2 * 4 + 3) * 2 + 1) * 2 + 0]).isEqualTo(kernel[((3 * 2 + 1) * 2 + 0) * 3 + 2]);
            assertThat(f.readLongs(b + "/neuron/vThMant")).containsExactly(net.layers().get(1).vth());
        }
        FixedNetwork back = NetxExport.read(file);
        assertThat(back.sizes()).containsExactly(net.sizes());
        for (int l = 0; l < net.layers().size(); l++) {
            assertThat(back.layers().get(l).weights()).as("layer %d", l).containsExactly(net.layers().get(l).weights());
            assertThat(back.layers().get(l).biasMant()).containsExactly(net.layers().get(l).biasMant());
            assertThat(back.layers().get(l).scaleExp()).isEqualTo(net.layers().get(l).scaleExp());
        }
        SpikeBatch batch = Fixtures.randomBatch(new SplittableRandom(4), 3, 6, 64, 0.3, 10);
        for (int s = 0; s < 3; s++) {
            assertThat(back.spikeCounts(batch, s)).containsExactly(net.spikeCounts(batch, s));
        }
    }
}
