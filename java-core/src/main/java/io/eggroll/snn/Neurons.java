package io.eggroll.snn;

/**
 * Evolved neuron parameters ({@link SnnConfig#evolveThreshold}, {@link SnnConfig#evolveDecay}):
 * each neuron j of layer l has its own threshold {@code theta_j} and decay {@code beta_j}
 * ({@link Params#threshold}, {@link Params#decay}), perturbed by ES like the biases, with
 * full-rank noise {@code e} of their own streams:
 *
 * <pre>
 *   theta_j' = max(theta_j + (s sigma) e_j, MIN_THRESHOLD)
 *   beta_j'  = min(max(beta_j + (s sigma) e_j, 0), 1)
 * </pre>
 *
 * <p>The valid ranges are kept by clamping in the forward pass (here, the one place every
 * backend takes them from), not by a reparameterisation: the stored values are what ES updates
 * and may leave the range; what acts, and what exports write, is the clamped value. A parameter
 * that is not evolved is the network's shared value for every neuron, unclamped (it is validated).
 */
public final class Neurons {

    /** The smallest threshold that acts; below it the readout residue {@code v / theta} would explode. */
    public static final float MIN_THRESHOLD = 1e-3f;

    private Neurons() {}

    /** A threshold as it acts: at least {@link #MIN_THRESHOLD}. */
    public static float clampThreshold(float theta) {
        return Math.max(theta, MIN_THRESHOLD);
    }

    /** A decay as it acts: in {@code [0, 1]}. */
    public static float clampDecay(float beta) {
        return Math.min(Math.max(beta, 0f), 1f);
    }

    /**
     * Layer l's thresholds as they act, into {@code out[0 .. n)}: the shared threshold where they
     * are not evolved (or do not act, {@link SnnConfig#thresholdActs}), else
     * {@code clamp(theta_j + sb e_j)}, or {@code clamp(theta_j)} when {@code e} is null (unperturbed).
     */
    public static void thresholds(Params p, int l, float[] e, float sb, float[] out) {
        SnnConfig cfg = p.config();
        int n = cfg.neurons(l);
        if (!cfg.thresholdActs(l)) {
            java.util.Arrays.fill(out, 0, n, cfg.threshold());
            return;
        }
        float[] theta = p.threshold(l);
        for (int j = 0; j < n; j++) {
            out[j] = clampThreshold(e == null ? theta[j] : theta[j] + sb * e[j]);
        }
    }

    /** Layer l's decays as they act, into {@code out[0 .. n)}: as {@link #thresholds}, for the decays. */
    public static void decays(Params p, int l, float[] e, float sb, float[] out) {
        SnnConfig cfg = p.config();
        int n = cfg.neurons(l);
        if (!cfg.evolveDecay()) {
            java.util.Arrays.fill(out, 0, n, cfg.decay());
            return;
        }
        float[] beta = p.decay(l);
        for (int j = 0; j < n; j++) {
            out[j] = clampDecay(e == null ? beta[j] : beta[j] + sb * e[j]);
        }
    }
}
