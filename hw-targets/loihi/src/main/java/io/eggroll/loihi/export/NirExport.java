package io.eggroll.loihi.export;

import io.eggroll.loihi.bridge.Hdf5File;
import io.eggroll.snn.Neurons;
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
 * {@code v_leak = 0}, {@code v_threshold = theta} (the largest float below theta for a float run, whose
 * network spikes on {@code >=}), {@code v_reset = 0}; beta = 1 becomes NIR's IF with {@code r = 1/dt}. Affine holds
 * {@code W^T} (out, in) and the bias. dt, the integration scheme, the threshold comparison and
 * the reset mode go under {@code node/metadata} only (a LIF dataset named dt breaks nir.read).
 *
 * <p>Evolved neuron parameters ({@link Neurons}) are per neuron in NIR too: {@code tau}, {@code r}
 * and {@code v_threshold} of neuron j come from its own {@code beta_j} and {@code theta_j} as they
 * act (clamped); {@code metadata/beta} stays the network's initial decay, and
 * {@code metadata/beta_<node>} holds each neuron's float decay, which {@link NirImport} reads back
 * exactly (a float32 tau does not determine a float beta below about 0.6).
 */
public final class NirExport {

    /** The NIR release whose reader this layout was verified against (docs/FORMATS.md section 0). */
    public static final String NIR_VERSION = "1.0.7";
    /** snnTorch's and the Lava import script's dt; with it tau = 0.001 s reproduces beta = 0.9. */
    public static final double DEFAULT_DT = 1e-4;

    private NirExport() {}

    public static void checkExpressible(SnnConfig cfg) {
        if (!(cfg.decay() < 1f) && cfg.readout() == Readout.MEMBRANE) {
            throw new IllegalArgumentException("NIR cannot express network.decay = " + cfg.decay() + " with the MEMBRANE "
                    + "readout: an LI without leak has tau = dt / (1 - beta) = infinity");
        }
    }

    /** Layer l's decays as they act, each checked as {@link #checkExpressible} checks the shared one. */
    static float[] decays(Params params, int l) {
        float[] beta = new float[params.config().fanOut(l)];
        Neurons.decays(params, l, null, 0f, beta);
        for (int j = 0; j < beta.length; j++) {
            if (!(beta[j] < 1f)) {
                throw new IllegalArgumentException("NIR cannot express the evolved decay " + beta[j] + " of layer " + l
                        + " neuron " + j + ": a LIF without leak has tau = dt / (1 - beta) = infinity");
            }
        }
        return beta;
    }

    /**
     * The {@code v_threshold} NIR's strict {@code v > v_threshold} needs to spike exactly where the
     * network does: θ for a strict network (loihi runs), else the largest float below θ, since
     * {@code v >= θ} and {@code v > nextDown(θ)} hold for the same float32 {@code v}.
     */
    public static float nirThreshold(float theta, boolean strictThreshold) {
        return strictThreshold ? theta : Math.nextDown(theta);
    }

    /**
     * Writes the graph and returns its node types in order ({@code Input, Affine, LIF, ..., Output}).
     * {@code strictThreshold} says whether the network spikes on {@code v > theta} (loihi runs) or
     * {@code v >= theta} (float runs); {@code metadata} goes under {@code /node/metadata}
     * ({@link ExportMetadata}).
     */
    public static List<String> write(Params params, Path out, double dt, boolean strictThreshold,
                                     Map<String, Object> metadata, ScheduleBundle schedule) {
        SnnConfig cfg = params.config();
        checkExpressible(cfg);
        if (!(dt > 0) || !Double.isFinite(dt)) {
            throw new IllegalArgumentException("--dt must be a finite number > 0, got " + dt);
        }
        double beta = cfg.decay();
        // Leaky unless the shared decay is 1 (no leak: NIR's IF); an evolved decay of 1 is refused by decays().
        boolean leaky = beta < 1 || cfg.evolveDecay();
        List<String[]> edges = new ArrayList<>();
        List<String> types = new ArrayList<>(List.of("Input"));
        Map<String, float[]> exactBetas = new java.util.LinkedHashMap<>();
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
                    prev = NirConv.write(f, nodes, params, l, dt, strictThreshold, prev, edges, types);
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
                types.add("Affine");
                boolean membrane = l == cfg.layers() - 1 && cfg.readout() == Readout.MEMBRANE;
                String type = membrane ? "LI" : leaky ? "LIF" : "IF";
                String neuron = type.toLowerCase(java.util.Locale.ROOT) + l;
                f.writeString(nodes + neuron + "/type", type);
                float[] r = filled(n, (float) (1 / dt));
                if (leaky) {
                    float[] betas = decays(params, l);
                    float[] tau = new float[n];
                    for (int j = 0; j < n; j++) {
                        tau[j] = (float) (dt / (1 - (double) betas[j]));
                        r[j] = (float) (1 / (1 - (double) betas[j]));
                    }
                    f.writeFloats(nodes + neuron + "/tau", tau, n);
                    if (cfg.evolveDecay()) {
                        exactBetas.put(neuron, betas); // float32 taus cannot carry every float beta
                    }
                }
                f.writeFloats(nodes + neuron + "/r", r, n);
                if (leaky) {
                    f.writeFloats(nodes + neuron + "/v_leak", filled(n, 0), n);
                }
                if (!membrane) {
                    float[] theta = new float[n];
                    Neurons.thresholds(params, l, null, 0f, theta);
                    for (int j = 0; j < n; j++) {
                        theta[j] = nirThreshold(theta[j], strictThreshold);
                    }
                    f.writeFloats(nodes + neuron + "/v_threshold", theta, n);
                    f.writeFloats(nodes + neuron + "/v_reset", filled(n, 0), n);
                }
                edges.add(new String[] {fc, neuron});
                types.add(type);
                prev = neuron;
            }
            f.writeString(nodes + "output/type", "Output");
            f.writeLongs(nodes + "output/shape", new long[] {cfg.outputs()}, 1);
            edges.add(new String[] {prev, "output"});
            types.add("Output");
            String[] flat = edges.stream().flatMap(Arrays::stream).toArray(String[]::new);
            f.writeStrings("/node/edges", true, 0, flat, edges.size(), 2);
            String meta = "/node/metadata/";
            f.writeDoubles(meta + "dt", new double[] {dt});
            f.writeString(meta + "discretization", leaky
                    ? "forward-euler: v[t+1] = (1 - dt/tau) v[t] + (dt/tau) r I[t]"
                    : "forward-euler: v[t+1] = v[t] + dt r I[t]");
            f.writeString(meta + "threshold_comparison", strictThreshold ? ">" : ">=");
            f.writeDoubles(meta + "engine_threshold", new double[] {cfg.threshold()});
            f.writeString(meta + "v_threshold_rule", strictThreshold
                    ? "v_threshold = engine_threshold; the network spikes on v > v_threshold, as NIR's LIF"
                    : "v_threshold = the largest float32 below engine_threshold, so that NIR's v > v_threshold is the "
                    + "network's v >= engine_threshold for every float32 v");
            f.writeString(meta + "reset", "zero");
            f.writeDoubles(meta + "beta", new double[] {beta});
            for (Map.Entry<String, float[]> e : exactBetas.entrySet()) {
                f.writeFloats(meta + "beta_" + e.getKey(), e.getValue(), e.getValue().length);
            }
            ExportMetadata.write(f, "/node/metadata", metadata);
            if (schedule != null) {
                schedule.write(f);
            }
        }
        return types;
    }

    static float[] filled(int n, double v) {
        float[] a = new float[n];
        Arrays.fill(a, (float) v);
        return a;
    }
}
