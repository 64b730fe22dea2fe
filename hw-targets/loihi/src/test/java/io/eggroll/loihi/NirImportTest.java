package io.eggroll.loihi;

import static io.eggroll.loihi.ExportTest.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eggroll.loihi.ExportTest.Cli;
import io.eggroll.loihi.bridge.Hdf5File;
import io.eggroll.loihi.export.NetxExport;
import io.eggroll.loihi.export.NirImport;
import io.eggroll.loihi.export.TrainedRun;
import io.eggroll.snn.LifNetwork;
import io.eggroll.snn.Params;
import io.eggroll.snn.Readout;
import io.eggroll.snn.SnnConfig;
import io.eggroll.snn.SpikeBatch;
import io.eggroll.snn.fixed.FixedLayer;
import io.eggroll.snn.fixed.FixedNetwork;
import io.eggroll.snn.fixed.LoihiQuantizer;
import io.eggroll.testing.Fixtures;
import io.eggroll.train.Checkpoint;
import io.eggroll.train.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NIR import: our own exports come back exactly, hand-written graphs in nir.write's layout map
 * with NIR's equations (Euler at dt, strict threshold), and what the engine cannot run is refused
 * naming the node.
 */
class NirImportTest {

    @TempDir
    static Path runs;

    @BeforeAll
    static void trainRuns() {
        NativeSupport.require();
        ExportTest.train(runs, "float");
        ExportTest.train(runs, "fixed", "--precision", "loihi");
        ExportTest.train(runs, "membrane", "--readout", "MEMBRANE");
        // decays start at 0.5, where a float32 tau does not determine the float beta: the export records them
        Path evolved = runs.resolve("evolved.json");
        try {
            Files.writeString(evolved, "{\"network\": {\"evolveThreshold\": true, \"evolveDecay\": true, \"decay\": 0.5}}");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ExportTest.train(runs, "evolved", "--config", evolved.toString());
        ExportTest.train(runs, "evolvedSpikes", "--config", evolved.toString(), "--readout", "SPIKE_COUNT");
    }

    private static Path export(String run, String format) {
        Path file = runs.resolve(run + "." + format);
        Cli c = cli("export", "--run", runs.resolve(run).toString(), "--format", format, "--out", file.toString());
        assertThat(c.code()).as(c.err()).isZero();
        return file;
    }

    /** Class scores of every sample of a random batch, for the engine's float forward (evolved neurons as they act). */
    private static float[][] scores(Params p, SpikeBatch batch) {
        float[][] out = new float[batch.samples()][];
        for (int s = 0; s < batch.samples(); s++) {
            out[s] = LifNetwork.forward(p, batch, s);
        }
        return out;
    }

    @Test
    void ourFloatExportComesBackExactly() {
        for (String run : new String[] {"float", "membrane"}) {
            Params trained = TrainedRun.load(runs.resolve(run)).floatParams();
            Path file = export(run, "nir");
            NirImport.Result r = NirImport.read(file, null);
            assertThat(NirImport.read(file, 1e-4).params().config()).isEqualTo(trained.config()); // --dt = the file's
            assertThat(r.params().config()).isEqualTo(trained.config());
            assertThat(r.params().sha256()).isEqualTo(trained.sha256());
            assertThat(r.dt()).isEqualTo(1e-4);
            assertThat(r.chain()).isEqualTo(run.equals("float") ? "Input -> Affine -> LIF -> Affine -> LIF -> Output"
                    : "Input -> Affine -> LIF -> Affine -> LI -> Output");
            SpikeBatch batch = Fixtures.randomBatch(new SplittableRandom(3), 20, 8, 64, 0.3, 10);
            float[][] a = scores(trained, batch);
            float[][] b = scores(r.params(), batch);
            for (int s = 0; s < a.length; s++) {
                assertThat(b[s]).containsExactly(a[s]);
            }
        }
    }

    @Test
    void anEvolvedRunsExportComesBackWithTheSameNeuronsBitForBit() {
        for (String run : new String[] {"evolved", "evolvedSpikes"}) {
            Params trained = TrainedRun.load(runs.resolve(run)).floatParams();
            SnnConfig cfg = trained.config();
            assertThat(cfg.evolveThreshold() && cfg.evolveDecay()).isTrue();
            Path file = export(run, "nir");
            NirImport.Result r = NirImport.read(file, null);
            Params back = r.params();
            assertThat(back.config()).isEqualTo(cfg);
            for (int l = 0; l < cfg.layers(); l++) {
                assertThat(back.decay(l)).containsExactly(trained.decay(l));
                assertThat(back.threshold(l)).containsExactly(trained.threshold(l));
                assertThat(back.weights(l)).containsExactly(trained.weights(l));
                assertThat(back.bias(l)).containsExactly(trained.bias(l));
            }
            assertThat(back.sha256()).isEqualTo(trained.sha256());
            assertThat(java.util.stream.IntStream.range(0, 12).mapToDouble(j -> trained.decay(0)[j]).distinct().count())
                    .as("the run evolved its decays").isGreaterThan(1);
            SpikeBatch batch = Fixtures.randomBatch(new SplittableRandom(5), 20, 8, 64, 0.3, 10);
            float[][] a = scores(trained, batch);
            float[][] b = scores(back, batch);
            for (int s = 0; s < a.length; s++) {
                assertThat(b[s]).containsExactly(a[s]);
            }
            assertThat(io.eggroll.loihi.cli.NirInitOptions.summary(r)).contains("per neuron (evolved)");
        }
    }

    @Test
    void anEvolvedRunsImportFineTunesItsNeurons() {
        Path nir = export("evolved", "nir");
        Cli c = cli("train", "--runs-dir", runs.toString(), "--name", "ft-evolved", "--task", "synthetic", "--init",
                nir.toString(), "--generations", "2", "--population", "8", "--timesteps", "8", "--batch", "8",
                "--eval-every", "1000", "--eval-samples", "20", "--threads", "2", "--quiet");
        assertThat(c.code()).as(c.err()).isZero();
        Path dir = runs.resolve("ft-evolved");
        TrainConfig cfg = TrainConfig.load(dir.resolve("config.json"));
        assertThat(cfg.network.evolveThreshold && cfg.network.evolveDecay).isTrue();
        assertThat(Checkpoint.read(dir.resolve("checkpoints/initial.ckpt")).state().params().sha256())
                .isEqualTo(TrainedRun.load(runs.resolve("evolved")).floatParams().sha256());
        Params tuned = TrainedRun.load(dir).floatParams();
        Path back = runs.resolve("ft-evolved-back.nir");
        Cli e = cli("export", "--run", dir.toString(), "--format", "nir", "--out", back.toString());
        assertThat(e.code()).as(e.err()).isZero();
        assertThat(NirImport.read(back, null).params().sha256()).isEqualTo(tuned.sha256());
    }

    @Test
    void aConvNetworksExportComesBackExactlyAndImportsAsARun() {
        // synthetic inputs 64 = 1 x 8 x 8: conv k3 s1 (4 x 6 x 6), conv k2 s2 (3 x 3 x 3), dense 8, 10 classes
        SnnConfig cfg = SnnConfig.convolutional(new int[] {1, 8, 8}, new int[][] {{3, 4, 1}, {2, 3, 2}}, new int[] {8, 10},
                1f, 0.9f, Readout.SPIKE_COUNT);
        Params trained = Params.init(cfg, 11, 1f);
        for (int l = 0; l < cfg.layers(); l++) {
            float[] b = trained.bias(l);
            for (int j = 0; j < b.length; j++) {
                b[j] = 0.01f * (j % 5) - 0.02f;
            }
        }
        Path file = runs.resolve("conv.nir");
        assertThat(io.eggroll.loihi.export.NirExport.write(trained, file, 1e-4, false, java.util.Map.of(), null))
                .contains("Conv2d", "Flatten");
        NirImport.Result r = NirImport.read(file, null);
        assertThat(r.chain()).isEqualTo("Input -> Conv2d -> LIF -> Conv2d -> LIF -> Flatten -> Affine -> LIF -> Affine -> "
                + "LIF -> Output");
        assertThat(r.params().config()).isEqualTo(trained.config());
        assertThat(r.params().config().conv(1)).isEqualTo(new io.eggroll.snn.ConvGeometry(4, 6, 6, 3, 2, 2));
        assertThat(r.params().sha256()).isEqualTo(trained.sha256());
        SpikeBatch batch = Fixtures.randomBatch(new SplittableRandom(6), 20, 6, 64, 0.3, 10);
        float[][] a = scores(trained, batch);
        float[][] b = scores(r.params(), batch);
        for (int s = 0; s < a.length; s++) {
            assertThat(b[s]).containsExactly(a[s]);
        }
        Cli c = cli("import", file.toString(), "--name", "conv-imported", "--runs-dir", runs.toString(), "--task",
                "synthetic", "--timesteps", "6");
        assertThat(c.code()).as(c.err()).isZero();
        Path dir = runs.resolve("conv-imported");
        assertThat(TrainConfig.load(dir.resolve("config.json")).network.layers).hasSize(3);
        assertThat(TrainedRun.load(dir).floatParams().sha256()).isEqualTo(trained.sha256());
        Cli eval = cli("eval", "--run", dir.toString(), "--samples", "50");
        assertThat(eval.code()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("after 0 generations");
    }

    /**
     * {@code in(1, 4, 4) -> conv: Conv2d(2, 1, 3, 3) -> lif: LIF over (2, 2, 2) -> flat: Flatten ->
     * fc: Affine(2 x 8) -> out: LIF -> output(2)}, beta 0.5 at dt 1e-4, in nir.write's layout;
     * {@code edit} writes first.
     */
    static Path handWrittenConv(String name, Consumer<Hdf5File> edit) {
        Path file = runs.resolve(name + ".nir");
        float tau = 2e-4f;
        try (Hdf5File h = Hdf5File.create(file)) {
            edit.accept(h);
            Defaults f = new Defaults(h);
            String n = "/node/nodes/";
            f.string("/node/type", "NIRGraph");
            f.string(n + "in/type", "Input");
            f.longs(n + "in/shape", new long[] {1, 4, 4}, 3);
            f.string(n + "conv/type", "Conv2d");
            float[] k = new float[18];
            for (int i = 0; i < k.length; i++) {
                k[i] = i - 8.5f;
            }
            f.floats(n + "conv/weight", k, 2, 1, 3, 3);
            f.floats(n + "conv/bias", new float[] {0.25f, -0.25f}, 2);
            f.longs(n + "conv/stride", new long[] {1, 1}, 2);
            f.longs(n + "conv/padding", new long[] {0, 0}, 2);
            f.longs(n + "conv/dilation", new long[] {1, 1}, 2);
            f.longs(n + "conv/groups", new long[] {1});
            f.longs(n + "conv/input_shape", new long[] {4, 4}, 2);
            for (String lif : new String[] {"lif", "out"}) {
                long[] shape = lif.equals("lif") ? new long[] {2, 2, 2} : new long[] {2};
                int count = lif.equals("lif") ? 8 : 2;
                f.string(n + lif + "/type", "LIF");
                f.floats(n + lif + "/tau", filled(count, tau), shape);
                f.floats(n + lif + "/r", filled(count, 2), shape);
                f.floats(n + lif + "/v_leak", new float[count], shape);
                f.floats(n + lif + "/v_threshold", filled(count, 1), shape);
                f.floats(n + lif + "/v_reset", new float[count], shape);
            }
            f.string(n + "flat/type", "Flatten");
            f.longs(n + "flat/start_dim", new long[] {0});
            f.longs(n + "flat/end_dim", new long[] {-1});
            f.string(n + "fc/type", "Affine");
            float[] w = new float[16];
            w[3] = 1;
            w[8 + 4] = -1;
            f.floats(n + "fc/weight", w, 2, 8);
            f.floats(n + "fc/bias", new float[2], 2);
            f.string(n + "output/type", "Output");
            f.longs(n + "output/shape", new long[] {2}, 1);
            if (!h.info("/node/edges").exists()) {
                h.writeStrings("/node/edges", true, 0, new String[] {"in", "conv", "conv", "lif", "lif", "flat", "flat",
                        "fc", "fc", "out", "out", "output"}, 6, 2);
            }
        }
        return file;
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Test
    void aHandWrittenConvGraphMapsOntoAConvLayerWithItsKernelAsPatchByChannels() {
        NirImport.Result r = NirImport.read(handWrittenConv("convHand", f -> {}), null);
        Params p = r.params();
        SnnConfig c = p.config();
        assertThat(r.chain()).isEqualTo("Input -> Conv2d -> LIF -> Flatten -> Affine -> LIF -> Output");
        assertThat(c.conv(0)).isEqualTo(new io.eggroll.snn.ConvGeometry(1, 4, 4, 2, 3, 1));
        assertThat(c.conv(1)).isNull();
        assertThat(c.sizes()).containsExactly(16, 8, 2);
        assertThat(c.decay()).isEqualTo(0.5f);
        // weight (out, in, kh, kw) element (o, row) becomes K[row][o]
        float[] kernel = p.weights(0);
        for (int o = 0; o < 2; o++) {
            for (int row = 0; row < 9; row++) {
                assertThat(kernel[row * 2 + o]).isEqualTo(o * 9 + row - 8.5f);
            }
        }
        assertThat(p.bias(0)).containsExactly(0.25f, -0.25f);
        assertThat(p.weights(1)[3 * 2]).isEqualTo(1f);
        assertThat(p.weights(1)[4 * 2 + 1]).isEqualTo(-1f);
        // a flat Input: the Conv2d's input_shape (H, W) and its in channels give the (C, H, W)
        Params flat = NirImport.read(handWrittenConv("convFlatInput",
                f -> f.writeLongs("/node/nodes/in/shape", new long[] {16}, 1)), null).params();
        assertThat(flat.config()).isEqualTo(c);
        assertThat(flat.sha256()).isEqualTo(p.sha256());
    }

    @Test
    void whatAConvLayerCannotMapIsRefusedNamingTheNode() {
        refusedConv("pad", f -> f.writeLongs("/node/nodes/conv/padding", new long[] {1, 1}, 2), "node 'conv' (Conv2d)",
                "padding = [1, 1]", "'valid'");
        refusedConv("dilation", f -> f.writeLongs("/node/nodes/conv/dilation", new long[] {2, 2}, 2),
                "node 'conv' (Conv2d)", "dilation = [2, 2]");
        refusedConv("groups", f -> f.writeLongs("/node/nodes/conv/groups", new long[] {2}), "node 'conv' (Conv2d)",
                "groups = 2");
        refusedConv("stride", f -> f.writeLongs("/node/nodes/conv/stride", new long[] {1, 2}, 2), "node 'conv' (Conv2d)",
                "one stride");
        refusedConv("rect", f -> f.writeFloats("/node/nodes/conv/weight", new float[12], 2, 1, 3, 2),
                "node 'conv' (Conv2d)", "square");
        refusedConv("inShape", f -> f.writeLongs("/node/nodes/conv/input_shape", new long[] {5, 5}, 2),
                "node 'conv' (Conv2d)", "input_shape = [5, 5]");
        refusedConv("perNeuron", f -> f.writeFloats("/node/nodes/lif/v_threshold", new float[] {1, 1, 1, 1, 1, 1, 1, 2},
                2, 2, 2), "node 'lif' (LIF)", "not implement for networks with conv layers");
        refusedConv("gain", f -> f.writeFloats("/node/nodes/lif/r", new float[] {2, 2, 2, 2, 2, 2, 2, 1}, 2, 2, 2),
                "node 'lif' (LIF)", "channel 1", "shared across positions");
    }

    private static void refusedConv(String name, Consumer<Hdf5File> edit, String... parts) {
        refusedFile(handWrittenConv(name, edit), parts);
    }

    @Test
    void aNetworkWithoutLeakGoesOutAsIfAndComesBackExactly() {
        SnnConfig cfg = new SnnConfig(new int[] {5, 4, 3}, 0.75f, 1f, Readout.SPIKE_COUNT);
        Params p = Params.init(cfg, 7, 1f);
        p.bias(0)[1] = -0.125f;
        Path file = runs.resolve("if.nir");
        assertThat(io.eggroll.loihi.export.NirExport.write(p, file, 1e-3, false, java.util.Map.of(), null))
                .containsExactly("Input", "Affine", "IF", "Affine", "IF", "Output");
        NirImport.Result r = NirImport.read(file, null);
        assertThat(r.dt()).isEqualTo(1e-3);
        assertThat(r.params().config()).isEqualTo(cfg);
        assertThat(r.params().sha256()).isEqualTo(p.sha256());
    }

    @Test
    void aLoihiRunsExportQuantisesBackToTheSameIntegers() {
        TrainedRun run = TrainedRun.load(runs.resolve("fixed"));
        NirImport.Result r = NirImport.read(export("fixed", "nir"), null);
        // The strict > of the file becomes >= on the next float up: 1.0000001 for theta = 1.
        assertThat(r.params().config().threshold()).isEqualTo(Math.nextUp(1f));
        FixedNetwork back = LoihiQuantizer.quantize(r.params(), true);
        FixedNetwork original = run.fixed();
        for (int l = 0; l < original.layers().size(); l++) {
            FixedLayer x = original.layers().get(l);
            FixedLayer y = back.layers().get(l);
            assertThat(y.weights()).containsExactly(x.weights());
            assertThat(y.biasMant()).containsExactly(x.biasMant());
            assertThat(y.scaleExp()).isEqualTo(x.scaleExp());
            assertThat(y.vth()).isEqualTo(x.vth());
            assertThat(y.dv()).isEqualTo(x.dv());
        }
    }

    @Test
    void trainInitStartsFromTheFileAndFineTunesInFloatAndLoihiThenExportsBack() throws Exception {
        Path nir = export("float", "nir");
        Params imported = NirImport.read(nir, null).params();
        for (String precision : new String[] {"float", "loihi"}) {
            String name = "ft-" + precision;
            Cli c = cli("train", "--runs-dir", runs.toString(), "--name", name, "--task", "synthetic", "--init",
                    nir.toString(), "--generations", "2", "--population", "8", "--timesteps", "8", "--batch", "8",
                    "--eval-every", "1000", "--eval-samples", "20", "--threads", "2", "--quiet", "--precision", precision);
            assertThat(c.code()).as(c.err()).isZero();
            assertThat(c.err()).contains("initial weights from " + nir).contains("Input -> Affine -> LIF");
            Path dir = runs.resolve(name);
            assertThat(Checkpoint.read(dir.resolve("checkpoints/initial.ckpt")).state().params().sha256())
                    .isEqualTo(imported.sha256());
            TrainConfig cfg = TrainConfig.load(dir.resolve("config.json"));
            assertThat(cfg.network.hidden).containsExactly(12);
            Cli eval = cli("eval", "--run", dir.resolve("checkpoints/initial.ckpt").toString(), "--samples", "20");
            assertThat(eval.code()).as(eval.err()).isZero();
            assertThat(eval.out()).contains("after 0 generations");
            Path back = runs.resolve(name + "-back.nir");
            Cli e1 = cli("export", "--run", dir.toString(), "--format", "nir", "--out", back.toString());
            assertThat(e1.code()).as(e1.err()).isZero();
            Params tuned = TrainedRun.load(dir).floatParams();
            assertThat(NirImport.read(back, null).params().sha256()).isEqualTo(tuned.sha256());
            Path netx = runs.resolve(name + "-back.net");
            Cli e2 = cli("export", "--run", dir.toString(), "--format", "netx", "--out", netx.toString());
            assertThat(e2.code()).as(e2.err()).isZero();
            assertThat(NetxExport.read(netx).layers()).hasSize(2);
        }
    }

    @Test
    void importMakesARunThatEvalQuantizeAndExportTakeAsItIs() {
        Path nir = export("float", "nir");
        Cli c = cli("import", nir.toString(), "--name", "imported", "--runs-dir", runs.toString(), "--task", "synthetic",
                "--timesteps", "8");
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out()).contains("Input -> Affine -> LIF -> Affine -> LIF -> Output").contains("generation -1");
        Path dir = runs.resolve("imported");
        assertThat(TrainedRun.load(dir).floatParams().sha256())
                .isEqualTo(TrainedRun.load(runs.resolve("float")).floatParams().sha256());
        Cli mine = cli("eval", "--run", dir.toString(), "--samples", "100");
        Cli theirs = cli("eval", "--run", runs.resolve("float").toString(), "--samples", "100");
        assertThat(mine.code()).as(mine.err()).isZero();
        assertThat(mine.out()).contains("after 0 generations");
        String accuracy = theirs.out().lines().filter(l -> l.startsWith("accuracy on")).findFirst().orElseThrow();
        assertThat(mine.out()).contains(accuracy);
        assertThat(cli("quantize", "--run", dir.toString(), "--samples", "50").code()).isZero();
        Path back = runs.resolve("imported-back.nir");
        assertThat(cli("export", "--run", dir.toString(), "--format", "nir", "--out", back.toString()).code()).isZero();
        assertThat(NirImport.read(back, null).params().sha256())
                .isEqualTo(TrainedRun.load(runs.resolve("float")).floatParams().sha256());
        Cli again = cli("import", nir.toString(), "--name", "imported", "--runs-dir", runs.toString(), "--task", "synthetic");
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("already holds a run");
    }

    @Test
    void trainInitRefusesWhatConflictsWithTheFile() {
        Path nir = export("float", "nir");
        Cli hidden = cli("train", "--runs-dir", runs.toString(), "--name", "bad", "--task", "synthetic", "--init",
                nir.toString(), "--hidden", "7", "--generations", "1", "--quiet");
        assertThat(hidden.code()).isEqualTo(2);
        assertThat(hidden.err()).contains("--hidden 7 conflicts with --init").contains("whose hidden layers are 12");
        Cli inputs = cli("train", "--runs-dir", runs.toString(), "--name", "bad", "--task", "synthetic", "--init",
                nir.toString(), "--config", writeConfig("{\"synthetic\": {\"inputs\": 32}}").toString(), "--generations",
                "1", "--quiet");
        assertThat(inputs.code()).isEqualTo(2);
        assertThat(inputs.err()).contains("does not fit the task's 32,12,10").contains("the task has 32 inputs");
        Cli resume = cli("train", "--runs-dir", runs.toString(), "--name", "float", "--resume", "--init", nir.toString());
        assertThat(resume.code()).isEqualTo(2);
        assertThat(resume.err()).contains("--init starts a new run");
        Cli dtAlone = cli("train", "--runs-dir", runs.toString(), "--name", "bad", "--dt", "1e-3", "--quiet");
        assertThat(dtAlone.code()).isEqualTo(2);
        assertThat(dtAlone.err()).contains("--dt applies to --init");
        assertThat(Files.exists(runs.resolve("bad/config.json"))).isFalse();
    }

    private static Path writeConfig(String json) {
        try {
            Path p = Files.createTempFile(runs, "cfg", ".json");
            Files.writeString(p, json);
            return p;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ hand-written files

    /**
     * A graph as nir.write lays it out: {@code Input(4) -> fc: Affine(3x4) -> cuba: CubaLIF ->
     * out: Linear(2x3) -> lif: LIF -> Output(2)}, snnTorch's values for beta = 0.5 (dt 1e-4:
     * tau = dt/(1-beta), r = tau/dt), a Synaptic layer with alpha = 0 (tau_syn = dt, w_in = 1).
     * {@code edit} changes the file before it is closed.
     */
    static Path handWritten(String name, Consumer<Hdf5File> edit) {
        Path file = runs.resolve(name + ".nir");
        double dt = 1e-4;
        float tau = (float) (dt / (1 - 0.5));
        try (Hdf5File h = Hdf5File.create(file)) {
            edit.accept(h); // first: the defaults below leave what it wrote
            Defaults f = new Defaults(h);
            f.string("/version", "1.0.7");
            f.string("/node/type", "NIRGraph");
            String n = "/node/nodes/";
            f.string(n + "in/type", "Input");
            if (!h.info(n + "in/shape").exists()) {
                h.writeLongs(n + "in/shape", new long[] {4}, 1);
            }
            f.string(n + "fc/type", "Affine");
            f.floats(n + "fc/weight", new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 3, 4);
            f.floats(n + "fc/bias", new float[] {0.5f, -0.5f, 0.25f}, 3);
            f.string(n + "cuba/type", "CubaLIF");
            f.floats(n + "cuba/tau_syn", new float[] {(float) dt, (float) dt, (float) dt}, 3);
            f.floats(n + "cuba/tau_mem", new float[] {tau, tau, tau}, 3);
            f.floats(n + "cuba/r", new float[] {2, 2, 2}, 3);
            f.floats(n + "cuba/v_leak", new float[3], 3);
            f.floats(n + "cuba/v_threshold", new float[] {1, 1, 1}, 3);
            f.floats(n + "cuba/v_reset", new float[3], 3);
            f.floats(n + "cuba/w_in", new float[] {1, 1, 1}, 3);
            f.string(n + "out/type", "Linear");
            f.floats(n + "out/weight", new float[] {1, 0, -1, 0.5f, 0.5f, 0.5f}, 2, 3);
            f.string(n + "lif/type", "LIF");
            f.floats(n + "lif/tau", new float[] {tau, tau}, 2);
            f.floats(n + "lif/r", new float[] {2, 2}, 2);
            f.floats(n + "lif/v_leak", new float[2], 2);
            f.floats(n + "lif/v_threshold", new float[] {1, 1}, 2);
            f.floats(n + "lif/v_reset", new float[2], 2);
            f.string(n + "output/type", "Output");
            if (!h.info(n + "output/shape").exists()) {
                h.writeLongs(n + "output/shape", new long[] {2}, 1);
            }
            // nir.write stores the edges as a (k, 2) string dataset; their order does not matter
            if (!h.info("/node/edges").exists()) {
                h.writeStrings("/node/edges", true, 0, new String[] {"lif", "output", "in", "fc", "cuba", "out", "fc",
                        "cuba", "out", "lif"}, 5, 2);
            }
        }
        return file;
    }

    /** Writes a dataset unless the test's edit already did. */
    private record Defaults(Hdf5File f) {
        void string(String path, String v) {
            if (!f.info(path).exists()) {
                f.writeString(path, v);
            }
        }

        void floats(String path, float[] v, long... shape) {
            if (!f.info(path).exists()) {
                f.writeFloats(path, v, shape);
            }
        }

        void longs(String path, long[] v, long... shape) {
            if (!f.info(path).exists()) {
                f.writeLongs(path, v, shape);
            }
        }
    }

    @Test
    void aHandWrittenCubaLifGraphMapsWithNirsEquations() {
        NirImport.Result r = NirImport.read(handWritten("cuba", f -> {}), null);
        SnnConfig c = r.params().config();
        assertThat(c.sizes()).containsExactly(4, 3, 2);
        assertThat(c.decay()).isEqualTo(0.5f);
        assertThat(c.threshold()).isEqualTo(Math.nextUp(1f));
        assertThat(c.readout()).isEqualTo(Readout.SPIKE_COUNT);
        assertThat(r.dtSource()).contains("default");
        assertThat(r.chain()).isEqualTo("Input -> Affine -> CubaLIF -> Linear -> LIF -> Output");
        // gain (dt/tau_syn) w_in (dt/tau_mem) r = 1 * 1 * 0.5 * 2 = 1: weights as stored, transposed to (in, out)
        assertThat(r.params().weights(0)).containsExactly(1, 5, 9, 2, 6, 10, 3, 7, 11, 4, 8, 12);
        assertThat(r.params().bias(0)).containsExactly(0.5f, -0.5f, 0.25f);
        assertThat(r.params().weights(1)).containsExactly(1, 0.5f, 0, 0.5f, -1, 0.5f);
        assertThat(r.params().bias(1)).containsExactly(0, 0);
    }

    @Test
    void anotherDtChangesTheDecayAndTheGainFoldsIntoTheWeights() {
        // dt = 5e-5 with tau_mem = 2e-4: beta = 0.75 and the input gain (dt/tau) r = 0.25 * 2 = 0.5 scales the
        // weights and biases; tau_syn = dt keeps the CubaLIF's current to one step's input
        Path file = handWritten("dt", f -> f.writeFloats("/node/nodes/cuba/tau_syn", new float[] {5e-5f, 5e-5f, 5e-5f}, 3));
        NirImport.Result r = NirImport.read(file, 5e-5);
        assertThat(r.dtSource()).isEqualTo("--dt");
        assertThat(r.params().config().decay()).isEqualTo(0.75f);
        float[] w1 = r.params().weights(1);
        float[] expected = {0.5f, 0.25f, 0, 0.25f, -0.5f, 0.25f};
        for (int k = 0; k < w1.length; k++) {
            assertThat(w1[k]).isCloseTo(expected[k], org.assertj.core.data.Offset.offset(1e-6f));
        }
        assertThat(r.params().weights(0)[1]).isCloseTo(2.5f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(r.params().bias(0)[0]).isCloseTo(0.25f, org.assertj.core.data.Offset.offset(1e-7f));
    }

    @Test
    void decaysThatDifferAcrossNeuronsBecomeEvolvedDecays() {
        // tau 2e-4 and 4e-4 at dt 1e-4: beta 0.5 and 0.75, input gains (dt/tau) r = 1 and 0.5
        Path file = handWritten("perNeuronTau", f -> f.writeFloats("/node/nodes/lif/tau", new float[] {2e-4f, 4e-4f}, 2));
        Params p = NirImport.read(file, null).params();
        SnnConfig c = p.config();
        assertThat(c.evolveDecay()).isTrue();
        assertThat(c.evolveThreshold()).isFalse();
        assertThat(c.threshold()).isEqualTo(Math.nextUp(1f));
        assertThat(p.decay(0)).containsExactly(0.5f, 0.5f, 0.5f);
        assertThat(p.decay(1)).containsExactly(0.5f, 0.75f);
        assertThat(c.decay()).isEqualTo(0.55f); // no metadata: the mean is the initial value
        float[] w = p.weights(1);
        assertThat(new float[] {w[0], w[2], w[4]}).containsExactly(1, 0, -1);
        for (int k : new int[] {1, 3, 5}) {
            assertThat(w[k]).isCloseTo(0.25f, org.assertj.core.data.Offset.offset(1e-7f));
        }
    }

    @Test
    void thresholdsThatDifferAcrossLayersOrNeuronsBecomeEvolvedThresholdsWithNirsStrictRule() {
        Params layers = NirImport.read(handWritten("perLayerTheta",
                f -> f.writeFloats("/node/nodes/lif/v_threshold", new float[] {2, 2}, 2)), null).params();
        assertThat(layers.config().evolveThreshold()).isTrue();
        assertThat(layers.config().evolveDecay()).isFalse();
        assertThat(layers.config().decay()).isEqualTo(0.5f);
        assertThat(layers.threshold(0)).containsExactly(Math.nextUp(1f), Math.nextUp(1f), Math.nextUp(1f));
        assertThat(layers.threshold(1)).containsExactly(Math.nextUp(2f), Math.nextUp(2f));
        // v > 0.75 as v >= nextUp(0.75); a float64 threshold between floats rounds up to the float above it
        Params neurons = NirImport.read(handWritten("perNeuronTheta",
                f -> f.writeDoubles("/node/nodes/cuba/v_threshold", new double[] {0.75, 1, 1.0 + 1e-9}, 3)), null).params();
        assertThat(neurons.threshold(0)).containsExactly(Math.nextUp(0.75f), Math.nextUp(1f), Math.nextUp(1f));
        assertThat(neurons.threshold(1)).containsExactly(Math.nextUp(1f), Math.nextUp(1f));
    }

    @Test
    void anInputExactlyAtTheThresholdDoesNotSpikeAsNirSays() {
        // One input, two LIF outputs with beta = 0 (tau = dt, r = 1): v = w at the input's step. NIR spikes on
        // v > 1, so w = 1 stays silent and w = nextUp(1) fires.
        Params p = NirImport.read(edge("edge", new float[] {1f, Math.nextUp(1f)}, new double[] {1}), null).params();
        assertThat(p.config().decay()).isZero();
        assertThat(p.config().evolveThreshold()).isFalse();
        float[] s = scores(p, oneSpike())[0];
        // spike count + final membrane / theta: neuron 0 holds v = 1 without spiking, neuron 1 spiked and reset
        assertThat(s[0]).isEqualTo(1f / Math.nextUp(1f));
        assertThat(s[1]).isEqualTo(1f);
        assertThat(s[0]).isLessThan(1f);
    }

    @Test
    void eachNeuronKeepsTheStrictThresholdOfItsOwnVThreshold() {
        // v_threshold 2 and 0.5 per neuron: v = 2 exactly stays silent, v = nextUp(0.5) fires
        Params p = NirImport.read(edge("edgePerNeuron", new float[] {2f, Math.nextUp(0.5f)}, new double[] {2, 0.5}), null)
                .params();
        assertThat(p.config().evolveThreshold()).isTrue();
        assertThat(p.threshold(0)).containsExactly(Math.nextUp(2f), Math.nextUp(0.5f));
        float[] s = scores(p, oneSpike())[0];
        assertThat(s[0]).isEqualTo(2f / Math.nextUp(2f)).isLessThan(1f);
        assertThat(s[1]).isEqualTo(1f);
    }

    private static SpikeBatch oneSpike() {
        return new SpikeBatch(1, 1, 1, new int[] {0, 1}, new int[] {0}, new int[] {0}, new int[] {0});
    }

    /** {@code input(1) -> fc: Affine(2x1, weights w) -> lif: LIF(tau = dt, r = 1, v_threshold vt) -> output(2)}. */
    private static Path edge(String name, float[] w, double[] vt) {
        Path file = runs.resolve(name + ".nir");
        try (Hdf5File f = Hdf5File.create(file)) {
            String n = "/node/nodes/";
            f.writeString("/node/type", "NIRGraph");
            f.writeString(n + "input/type", "Input");
            f.writeLongs(n + "input/shape", new long[] {1}, 1);
            f.writeString(n + "fc/type", "Affine");
            f.writeFloats(n + "fc/weight", w, 2, 1);
            f.writeFloats(n + "fc/bias", new float[2], 2);
            f.writeString(n + "lif/type", "LIF");
            f.writeDoubles(n + "lif/tau", new double[] {1e-4});
            f.writeDoubles(n + "lif/r", new double[] {1});
            f.writeDoubles(n + "lif/v_leak", new double[] {0});
            f.writeDoubles(n + "lif/v_threshold", vt, vt.length);
            f.writeString(n + "output/type", "Output");
            f.writeLongs(n + "output/shape", new long[] {2}, 1);
            f.writeStrings("/node/edges", true, 0, new String[] {"input", "fc", "fc", "lif", "lif", "output"}, 3, 2);
        }
        return file;
    }

    @Test
    void whatTheEngineCannotRunIsRefusedNamingTheNode() {
        refused("theta0", f -> f.writeFloats("/node/nodes/lif/v_threshold", new float[] {1, -1}, 2),
                "node 'lif' (LIF)", "v_threshold = -1.0 (neuron 1)", "finite threshold > 0");
        refused("reset", f -> f.writeFloats("/node/nodes/lif/v_reset", new float[] {0, 0.5f}, 2),
                "node 'lif' (LIF)", "v_reset = 0.5", "resets the membrane to 0");
        refused("alpha", f -> f.writeFloats("/node/nodes/cuba/tau_syn", new float[] {2e-4f, 2e-4f, 2e-4f}, 3),
                "node 'cuba' (CubaLIF)", "alpha = 1 - dt/tau_syn = 0.5", "no synaptic current");
        refused("conv", f -> f.writeString("/node/nodes/out/type", "Conv2d"),
                "node 'out' (Conv2d)", "it follows a dense layer");
        refused("conv1d", f -> f.writeString("/node/nodes/out/type", "Conv1d"),
                "node 'out' (Conv1d)", "1-d convolutions are not supported");
        refused("hiddenLi", f -> {
            f.writeString("/node/nodes/cuba/type", "LI");
            f.writeFloats("/node/nodes/cuba/tau", new float[] {2e-4f, 2e-4f, 2e-4f}, 3);
        }, "node 'cuba' (LI)", "a non-spiking integrator is a hidden layer");
        refused("island", f -> f.writeString("/node/nodes/extra/type", "LIF"), "node 'extra' (LIF)",
                "lies off the chain");
        refused("outputShape", f -> f.writeLongs("/node/nodes/output/shape", new long[] {3}, 1), "node 'output' (Output)",
                "3 values but the last layer has 2 neurons");
        refused("branch", f -> f.writeStrings("/node/edges", true, 0, new String[] {"lif", "output", "in", "fc", "cuba",
                "out", "fc", "cuba", "out", "lif", "fc", "lif"}, 6, 2), "node 'fc' (Affine)", "feeds 2 nodes");
        refused("fastTau", f -> f.writeFloats("/node/nodes/lif/tau", new float[] {5e-5f, 5e-5f}, 2),
                "node 'lif' (LIF)", "is below dt", "beta = 1 - dt/tau");
    }

    private static void refused(String name, Consumer<Hdf5File> edit, String... parts) {
        refusedFile(handWritten(name, edit), parts);
    }

    /** Reading {@code file} is refused with a message naming it and holding each of {@code parts}. */
    private static void refusedFile(Path file, String... parts) {
        var t = assertThatThrownBy(() -> NirImport.read(file, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString());
        for (String p : parts) {
            t.hasMessageContaining(p);
        }
    }
}
