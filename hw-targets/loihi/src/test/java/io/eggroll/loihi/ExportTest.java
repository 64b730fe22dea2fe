package io.eggroll.loihi;

import static org.assertj.core.api.Assertions.assertThat;

import io.eggroll.cli.Main;
import io.eggroll.train.schedule.ScheduleReplay;
import io.eggroll.train.schedule.SeedSchedule;
import io.eggroll.train.schedule.SeedScheduleReader;
import io.eggroll.loihi.bridge.Hdf5File;
import io.eggroll.loihi.bridge.Hdf5File.Type;
import io.eggroll.loihi.export.NetxExport;
import io.eggroll.loihi.export.ScheduleBundle;
import io.eggroll.loihi.export.TrainedRun;
import io.eggroll.snn.Params;
import io.eggroll.snn.SpikeBatch;
import io.eggroll.snn.fixed.FixedLayer;
import io.eggroll.snn.fixed.FixedNetwork;
import io.eggroll.testing.Fixtures;
import io.eggroll.train.Checkpoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both exports read back through the bridge with the exact datasets, shapes, dtypes and values. */
class ExportTest {

    @TempDir
    static Path runs;

    /** Result of one CLI call: exit code, stdout, stderr. */
    record Cli(int code, String out, String err) {}

    static Cli cli(String... args) {
        StringWriter err = new StringWriter();
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            var cl = Main.commandLine();
            cl.setErr(new PrintWriter(err, true));
            code = cl.execute(args);
        } finally {
            System.setOut(old);
        }
        return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString());
    }

    static void train(String name, String... extra) {
        train(runs, name, extra);
    }

    /** A 4-generation synthetic run (64 -> 12 -> 10) under {@code dir}; {@code extra} adds or replaces options. */
    static void train(Path dir, String name, String... extra) {
        String[] base = {"train", "--runs-dir", dir.toString(), "--name", name, "--task", "synthetic", "--generations", "4",
                "--population", "8", "--hidden", "12", "--timesteps", "8", "--batch", "8", "--eval-every", "1000",
                "--eval-samples", "50", "--threads", "2", "--quiet", "--sigma", "0.05", "--lr", "0.05"};
        succeed(base, extra);
    }

    /** Runs the command line {@code base} then {@code extra}, which must succeed; an option in extra replaces base's. */
    static void succeed(String[] base, String... extra) {
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(base));
        for (String e : extra) {
            int at = all.indexOf(e);
            if (e.startsWith("--") && at > 0 && at + 1 < all.size() && !all.get(at + 1).startsWith("--")) {
                all.subList(at, at + 2).clear(); // the option given in extra replaces the default
            }
        }
        all.addAll(java.util.List.of(extra));
        Cli c = cli(all.toArray(String[]::new));
        assertThat(c.code()).as(c.err()).isZero();
    }

    @BeforeAll
    static void trainRuns() {
        NativeSupport.require();
        train("float");
        train("fixed", "--precision", "loihi");
    }

    @Test
    void netxExportHoldsExactlyTheFixedPointNetwork() {
        Path file = runs.resolve("fixed.net");
        Cli c = cli("export", "--run", runs.resolve("fixed").toString(), "--format", "netx", "--out", file.toString());
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out()).contains("the trained fixed-point network");
        FixedNetwork net = TrainedRun.load(runs.resolve("fixed")).fixed();
        try (Hdf5File f = Hdf5File.openReadOnly(file)) {
            assertThat(f.list("/")).containsExactly("eggroll", "layer");
            assertThat(f.list("/layer")).containsExactly("0", "1", "2");
            assertThat(f.dataset("/layer/0/type").toString()).isEqualTo("STRING[1] fixed 10");
            assertThat(f.readString("/layer/0/type")).isEqualTo("input");
            assertThat(f.dataset("/layer/0/shape").type()).isEqualTo(Type.I64);
            assertThat(f.readLongs("/layer/0/shape")).containsExactly(64);
            for (int l = 0; l < 2; l++) {
                FixedLayer layer = net.layers().get(l);
                String g = "/layer/" + (l + 1);
                assertThat(f.readString(g + "/type")).isEqualTo("dense");
                assertThat(f.list(g)).containsExactly("bias", "inFeatures", "neuron", "outFeatures", "shape", "type", "weight");
                Hdf5File.Info wi = f.dataset(g + "/weight");
                assertThat(wi.type()).isEqualTo(Type.F32);
                assertThat(wi.shape()).containsExactly(layer.fanOut(), layer.fanIn());
                float[] w = f.readFloats(g + "/weight");
                for (int i = 0; i < layer.fanIn(); i++) {
                    for (int j = 0; j < layer.fanOut(); j++) {
                        assertThat(w[j * layer.fanIn() + i]).isEqualTo((float) layer.weights()[i * layer.fanOut() + j]);
                    }
                }
                assertThat(f.dataset(g + "/bias").shape()).containsExactly(layer.fanOut());
                assertThat(f.list(g + "/neuron")).containsExactly("gradedSpike", "iDecay", "refDelay", "type", "vDecay", "vThMant");
                Hdf5File.Info t = f.dataset(g + "/neuron/type");
                assertThat(t.shape()).isEmpty();
                assertThat(t.variableLengthString()).isTrue();
                assertThat(f.readString(g + "/neuron/type")).isEqualTo("CUBA");
                assertThat(f.dataset(g + "/neuron/iDecay").type()).isEqualTo(Type.I64);
                assertThat(f.dataset(g + "/neuron/iDecay").shape()).isEmpty();
                assertThat(f.readLongs(g + "/neuron/iDecay")).containsExactly(4096);
                assertThat(f.readLongs(g + "/neuron/vDecay")).containsExactly(410);
                assertThat(f.readLongs(g + "/neuron/vThMant")).containsExactly(layer.vth());
                assertThat(f.readLongs(g + "/neuron/refDelay")).containsExactly(1);
                assertThat(f.dataset(g + "/neuron/gradedSpike").type()).isEqualTo(Type.BOOL);
                assertThat(f.readBool(g + "/neuron/gradedSpike")).isFalse();
            }
            assertThat(ScheduleBundle.read(f)).isNull();
        }
    }

    @Test
    void aNetworkSimulatedFromTheNetxFileSpikesExactlyLikeTheJavaModel() {
        Path file = runs.resolve("float.net");
        assertThat(cli("export", "--run", runs.resolve("float").toString(), "--format", "netx", "--out", file.toString())
                .code()).isZero();
        FixedNetwork java = TrainedRun.load(runs.resolve("float")).fixed();
        FixedNetwork fromFile = NetxExport.read(file);
        SpikeBatch batch = Fixtures.randomBatch(new SplittableRandom(5), 6, 8, 64, 0.2, 10);
        long spikes = 0;
        for (int s = 0; s < batch.samples(); s++) {
            int steps = java.steps(8);
            FixedNetwork.Trace a = java.trace(batch.offsets(), s * 8, batch.indices(), 8, steps);
            FixedNetwork.Trace b = fromFile.trace(batch.offsets(), s * 8, batch.indices(), 8, steps);
            FixedNetwork.Trace c = NativeSupport.require().run(fromFile, batch.offsets(), s * 8, batch.indices(), 8, steps);
            assertThat(b.raster()).containsExactly(a.raster());
            assertThat(c.raster()).containsExactly(a.raster());
            for (byte x : a.raster()) {
                spikes += x;
            }
        }
        assertThat(spikes).isGreaterThan(0);
    }

    @Test
    void nirExportHoldsTheGraphWithExactWeights() {
        Path file = runs.resolve("float.nir");
        Cli c = cli("export", "--run", runs.resolve("float").toString(), "--format", "nir", "--out", file.toString());
        assertThat(c.code()).as(c.err()).isZero();
        Params p = TrainedRun.load(runs.resolve("float")).floatParams();
        try (Hdf5File f = Hdf5File.openReadOnly(file)) {
            assertThat(f.list("/")).containsExactly("node", "version");
            assertThat(f.readString("/version")).isEqualTo("1.0.7");
            assertThat(f.readString("/node/type")).isEqualTo("NIRGraph");
            assertThat(f.list("/node")).containsExactly("edges", "metadata", "nodes", "type");
            assertThat(f.list("/node/nodes")).containsExactly("fc0", "fc1", "input", "lif0", "lif1", "output");
            Hdf5File.Info e = f.dataset("/node/edges");
            assertThat(e.shape()).containsExactly(5, 2);
            assertThat(e.variableLengthString()).isTrue();
            assertThat(f.readStrings("/node/edges")).containsExactly("input", "fc0", "fc0", "lif0", "lif0", "fc1", "fc1",
                    "lif1", "lif1", "output");
            assertThat(f.readString("/node/nodes/input/type")).isEqualTo("Input");
            assertThat(f.readLongs("/node/nodes/input/shape")).containsExactly(64);
            assertThat(f.readLongs("/node/nodes/output/shape")).containsExactly(10);
            int[] sizes = p.config().sizes();
            for (int l = 0; l < 2; l++) {
                String fc = "/node/nodes/fc" + l;
                assertThat(f.list(fc)).containsExactly("bias", "type", "weight");
                assertThat(f.readString(fc + "/type")).isEqualTo("Affine");
                assertThat(f.dataset(fc + "/weight").shape()).containsExactly(sizes[l + 1], sizes[l]);
                float[] w = f.readFloats(fc + "/weight");
                for (int i = 0; i < sizes[l]; i++) {
                    for (int j = 0; j < sizes[l + 1]; j++) {
                        assertThat(w[j * sizes[l] + i]).isEqualTo(p.weights(l)[i * sizes[l + 1] + j]);
                    }
                }
                assertThat(f.readFloats(fc + "/bias")).containsExactly(p.bias(l));
                String lif = "/node/nodes/lif" + l;
                assertThat(f.list(lif)).containsExactly("r", "tau", "type", "v_leak", "v_reset", "v_threshold");
                assertThat(f.readString(lif + "/type")).isEqualTo("LIF");
                for (String k : List.of("r", "tau", "v_leak", "v_reset", "v_threshold")) {
                    assertThat(f.dataset(lif + "/" + k).shape()).containsExactly(sizes[l + 1]);
                    assertThat(f.dataset(lif + "/" + k).type()).isEqualTo(Type.F32);
                }
                assertThat(f.readFloats(lif + "/tau")[0]).isCloseTo(0.001f, org.assertj.core.data.Offset.offset(1e-8f));
                assertThat(f.readFloats(lif + "/r")[0]).isCloseTo(10f, org.assertj.core.data.Offset.offset(1e-4f));
                // the run spikes on v >= 1: NIR's v > v_threshold with the largest float below 1
                assertThat(f.readFloats(lif + "/v_threshold")[0]).isEqualTo(Math.nextDown(1f));
            }
            assertThat(f.readDoubles("/node/metadata/dt")).containsExactly(1e-4);
            assertThat(f.readString("/node/metadata/threshold_comparison")).isEqualTo(">=");
            assertThat(f.readDoubles("/node/metadata/engine_threshold")).containsExactly(1.0);
            String meta = "/node/metadata/";
            assertThat(f.readLongs(meta + "input_frames")).containsExactly(8);
            assertThat(f.readLongs(meta + "input_shape")).containsExactly(64);
            assertThat(f.readString(meta + "input_index_order")).contains("synthetic");
            assertThat(f.readString(meta + "readout")).isEqualTo("SPIKE_COUNT");
            assertThat(f.readString(meta + "readout_rule")).contains("spike count").contains("final membrane / threshold");
            assertThat(f.readLongs(meta + "generation")).containsExactly(3);
            assertThat(f.readString(meta + "backend")).isEqualTo("cpu");
            assertThat(f.readString(meta + "jvm")).contains(Runtime.version().toString());
            assertThat(f.list("/node/metadata")).contains("eggroll_version", "eggroll_commit")
                    .doesNotContain("loihi_v_threshold_mant");
        }
    }

    @Test
    void withScheduleEmbedsWhatReplaysTheRunBitForBit() throws Exception {
        Path file = runs.resolve("sched.nir");
        Cli c = cli("export", "--run", runs.resolve("fixed").toString(), "--format", "nir", "--out", file.toString(),
                "--with-schedule");
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out()).contains("with the seed schedule up to generation 3")
                .contains("integer thresholds (vThMant, spike on v > vThMant << 6)");
        ScheduleBundle b;
        FixedNetwork fixed = TrainedRun.load(runs.resolve("fixed")).fixed();
        try (Hdf5File f = Hdf5File.openReadOnly(file)) {
            b = ScheduleBundle.read(f);
            assertThat(f.readString("/node/metadata/threshold_comparison")).isEqualTo(">");
            assertThat(f.readFloats("/node/nodes/lif0/v_threshold")[0]).isEqualTo(1f);
            assertThat(f.readLongs("/node/metadata/loihi_v_threshold_mant"))
                    .containsExactly(fixed.layers().stream().mapToLong(FixedLayer::vth).toArray());
            assertThat(f.readLongs("/node/metadata/loihi_scale_exp"))
                    .containsExactly(fixed.layers().stream().mapToLong(FixedLayer::scaleExp).toArray());
            assertThat(f.readLongs("/eggroll/schedule_last_generation")).containsExactly(3);
        }
        assertThat(b.lastGeneration()).isEqualTo(3);
        assertThat(b.schedule()).isEqualTo(Files.readAllBytes(runs.resolve("fixed/schedule.bin")));
        Path init = runs.resolve("embedded-initial.ckpt");
        Files.write(init, b.initialCheckpoint());
        SeedSchedule s = b.parse("embedded");
        Checkpoint.Data latest = Checkpoint.read(runs.resolve("fixed/checkpoints/latest.ckpt"));
        ScheduleReplay.Result r = ScheduleReplay.replay(s, Checkpoint.read(init).state(), latest.generation(),
                latest.state().params().sha256(), latest.state().optimizerState().step(), b.schedule().length, 0, 2);
        assertThat(r.matches()).isTrue();
    }

    /**
     * A run that went on past its last checkpoint (killed at generation 5 with latest.ckpt at 1):
     * the export holds the checkpoint's weights, so it embeds the schedule up to generation 1 only,
     * and that rebuilds them exactly.
     */
    @Test
    void withScheduleEmbedsTheScheduleOnlyUpToTheExportedCheckpoint() throws Exception {
        train("stale", "--generations", "2");
        Path latest = runs.resolve("stale/checkpoints/latest.ckpt");
        byte[] atGen1 = Files.readAllBytes(latest);
        Cli more = cli("train", "--runs-dir", runs.toString(), "--name", "stale", "--resume", "--generations", "6",
                "--quiet");
        assertThat(more.code()).as(more.err()).isZero();
        Files.write(latest, atGen1);
        Checkpoint.Data exported = Checkpoint.read(latest);
        assertThat(exported.generation()).isEqualTo(1);
        for (String format : new String[] {"nir", "netx"}) {
            Path file = runs.resolve("stale." + format);
            Cli c = cli("export", "--run", runs.resolve("stale").toString(), "--format", format, "--out", file.toString(),
                    "--with-schedule");
            assertThat(c.code()).as(c.err()).isZero();
            assertThat(c.out()).contains("with the seed schedule up to generation 1");
            ScheduleBundle b;
            try (Hdf5File f = Hdf5File.openReadOnly(file)) {
                b = ScheduleBundle.read(f);
                assertThat(f.readLongs("/eggroll/schedule_last_generation")).containsExactly(1);
                assertThat(f.readLongs("/eggroll/schedule_generations")).containsExactly(2);
            }
            SeedSchedule s = b.parse("embedded");
            assertThat(s.lastGeneration()).isEqualTo(1);
            assertThat(SeedScheduleReader.read(runs.resolve("stale/schedule.bin")).lastGeneration()).isEqualTo(5);
            Path init = runs.resolve("stale-initial-" + format + ".ckpt");
            Files.write(init, b.initialCheckpoint());
            // replay to the embedded schedule's own end: it must land on the exported weights
            ScheduleReplay.Result r = ScheduleReplay.replay(s, Checkpoint.read(init).state(), s.lastGeneration(),
                    exported.state().params().sha256(), exported.state().optimizerState().step(), b.schedule().length, 0, 2);
            assertThat(r.generations()).isEqualTo(2);
            assertThat(r.matches()).isTrue();
        }
    }

    @Test
    void theExportMessageNamesTheNodeTypesTheFileHolds() throws Exception {
        train("li", "--readout", "MEMBRANE");
        Path file = runs.resolve("li.nir");
        Cli c = cli("export", "--run", runs.resolve("li").toString(), "--format", "nir", "--out", file.toString());
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out()).contains("Input -> Affine -> LIF -> Affine -> LI -> Output");
        try (Hdf5File f = Hdf5File.openReadOnly(file)) {
            assertThat(f.list("/node/nodes")).containsExactly("fc0", "fc1", "input", "li1", "lif0", "output");
            assertThat(f.readString("/node/metadata/readout_rule")).contains("mean over the T steps");
        }
        Path netx = runs.resolve("float-meta.net");
        assertThat(cli("export", "--run", runs.resolve("float").toString(), "--format", "netx", "--out", netx.toString())
                .code()).isZero();
        try (Hdf5File f = Hdf5File.openReadOnly(netx)) {
            assertThat(f.readString("/eggroll/readout_rule")).contains("T + 2 steps");
            assertThat(f.readLongs("/eggroll/input_frames")).containsExactly(8);
        }
    }

    @Test
    void replayCommandChecksTheRun() {
        Cli c = cli("replay", "--run", runs.resolve("float").toString());
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out()).contains("replayed 4 generations (0..3)").contains("OK: bit-identical");
    }

    @Test
    void quantizeReportsFloatAndFixedAccuracy() {
        Cli c = cli("quantize", "--run", runs.resolve("float").toString(), "--samples", "100");
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out()).contains("float (cpu, v >= theta):").contains("Loihi 2 fixed point (loihi-sim):");
    }

    @Test
    void exportErrorsNameTheProblem() {
        Cli missing = cli("export", "--run", runs.resolve("nope").toString(), "--format", "netx", "--out",
                runs.resolve("x.net").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("no run directory at").contains("nope");
        train("membrane", "--readout", "MEMBRANE");
        Cli membrane = cli("export", "--run", runs.resolve("membrane").toString(), "--format", "netx", "--out",
                runs.resolve("m.net").toString());
        assertThat(membrane.code()).isEqualTo(2);
        assertThat(membrane.err()).contains("network.readout = SPIKE_COUNT").contains("MEMBRANE");
        Cli membraneNir = cli("export", "--run", runs.resolve("membrane").toString(), "--format", "nir", "--out",
                runs.resolve("m.nir").toString());
        assertThat(membraneNir.code()).as(membraneNir.err()).isZero();
        Cli noSchedule = cli("export", "--run", runs.resolve("float").toString(), "--format", "netx", "--out",
                runs.resolve("nodir/x.net").toString());
        assertThat(noSchedule.err()).contains("does not exist");
    }
}
