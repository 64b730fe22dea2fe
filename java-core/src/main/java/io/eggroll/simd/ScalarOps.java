package io.eggroll.simd;

/** The definition of {@link VectorOps}: plain loops, one element at a time. */
public final class ScalarOps implements VectorOps {

    static final ScalarOps INSTANCE = new ScalarOps();

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void addRows(float[] mat, int n, int[] rows, int from, int to, float[] out, int off) {
        addRows(mat, n, rows, from, to, out, off, 0);
    }

    /** {@link #addRows} for columns {@code [col, n)}. */
    static void addRows(float[] mat, int n, int[] rows, int from, int to, float[] out, int off, int col) {
        for (int k = from; k < to; k++) {
            int row = rows[k] * n;
            for (int j = col; j < n; j++) {
                out[off + j] += mat[row + j];
            }
        }
    }

    @Override
    public void expand(float[] u, float[] bt, int r, int n, float[] p, int off) {
        expand(u, bt, r, n, p, off, 0);
    }

    /** {@link #expand} for columns {@code [col, n)}. */
    static void expand(float[] u, float[] bt, int r, int n, float[] p, int off, int col) {
        float u0 = u[0];
        if (r == 1) {
            for (int j = col; j < n; j++) {
                p[off + j] = u0 * bt[j];
            }
            return;
        }
        for (int j = col; j < n; j++) {
            p[off + j] = 0f + u0 * bt[j];
        }
        for (int q = 1; q < r; q++) {
            float uq = u[q];
            int row = q * n;
            for (int j = col; j < n; j++) {
                p[off + j] += uq * bt[row + j];
            }
        }
    }

    @Override
    public void expandFrames(float[] u, int uStride, int frames, float[] bt, int r, int n, float[] p, int pOff,
                             int pStride) {
        float[] uf = new float[r];
        for (int f = 0; f < frames; f++) {
            System.arraycopy(u, f * uStride, uf, 0, r);
            expand(uf, bt, r, n, p, pOff + f * pStride, 0);
        }
    }

    /** {@link #expand} of the u at {@code u[uOff ..]} for columns {@code [col, n)}. */
    static void expandColumns(float[] u, int uOff, float[] bt, int r, int n, float[] p, int off, int col) {
        for (int j = col; j < n; j++) {
            float acc = u[uOff] * bt[j];
            if (r > 1) {
                acc = 0f + acc;
                for (int q = 1; q < r; q++) {
                    acc += u[uOff + q] * bt[q * n + j];
                }
            }
            p[off + j] = acc;
        }
    }

    @Override
    public void lifStepCount(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb, float[] v,
                             int n, float decay, float threshold, float[] counts, int countOff) {
        for (int j = 0; j < n; j++) {
            float cur = p == null ? base[baseOff + j] : base[baseOff + j] + ss * p[pOff + j];
            if (e != null) {
                cur += sb * e[j];
            }
            float u = decay * v[j] + cur;
            if (u >= threshold) {
                counts[countOff + j] += 1f;
                u = 0f;
            }
            v[j] = u;
        }
    }

    @Override
    public int lifStep(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb, float[] v,
                       int n, float decay, float threshold, int[] spikes) {
        return lifStep(base, baseOff, p, pOff, ss, e, sb, v, 0, n, decay, threshold, spikes, 0);
    }

    /** {@link #lifStep} for neurons {@code [from, to)}, appending after {@code count} spikes. */
    static int lifStep(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb, float[] v,
                       int from, int to, float decay, float threshold, int[] spikes, int count) {
        for (int j = from; j < to; j++) {
            float cur = p == null ? base[baseOff + j] : base[baseOff + j] + ss * p[pOff + j];
            if (e != null) {
                cur += sb * e[j];
            }
            float u = decay * v[j] + cur;
            if (u >= threshold) {
                spikes[count++] = j;
                u = 0f;
            }
            v[j] = u;
        }
        return count;
    }

    @Override
    public void lifStepPair(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb,
                            float[] vPlus, float[] vMinus, int n, float decay, float threshold, int[] spikesPlus,
                            int[] spikesMinus, int[] counts) {
        counts[0] = lifStep(base, baseOff, p, pOff, ss, e, sb, vPlus, n, decay, threshold, spikesPlus);
        counts[1] = lifStep(base, baseOff, p, pOff, -ss, e, -sb, vMinus, n, decay, threshold, spikesMinus);
    }

