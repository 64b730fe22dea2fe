package io.eggroll.es;

/**
 * The optimizer step on the host, in float, element by element: the definition every backend's
 * update matches. Ascends: {@code g} is the ES estimate of the fitness gradient.
 */
public final class Optimizer {

    private Optimizer() {}

    /** Bias-correction factors of step t (1-based) as floats: (1 - b1^t, 1 - b2^t). */
    public static float[] adamCorrections(OptimizerConfig cfg, long t) {
        return new float[] {(float) (1 - Math.pow(cfg.beta1(), t)), (float) (1 - Math.pow(cfg.beta2(), t))};
    }

    /**
     * Applies one step with learning rate {@code lr} to elements {@code [from, to)} of a tensor.
     * {@code t} is the 1-based step number (already incremented for this update; Adam's bias
     * correction uses it). Threads may call this on disjoint ranges.
     */
    public static void apply(OptimizerConfig cfg, float lr, long t, float[] theta, float[] g, float[] m, float[] v,
                             int from, int to) {
        float wd = cfg.weightDecay();
        if (cfg.kind() == OptimizerKind.SGD) {
            float mu = cfg.momentum();
            if (mu > 0) {
                for (int i = from; i < to; i++) {
                    float d = g[i] - wd * theta[i];
                    m[i] = mu * m[i] + d;
                    theta[i] += lr * m[i];
                }
            } else {
                for (int i = from; i < to; i++) {
                    theta[i] += lr * (g[i] - wd * theta[i]);
                }
            }
            return;
        }
        float b1 = cfg.beta1();
        float b2 = cfg.beta2();
        float[] c = adamCorrections(cfg, t);
        float eps = cfg.epsilon();
        for (int i = from; i < to; i++) {
            float gi = g[i];
            m[i] = b1 * m[i] + (1f - b1) * gi;
            v[i] = b2 * v[i] + (1f - b2) * gi * gi;
            float mh = m[i] / c[0];
            float vh = v[i] / c[1];
            theta[i] += lr * (mh / ((float) Math.sqrt(vh) + eps) - wd * theta[i]);
        }
    }
}
