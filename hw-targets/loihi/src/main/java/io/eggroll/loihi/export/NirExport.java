package io.eggroll.loihi.export;

import io.eggroll.loihi.bridge.Hdf5File;
import io.eggroll.snn.Params;
import io.eggroll.snn.Readout;
import io.eggroll.snn.SnnConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * NIR HDF5 (docs/FORMATS.md section 2), the layout {@code nir.read} accepts with type checking:
 * {@code Input -> Affine -> LIF -> ... -> Affine -> LIF (or LI for a membrane readout) -> Output}.
 *
 * <p>The discrete neuron {@code v = beta v + I} maps to NIR's forward-Euler LIF with
 * {@code tau = dt / (1 - beta)}, {@code r = 1 / (1 - beta)} (unit input gain),
 * {@code v_leak = 0}, {@code v_threshold = theta}, {@code v_reset = 0}; Affine holds
 * {@code W^T} (out, in) and the bias. dt, the integration scheme, the threshold comparison and
 * the reset mode go under {@code node/metadata} only (a LIF dataset named dt breaks nir.read).
 */
public final class NirExport {

    /** The NIR release whose reader this layout was verified against (docs/FORMATS.md section 0). */
    public static final String NIR_VERSION = "1.0.7";
    /** snnTorch's and the Lava import script's dt; with it tau = 0.001 s reproduces beta = 0.9. */
    public static final double DEFAULT_DT = 1e-4;

    private NirExport() {}

    public static void checkExpressible(SnnConfig cfg) {
        if (!(cfg.decay() < 1f)) {
            throw new IllegalArgumentException("NIR cannot express network.decay = " + cfg.decay()
                    + ": a LIF without leak has tau = dt / (1 - beta) = infinity");
        }
    }

    /**
     * Writes the graph. {@code strictThreshold} says whether the network spikes on {@code v > theta}
     * (loihi runs) or {@code v >= theta} (float runs); it is recorded in the metadata.
     */
    public static void write(Params params, Path out, double dt, boolean strictThreshold, Map<String, String> extra,
                             ScheduleBundle schedule) {
        SnnConfig cfg = params.config();
        checkExpressible(cfg);
        if (!(dt > 0) || !Double.isFinite(dt)) {
            throw new IllegalArgumentException("--dt must be a finite number > 0, got " + dt);
        }
        double beta = cfg.decay();
        double tau = dt / (1 - beta);
        double r = 1 / (1 - beta);
        List<String[]> edges = new ArrayList<>();
        try (Hdf5File f = Hdf5File.create(out)) {
            f.writeString("/version", NIR_VERSION);
            f.writeString("/node/type", "NIRGraph");
            String nodes = "/node/nodes/";
            f.writeString(nodes + "input/type", "Input");
            io.eggroll.snn.ConvGeometry conv0 = cfg.conv(0);
            long[] inputShape = conv0 == null ? new long[] {cfg.inputs()}
                    : new long[] {conv0.inChannels(), conv0.inHeight(), conv0.inWidth()};
            f.writeLongs(nodes + "input/shape", inputShape, inputShape.length);
            String prev = "input";
            for (int l = 0; l < cfg.layers(); l++) {
                if (cfg.conv(l) != null) { // Conv2d + LIF over (C, H, W), then a Flatten before the first dense layer
                    prev = NirConv.write(f, nodes, params, l, tau, r, prev, edges);
                    continue;
                }
                int m = cfg.fanIn(l);
                int n = cfg.fanOut(l);
                String fc = "fc" + l;
                float[] w = new float[m * n];
                float[] src = params.weights(l);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        w[j * m + i] = src[i * n + j];
                    }
                }
                f.writeString(nodes + fc + "/type", "Affine");
                f.writeFloats(nodes + fc + "/weight", w, n, m);
                f.writeFloats(nodes + fc + "/bias", params.bias(l).clone(), n);
                edges.add(new String[] {prev, fc});
                boolean membrane = l == cfg.layers() - 1 && cfg.readout() == Readout.MEMBRANE;
                String neuron = (membrane ? "li" : "lif") + l;
                f.writeString(nodes + neuron + "/type", membrane ? "LI" : "LIF");
                f.writeFloats(nodes + neuron + "/tau", filled(n, tau), n);
                f.writeFloats(nodes + neuron + "/r", filled(n, r), n);
                f.writeFloats(nodes + neuron + "/v_leak", filled(n, 0), n);
                if (!membrane) {
                    f.writeFloats(nodes + neuron + "/v_threshold", filled(n, cfg.threshold()), n);
                    f.writeFloats(nodes + neuron + "/v_reset", filled(n, 0), n);
                }
                edges.add(new String[] {fc, neuron});
                prev = neuron;
            }
            f.writeString(nodes + "output/type", "Output");
            f.writeLongs(nodes + "output/shape", new long[] {cfg.outputs()}, 1);
            edges.add(new String[] {prev, "output"});
            String[] flat = edges.stream().flatMap(Arrays::stream).toArray(String[]::new);
            f.writeStrings("/node/edges", true, 0, flat, edges.size(), 2);
            String meta = "/node/metadata/";
            f.writeDoubles(meta + "dt", new double[] {dt});
            f.writeString(meta + "discretization", "forward-euler: v[t+1] = (1 - dt/tau) v[t] + (dt/tau) r I[t]");
            f.writeString(meta + "threshold_comparison", strictThreshold ? ">" : ">=");
            f.writeString(meta + "reset", "zero");
            f.writeString(meta + "readout", cfg.readout().name());
            f.writeDoubles(meta + "beta", new double[] {beta});
            for (Map.Entry<String, String> e : extra.entrySet()) {
                f.writeString(meta + e.getKey(), e.getValue());
            }
            if (schedule != null) {
                schedule.write(f);
            }
        }
    }

    static float[] filled(int n, double v) {
        float[] a = new float[n];
        Arrays.fill(a, (float) v);
        return a;
    }
}
