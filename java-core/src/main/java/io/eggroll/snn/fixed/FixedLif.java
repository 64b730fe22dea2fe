package io.eggroll.snn.fixed;

/**
 * Lava's bit-accurate CUBA LIF and Dense arithmetic (docs/FORMATS.md sections 3.4 and 3.5),
 * the Java port of {@code kernels/.../eggroll_fixed.h}. Both are checked against the
 * reference trace of docs/FORMATS.md section 3.6 and against each other on random networks.
 *
 * <pre>
 * Dense:  acc_j = sum_{active i, increasing} w[i n + j];  a_j = wexp &gt;= 0 ? acc_j &lt;&lt; wexp : acc_j &gt;&gt; -wexp
 * LIF:    u = sign(p) (|p| &gt;&gt; 12) + (a &lt;&lt; 6),  p = u (4096 - (du + 1));  one wrap into 24 bits
 *         v = sign(q) (|q| &gt;&gt; 12) + u + effBias,  q = v (4096 - dv);   saturate to +-(2^23 - 1)
 *         spike = v &gt; vth &lt;&lt; 6;  if spike: v = 0
 * </pre>
 * Products and sums are formed in {@code long}; the state is stored in {@code int}.
 */
public final class FixedLif {

    public static final int DECAY_SHIFT = 12;
    public static final int DECAY_UNITY = 1 << DECAY_SHIFT;
    public static final int VTH_SHIFT = 6;
    public static final int ACT_SHIFT = 6;
    /** Lava adds 1 to the current decay ({@code ds_offset}), so {@code du = 4095} clears u every step. */
    public static final int DS_OFFSET = 1;
    public static final int DM_OFFSET = 0;
    /** 2^23: the state is 24-bit signed. */
    public static final int MAX_UV = 1 << 23;
    /** Largest threshold mantissa (17 bits). */
    public static final int MAX_VTH = (1 << 17) - 1;
    /** Largest decay value (12 bits). */
    public static final int MAX_DECAY = DECAY_UNITY - 1;
    /** Bias mantissa range (13-bit signed). */
    public static final int MIN_BIAS_MANT = -4096;
    public static final int MAX_BIAS_MANT = 4095;

    private FixedLif() {}

    /** {@code sign(x k) (|x k| >> 12)}: the decay's truncation toward zero. */
    public static long decay(long x, int keep) {
        long p = x * keep;
        return p < 0 ? -((-p) >> DECAY_SHIFT) : p >> DECAY_SHIFT;
    }

    /** A left shift for {@code e >= 0}, an arithmetic (flooring) right shift for {@code e < 0}. */
    public static long shift(long x, int e) {
        return e >= 0 ? x * (1L << e) : x >> -e;
    }

    /** Dense: {@code a[j] = shift(sum_k w[active[k] n + j], wexp)} for {@code j < n}. */
    public static void dense(int[] w, int n, int[] active, int count, int wexp, int[] a, int aOff) {
        for (int j = 0; j < n; j++) {
            long acc = 0;
            for (int k = 0; k < count; k++) {
                acc += w[active[k] * n + j];
            }
            a[aOff + j] = (int) shift(acc, wexp);
        }
    }

    /**
     * One CUBA LIF step for {@code n} neurons whose state lives at {@code u[off..off+n)},
     * {@code v[off..off+n)}. {@code biasMant} may be null (no bias). Writes the indices of the
     * neurons that spiked, increasing, into {@code spikes}; returns their number.
     */
    public static int step(int n, int[] u, int[] v, int off, int[] a, int du, int dv, int vth, int[] biasMant,
                           int biasExp, int[] spikes) {
        return step(0, n, u, v, off, a, du, dv, vth, biasMant, biasExp, spikes, 0);
    }

    /**
     * {@link #step} with neuron j's own voltage decay {@code dv[j]} and threshold mantissa
     * {@code vth[j]} (evolved neuron parameters), each neuron as {@link #step} treats it.
     */
    public static int stepNeurons(int n, int[] u, int[] v, int off, int[] a, int du, int[] dv, int[] vth,
                                  int[] biasMant, int biasExp, int[] spikes) {
        int count = 0;
        for (int j = 0; j < n; j++) {
            count = step(j, j + 1, u, v, off, a, du, dv[j], vth[j], biasMant, biasExp, spikes, count);
        }
        return count;
    }

    /**
     * {@link #step} for the neurons {@code [from, to)} only, appending their spikes to
     * {@code spikes} after the {@code count} already there; returns the new count. Neurons are
     * independent, so a step over {@code [0, n)} may be split into ranges in increasing order.
     */
    public static int step(int from, int to, int[] u, int[] v, int off, int[] a, int du, int dv, int vth,
                           int[] biasMant, int biasExp, int[] spikes, int count) {
        long effVth = (long) vth << VTH_SHIFT;
        for (int j = from; j < to; j++) {
            long uu = decay(u[off + j], DECAY_UNITY - (du + DS_OFFSET)) + ((long) a[j] << ACT_SHIFT);
            if (uu > MAX_UV) {
                uu -= 2L * MAX_UV;
            } else if (uu <= -MAX_UV) {
                uu += 2L * MAX_UV;
            }
            long bias = biasMant == null ? 0 : shift(biasMant[j], biasExp);
            long vv = decay(v[off + j], DECAY_UNITY - (dv + DM_OFFSET)) + uu + bias;
            vv = Math.clamp(vv, -(MAX_UV - 1), MAX_UV - 1);
            if (vv > effVth) {
                spikes[count++] = j;
                vv = 0;
            }
            u[off + j] = (int) uu;
            v[off + j] = (int) vv;
        }
        return count;
    }
}
