package io.eggroll.es;

/**
 * Optimizer buffers, one per parameter tensor in {@code Params.tensors()} order. Empty arrays
 * where the optimizer needs no buffer.
 */
public final class OptimizerState {

    private long step;
    private final float[][] first;
    private final float[][] second;

    public OptimizerState(long step, float[][] first, float[][] second) {
        this.step = step;
        this.first = first;
        this.second = second;
    }

    /** Fresh state sized for the given tensors. */
    public static OptimizerState zeros(OptimizerConfig cfg, float[][] tensors) {
        float[][] m = new float[tensors.length][];
        float[][] v = new float[tensors.length][];
        for (int i = 0; i < tensors.length; i++) {
            m[i] = new float[cfg.usesFirstMoment() ? tensors[i].length : 0];
            v[i] = new float[cfg.usesSecondMoment() ? tensors[i].length : 0];
        }
        return new OptimizerState(0, m, v);
    }

    public long step() {
        return step;
    }

    public void setStep(long step) {
        this.step = step;
    }

    public float[][] first() {
        return first;
    }

    public float[][] second() {
        return second;
    }

    public OptimizerState copy() {
        float[][] m = new float[first.length][];
        float[][] v = new float[second.length][];
        for (int i = 0; i < first.length; i++) {
            m[i] = first[i].clone();
            v[i] = second[i].clone();
        }
        return new OptimizerState(step, m, v);
    }
}
