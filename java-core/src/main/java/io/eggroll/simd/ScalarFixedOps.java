package io.eggroll.simd;

import io.eggroll.snn.fixed.FixedLif;
import io.eggroll.snn.fixed.LoihiQuantizer;

/** The definition of {@link FixedOps}: {@link FixedLif} and {@link LoihiQuantizer}, one element at a time. */
public final class ScalarFixedOps implements FixedOps {

    static final ScalarFixedOps INSTANCE = new ScalarFixedOps();

    private ScalarFixedOps() {}

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void dense(int[] w, int n, int[] active, int count, int wexp, int[] a, int aOff) {
        FixedLif.dense(w, n, active, count, wexp, a, aOff);
    }

    /** The definition runs Dense on the integer weights. */
    @Override
    public boolean halve(int[] w, int n, short[] h) {
        return false;
    }

    @Override
    public void denseHalves(short[] h, int n, int[] active, int count, int wexp, int[] a, int aOff) {
        for (int j = 0; j < n; j++) {
            long acc = 0;
            for (int k = 0; k < count; k++) {
                acc += 2 * h[active[k] * n + j];
            }
            a[aOff + j] = (int) FixedLif.shift(acc, wexp);
        }
    }

    @Override
    public int lifStep(int n, int[] u, int[] v, int off, int[] a, int du, int dv, int vth, int[] biasMant, int biasExp,
                       int[] spikes) {
        return FixedLif.step(n, u, v, off, a, du, dv, vth, biasMant, biasExp, spikes);
    }

    @Override
    public int lifStepNeurons(int n, int[] u, int[] v, int off, int[] a, int du, int[] dv, int[] vth,
                              int[] biasMant, int biasExp, int[] spikes) {
        return FixedLif.stepNeurons(n, u, v, off, a, du, dv, vth, biasMant, biasExp, spikes);
    }

    @Override
    public void quantizeRow(float[] w, int wOff, float s, float[] x, int xOff, int p, int[] out, int outOff, int n) {
        quantizeRow(w, wOff, s, x, xOff, p, out, outOff, 0, n);
    }

    /** {@link #quantizeRow} for {@code j} in {@code [from, to)}. */
    static void quantizeRow(float[] w, int wOff, float s, float[] x, int xOff, int p, int[] out, int outOff, int from,
                            int to) {
        for (int j = from; j < to; j++) {
            out[outOff + j] = LoihiQuantizer.weight(w[wOff + j] + s * x[xOff + j], p);
        }
    }
}
