package io.eggroll.loihi.export;

import io.eggroll.cli.BuildInfo;
import io.eggroll.loihi.bridge.Hdf5File;
import io.eggroll.snn.Readout;
import io.eggroll.snn.fixed.FixedLayer;
import io.eggroll.snn.fixed.FixedNetwork;
import io.eggroll.train.TrainConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a user on another stack needs to feed an exported network and read its answer, and what
 * produced it (docs/FORMATS.md section 2.1): the input encoding, the readout, the Loihi integer
 * threshold, the build. Values are strings, {@code Long}s, {@code Double}s or {@code long[]} /
 * {@code double[]}; {@link #write} stores them as datasets under a group ({@code /node/metadata}
 * in NIR, {@code /eggroll} in NetX).
 */
public final class ExportMetadata {

    private ExportMetadata() {}

    /** Where the 2 x 34 x 34 N-MNIST sensor's inputs go: one index per (polarity, y, x). */
    static final int SENSOR = 34;

    /**
     * The metadata of {@code run}'s export. {@code fixed} is the integer network a loihi-precision
     * run uses (its thresholds are recorded), else null; {@code denseDelay} says the readout runs
     * L steps longer (NetX).
     */
    public static Map<String, Object> of(TrainedRun run, FixedNetwork fixed, boolean denseDelay) {
        TrainConfig cfg = run.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", "eggroll-snn run " + run.run().root() + " (after " + (run.checkpoint().generation() + 1)
                + " generations, precision " + cfg.precision + ")");
        m.put("precision", cfg.precision);
        m.put("generation", (long) run.checkpoint().generation());
        int t = run.timesteps();
        m.put("input_frames", (long) t);
        if ("nmnist".equals(cfg.task)) {
            int pool = cfg.data.pool;
            int side = (SENSOR + pool - 1) / pool;
            m.put("input_window_ms", cfg.data.windowMs);
            m.put("input_pool", (long) pool);
            m.put("input_shape", new long[] {2, side, side});
            m.put("input_index_order", "(polarity, y, x) in C order: index = p*" + side * side + " + y*" + side + " + x");
            m.put("input_encoding", String.format(java.util.Locale.ROOT, "N-MNIST events of [0, %s) ms binned into %d "
                    + "equal frames (frame = floor(t*%d/window)); an input spikes once in a frame if it had any event "
                    + "there (OR binning)%s; one frame per time step", fmt(cfg.data.windowMs), t, t,
                    pool == 1 ? "" : "; x and y OR-pooled by " + pool + " (34x34 -> " + side + "x" + side + ")"));
        } else {
            m.put("input_shape", new long[] {run.network().inputs()});
            m.put("input_index_order", "input i of the synthetic task");
            m.put("input_encoding", "the synthetic task's Poisson spike patterns: " + t + " frames, one per time step");
        }
        int layers = run.network().layers();
        String steps = denseDelay ? "T + " + layers + " steps (each Dense delays by one; no input after step T)"
                : "the T steps";
        m.put("readout", run.network().readout().name());
        m.put("readout_rule", run.network().readout() == Readout.SPIKE_COUNT
                ? "class score = spike count of the last layer over " + steps + " + its final membrane / threshold "
                + "(a residue below 1 that only orders equal counts); prediction = the first class of highest score"
                : "class score = the mean over the T steps of the last layer's leaky membrane (LI, no spikes); "
                + "prediction = the first class of highest score");
        if (fixed != null) {
            long[] vth = new long[fixed.layers().size()];
            long[] exp = new long[vth.length];
            double[] theta = new double[vth.length];
            for (int l = 0; l < vth.length; l++) {
                FixedLayer f = fixed.layers().get(l);
                vth[l] = f.vth();
                exp[l] = f.scaleExp();
                theta[l] = Math.scalb((double) f.vth(), -f.scaleExp());
            }
            m.put("loihi_v_threshold_mant", vth);
            m.put("loihi_scale_exp", exp);
            m.put("loihi_threshold", theta);
            m.put("loihi_threshold_rule", "spike when the 24-bit membrane v > vThMant << 6 (strict), per layer; "
                    + "loihi_threshold = vThMant * 2^-scale_exp is the float threshold the integers stand for");
        }
        BuildInfo b = BuildInfo.current();
        m.put("eggroll_version", b.version());
        m.put("eggroll_commit", b.commit());
        m.put("jvm", b.jvm());
        m.put("backend", cfg.resolvedBackend());
        return m;
    }

    private static String fmt(double ms) {
        return ms == Math.rint(ms) ? Long.toString((long) ms) : Double.toString(ms);
    }

    /** Writes each entry as a dataset {@code group/key}. */
    static void write(Hdf5File f, String group, Map<String, Object> meta) {
        for (Map.Entry<String, Object> e : meta.entrySet()) {
            String path = group + "/" + e.getKey();
            switch (e.getValue()) {
                case String s -> f.writeString(path, s);
                case Long v -> f.writeLongs(path, new long[] {v});
                case Double v -> f.writeDoubles(path, new double[] {v});
                case long[] v -> f.writeLongs(path, v, v.length);
                case double[] v -> f.writeDoubles(path, v, v.length);
                default -> throw new IllegalArgumentException("metadata " + e.getKey() + ": unsupported value "
                        + e.getValue().getClass());
            }
        }
    }
}