    @Override
    public void lifStepCountPair(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb,
                                 float[] vPlus, float[] vMinus, int n, float decay, float threshold,
                                 float[] countsPlus, int offPlus, float[] countsMinus, int offMinus) {
        lifStepCount(base, baseOff, p, pOff, ss, e, sb, vPlus, n, decay, threshold, countsPlus, offPlus);
        lifStepCount(base, baseOff, p, pOff, -ss, e, -sb, vMinus, n, decay, threshold, countsMinus, offMinus);
    }

    @Override
    public void lifStepCountPairFrames(float[] base, int baseOff, int baseStride, float[] p, int pOff, int pStride,
                                       int frames, float ss, float[] e, float sb, float[] vPlus, float[] vMinus,
                                       int n, float decay, float threshold, float[] countsPlus, int offPlus,
                                       float[] countsMinus, int offMinus) {
        for (int t = 0; t < frames; t++) {
            lifStepCountPair(base, baseOff + t * baseStride, p, pOff + t * pStride, ss, e, sb, vPlus, vMinus, n,
                    decay, threshold, countsPlus, offPlus, countsMinus, offMinus);
        }
    }

    @Override
    public void integrate(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb, float[] v,
                          int n, float decay, float[] acc, int accOff) {
        integrate(base, baseOff, p, pOff, ss, e, sb, v, 0, n, decay, acc, accOff);
    }

    /** {@link #integrate} for neurons {@code [from, to)}. */
    static void integrate(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb, float[] v,
                          int from, int to, float decay, float[] acc, int accOff) {
        for (int j = from; j < to; j++) {
            float cur = p == null ? base[baseOff + j] : base[baseOff + j] + ss * p[pOff + j];
            if (e != null) {
                cur += sb * e[j];
            }
            float u = decay * v[j] + cur;
            v[j] = u;
            acc[accOff + j] += u;
        }
    }

    /** The input current of neuron j, as every step above forms it. */
    private static float current(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb,
                                 int j) {
        float cur = p == null ? base[baseOff + j] : base[baseOff + j] + ss * p[pOff + j];
        return e == null ? cur : cur + sb * e[j];
    }

    @Override
    public int lifStepNeurons(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb,
                              float[] v, int n, float[] decay, float[] threshold, int[] spikes) {
        int count = 0;
        for (int j = 0; j < n; j++) {
            float u = decay[j] * v[j] + current(base, baseOff, p, pOff, ss, e, sb, j);
            if (u >= threshold[j]) {
                spikes[count++] = j;
                u = 0f;
            }
            v[j] = u;
        }
        return count;
    }

    @Override
    public void lifStepCountNeurons(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb,
                                    float[] v, int n, float[] decay, float[] threshold, float[] counts,
                                    int countOff) {
        for (int j = 0; j < n; j++) {
            float u = decay[j] * v[j] + current(base, baseOff, p, pOff, ss, e, sb, j);
            if (u >= threshold[j]) {
                counts[countOff + j] += 1f;
                u = 0f;
            }
            v[j] = u;
        }
    }

    @Override
    public void integrateNeurons(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb,
                                 float[] v, int n, float[] decay, float[] acc, int accOff) {
        for (int j = 0; j < n; j++) {
            float u = decay[j] * v[j] + current(base, baseOff, p, pOff, ss, e, sb, j);
            v[j] = u;
            acc[accOff + j] += u;
        }
    }

    @Override
    public void gemmAccumulate(float[] a, float[] b, float[] c, int q, int n, int rowFrom, int rowTo, int colFrom,
                               int colTo) {
        for (int i = rowFrom; i < rowTo; i++) {
            int out = i * n;
            for (int k = 0; k < q; k++) {
                float ai = a[i * q + k];
                int row = k * n;
                for (int j = colFrom; j < colTo; j++) {
                    c[out + j] += ai * b[row + j];
                }
            }
        }
    }

    @Override
    public void axpy(float s, float[] x, int xOff, float[] y, int yOff, int len) {
        axpy(s, x, xOff, y, yOff, 0, len);
    }

    /** {@link #axpy} for {@code j} in {@code [from, len)}. */
    static void axpy(float s, float[] x, int xOff, float[] y, int yOff, int from, int len) {
        for (int j = from; j < len; j++) {
            y[yOff + j] += s * x[xOff + j];
        }
    }

    @Override
    public void scale(float[] x, float s, int from, int to) {
        scaleRange(x, s, from, to);
    }

    static void scaleRange(float[] x, float s, int from, int to) {
        for (int i = from; i < to; i++) {
            x[i] *= s;
        }
    }
}
