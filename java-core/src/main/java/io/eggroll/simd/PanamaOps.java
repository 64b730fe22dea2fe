package io.eggroll.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link VectorOps} with the Panama Vector API, at the machine's preferred vector width. Every
 * element sees the same operations in the same order as in {@link ScalarOps} (lanewise multiply,
 * then add; never a fused multiply-add), so the results are bit-identical; only the number of
 * elements done per instruction, and which partial sums stay in registers, differ. A tail shorter
 * than a vector is one masked vector; masked loads and stores take the fast (intrinsic) path only
 * when a whole vector from the offset lies inside the array, so callers pad their scratch arrays.
 *
 * <p>Loaded by reflection only when the {@code jdk.incubator.vector} module is present.
 */
final class PanamaOps implements VectorOps {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** Rows and vectors of columns of the update micro-kernel's register block. */
    static final int MR = 4;
    static final int NR = 3;

    private final ScalarOps tail = ScalarOps.INSTANCE;

    /** The first {@code count} lanes ({@code 0 < count < L}), from a bit pattern (one kmov on AVX-512). */
    private static VectorMask<Float> tailMask(int count) {
        return VectorMask.fromLong(S, (1L << count) - 1);
    }

    /** Lane indices 0, 1, ... as ints, for compressing a fire mask into a spike list. */
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());
    private static final IntVector IOTA = (IntVector) I.iotaShuffle(0, 1, false).toVector();

    /**
     * Whether spike lists are built with a vector compress (AVX-512 and SVE have the instruction;
     * elsewhere the Vector API emulates it slowly, and a loop over the mask's bits is faster).
     */
    private static final boolean COMPRESS = L >= 16;

    /** Appends {@code j + lane} for every set bit (lane) of {@code bits} to {@code spikes} at {@code count}. */
    private static int appendSpikes(long bits, int j, int[] spikes, int count) {
        if (bits == 0) {
            return count;
        }
        if (COMPRESS) {
            // Writes a whole vector of ints; spike arrays carry a vector's worth of padding.
            IOTA.add(j).compress(VectorMask.fromLong(I, bits)).intoArray(spikes, count);
            return count + Long.bitCount(bits);
        }
        while (bits != 0) {
            spikes[count++] = j + Long.numberOfTrailingZeros(bits);
            bits &= bits - 1;
        }
        return count;
    }

    @Override
    public String name() {
        return "panama";
    }

    /** Bits of the preferred vector species, for the start-up log line. */
    static int bits() {
        return S.vectorBitSize();
    }

    @Override
    public void addRows(float[] mat, int n, int[] rows, int from, int to, float[] out, int off) {
        if (from >= to) {
            return;
        }
        int j = 0;
        // Four vectors of the output stay in registers across all selected rows.
        for (; j + 4 * L <= n; j += 4 * L) {
            FloatVector o0 = FloatVector.fromArray(S, out, off + j);
            FloatVector o1 = FloatVector.fromArray(S, out, off + j + L);
            FloatVector o2 = FloatVector.fromArray(S, out, off + j + 2 * L);
            FloatVector o3 = FloatVector.fromArray(S, out, off + j + 3 * L);
            for (int k = from; k < to; k++) {
                int row = rows[k] * n + j;
                o0 = o0.add(FloatVector.fromArray(S, mat, row));
                o1 = o1.add(FloatVector.fromArray(S, mat, row + L));
                o2 = o2.add(FloatVector.fromArray(S, mat, row + 2 * L));
                o3 = o3.add(FloatVector.fromArray(S, mat, row + 3 * L));
            }
            o0.intoArray(out, off + j);
            o1.intoArray(out, off + j + L);
            o2.intoArray(out, off + j + 2 * L);
            o3.intoArray(out, off + j + 3 * L);
        }
        for (; j + L <= n; j += L) {
            FloatVector o = FloatVector.fromArray(S, out, off + j);
            for (int k = from; k < to; k++) {
                o = o.add(FloatVector.fromArray(S, mat, rows[k] * n + j));
            }
            o.intoArray(out, off + j);
        }
        if (j < n) { // the tail as one masked vector: lanes past n are neither read nor written
            VectorMask<Float> m = tailMask(n - j);
            FloatVector o = FloatVector.fromArray(S, out, off + j, m);
            for (int k = from; k < to; k++) {
                o = o.add(FloatVector.fromArray(S, mat, rows[k] * n + j, m));
            }
            o.intoArray(out, off + j, m);
        }
    }

    @Override
    public void expand(float[] u, float[] bt, int r, int n, float[] p, int off) {
        float u0 = u[0];
        int j = 0;
        for (; j + 2 * L <= n; j += 2 * L) {
            FloatVector a0 = FloatVector.fromArray(S, bt, j).mul(u0);
            FloatVector a1 = FloatVector.fromArray(S, bt, j + L).mul(u0);
            if (r > 1) {
                a0 = a0.add(0f);
                a1 = a1.add(0f);
                for (int q = 1; q < r; q++) {
                    float uq = u[q];
                    int row = q * n + j;
                    a0 = a0.add(FloatVector.fromArray(S, bt, row).mul(uq));
                    a1 = a1.add(FloatVector.fromArray(S, bt, row + L).mul(uq));
                }
            }
            a0.intoArray(p, off + j);
            a1.intoArray(p, off + j + L);
        }
        for (; j + L <= n; j += L) {
            FloatVector a0 = FloatVector.fromArray(S, bt, j).mul(u0);
            if (r > 1) {
                a0 = a0.add(0f);
                for (int q = 1; q < r; q++) {
                    a0 = a0.add(FloatVector.fromArray(S, bt, q * n + j).mul(u[q]));
                }
            }
            a0.intoArray(p, off + j);
        }
        if (j < n) {
            VectorMask<Float> m = tailMask(n - j);
            FloatVector a0 = FloatVector.fromArray(S, bt, j, m).mul(u0);
            if (r > 1) {
                a0 = a0.add(0f);
                for (int q = 1; q < r; q++) {
                    a0 = a0.add(FloatVector.fromArray(S, bt, q * n + j, m).mul(u[q]));
                }
            }
            a0.intoArray(p, off + j, m);
        }
    }

    @Override
    public void expandFrames(float[] u, int uStride, int frames, float[] bt, int r, int n, float[] p, int pOff,
                             int pStride) {
        int f = 0;
        // Four frames share each load of a row of B.
        for (; f + 4 <= frames; f += 4) {
            int u0 = f * uStride;
            int u1 = u0 + uStride;
            int u2 = u1 + uStride;
            int u3 = u2 + uStride;
            int p0 = pOff + f * pStride;
            int p1 = p0 + pStride;
            int p2 = p1 + pStride;
            int p3 = p2 + pStride;
            int j = 0;
            for (; j + L <= n; j += L) {
                FloatVector b = FloatVector.fromArray(S, bt, j);
                FloatVector a0 = b.mul(u[u0]);
                FloatVector a1 = b.mul(u[u1]);
                FloatVector a2 = b.mul(u[u2]);
                FloatVector a3 = b.mul(u[u3]);
                if (r > 1) {
                    a0 = a0.add(0f);
                    a1 = a1.add(0f);
                    a2 = a2.add(0f);
                    a3 = a3.add(0f);
                    for (int q = 1; q < r; q++) {
                        b = FloatVector.fromArray(S, bt, q * n + j);
                        a0 = a0.add(b.mul(u[u0 + q]));
                        a1 = a1.add(b.mul(u[u1 + q]));
                        a2 = a2.add(b.mul(u[u2 + q]));
                        a3 = a3.add(b.mul(u[u3 + q]));
                    }
                }
                a0.intoArray(p, p0 + j);
                a1.intoArray(p, p1 + j);
                a2.intoArray(p, p2 + j);
                a3.intoArray(p, p3 + j);
            }
            if (j < n) { // the column tail, one frame at a time
                for (int k = 0; k < 4; k++) {
                    ScalarOps.expandColumns(u, f * uStride + k * uStride, bt, r, n, p, pOff + (f + k) * pStride, j);
                }
            }
        }
        float[] uf = new float[r];
        for (; f < frames; f++) {
            System.arraycopy(u, f * uStride, uf, 0, r);
            expand(uf, bt, r, n, p, pOff + f * pStride);
        }
    }

    @Override
    public void lifStepCount(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb, float[] v,
                             int n, float decay, float threshold, float[] counts, int countOff) {
        // counts + (1 where fired, else +0): counts are never -0, so the +0 lanes keep their bits.
        FloatVector zero = FloatVector.zero(S);
        int j = 0;
        for (; j + L <= n; j += L) {
            FloatVector u = membrane(base, baseOff, p, pOff, ss, e, sb, v, j, decay);
            VectorMask<Float> fire = u.compare(VectorOperators.GE, threshold);
            u.blend(0f, fire).intoArray(v, j);
            FloatVector.fromArray(S, counts, countOff + j).add(zero.blend(1f, fire)).intoArray(counts, countOff + j);
        }
        if (j < n) {
            countTail(base, baseOff, p, pOff, ss, e, sb, v, j, n, decay, threshold, counts, countOff, tailMask(n - j));
        }
    }

    /** The masked last vector of {@link #lifStepCount}: neurons {@code [j, n)}. */
    private static void countTail(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb,
                                  float[] v, int j, int n, float decay, float threshold, float[] counts, int countOff,
                                  VectorMask<Float> m) {
        FloatVector u = membrane(base, baseOff, p, pOff, ss, e, sb, v, j, decay, m);
        VectorMask<Float> fire = u.compare(VectorOperators.GE, threshold);
        u.blend(0f, fire).intoArray(v, j, m);
        FloatVector.fromArray(S, counts, countOff + j, m).add(FloatVector.zero(S).blend(1f, fire))
                .intoArray(counts, countOff + j, m);
    }

    @Override
    public void lifStepPair(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb,
                            float[] vPlus, float[] vMinus, int n, float decay, float threshold, int[] spikesPlus,
                            int[] spikesMinus, int[] counts) {
        // base + (-ss) p is exactly base - (ss p), and likewise for the bias noise: the shared
        // inputs are loaded and scaled once for both members.
        int cp = 0;
        int cm = 0;
        int j = 0;
        for (; j + L <= n; j += L) {
            FloatVector b = FloatVector.fromArray(S, base, baseOff + j);
            FloatVector q = FloatVector.fromArray(S, p, pOff + j).mul(ss);
            FloatVector plus = b.add(q);
            FloatVector minus = b.sub(q);
            if (e != null) {
                FloatVector eq = FloatVector.fromArray(S, e, j).mul(sb);
                plus = plus.add(eq);
                minus = minus.sub(eq);
            }
            FloatVector up = FloatVector.fromArray(S, vPlus, j).mul(decay).add(plus);
            FloatVector um = FloatVector.fromArray(S, vMinus, j).mul(decay).add(minus);
            VectorMask<Float> fp = up.compare(VectorOperators.GE, threshold);
            VectorMask<Float> fm = um.compare(VectorOperators.GE, threshold);
            up.blend(0f, fp).intoArray(vPlus, j);
            um.blend(0f, fm).intoArray(vMinus, j);
            cp = appendSpikes(fp.toLong(), j, spikesPlus, cp);
            cm = appendSpikes(fm.toLong(), j, spikesMinus, cm);
        }
        if (j < n) {
            cp = lifStepTail(base, baseOff, p, pOff, ss, e, sb, vPlus, j, n, decay, threshold, spikesPlus, cp);
            cm = lifStepTail(base, baseOff, p, pOff, -ss, e, -sb, vMinus, j, n, decay, threshold, spikesMinus, cm);
        }
        counts[0] = cp;
        counts[1] = cm;
    }

    @Override
    public void lifStepCountPair(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb,
                                 float[] vPlus, float[] vMinus, int n, float decay, float threshold,
                                 float[] countsPlus, int offPlus, float[] countsMinus, int offMinus) {
        lifStepCountPairFrames(base, baseOff, 0, p, pOff, 0, 1, ss, e, sb, vPlus, vMinus, n, decay, threshold,
                countsPlus, offPlus, countsMinus, offMinus);
    }

    @Override
    public void lifStepCountPairFrames(float[] base, int baseOff, int baseStride, float[] p, int pOff, int pStride,
                                       int frames, float ss, float[] e, float sb, float[] vPlus, float[] vMinus,
                                       int n, float decay, float threshold, float[] countsPlus, int offPlus,
                                       float[] countsMinus, int offMinus) {
        FloatVector zero = FloatVector.zero(S);
        int j = 0;
        // One vector of neurons at a time through all steps: membranes and counts stay in registers.
        for (; j + L <= n; j += L) {
            FloatVector vp = FloatVector.fromArray(S, vPlus, j);
            FloatVector vm = FloatVector.fromArray(S, vMinus, j);
            FloatVector cp = FloatVector.fromArray(S, countsPlus, offPlus + j);
            FloatVector cm = FloatVector.fromArray(S, countsMinus, offMinus + j);
            FloatVector eq = e == null ? null : FloatVector.fromArray(S, e, j).mul(sb);
            for (int t = 0; t < frames; t++) {
                FloatVector b = FloatVector.fromArray(S, base, baseOff + t * baseStride + j);
                FloatVector q = FloatVector.fromArray(S, p, pOff + t * pStride + j).mul(ss);
                FloatVector plus = b.add(q);
                FloatVector minus = b.sub(q);
                if (eq != null) {
                    plus = plus.add(eq);
                    minus = minus.sub(eq);
                }
                FloatVector up = vp.mul(decay).add(plus);
                FloatVector um = vm.mul(decay).add(minus);
                VectorMask<Float> fp = up.compare(VectorOperators.GE, threshold);
                VectorMask<Float> fm = um.compare(VectorOperators.GE, threshold);
                vp = up.blend(0f, fp);
                vm = um.blend(0f, fm);
                cp = cp.add(zero.blend(1f, fp));
                cm = cm.add(zero.blend(1f, fm));
            }
            vp.intoArray(vPlus, j);
            vm.intoArray(vMinus, j);
            cp.intoArray(countsPlus, offPlus + j);
            cm.intoArray(countsMinus, offMinus + j);
        }
        if (j < n) {
            VectorMask<Float> m = tailMask(n - j);
            for (int t = 0; t < frames; t++) {
                int bo = baseOff + t * baseStride;
                int po = pOff + t * pStride;
                countTail(base, bo, p, po, ss, e, sb, vPlus, j, n, decay, threshold, countsPlus, offPlus, m);
                countTail(base, bo, p, po, -ss, e, -sb, vMinus, j, n, decay, threshold, countsMinus, offMinus, m);
            }
        }
    }

    @Override
    public int lifStep(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb, float[] v,
                       int n, float decay, float threshold, int[] spikes) {
        int count = 0;
        int j = 0;
        for (; j + L <= n; j += L) {
            FloatVector u = membrane(base, baseOff, p, pOff, ss, e, sb, v, j, decay);
            VectorMask<Float> fire = u.compare(VectorOperators.GE, threshold);
            u.blend(0f, fire).intoArray(v, j);
            count = appendSpikes(fire.toLong(), j, spikes, count);
        }
        if (j < n) {
            count = lifStepTail(base, baseOff, p, pOff, ss, e, sb, v, j, n, decay, threshold, spikes, count);
        }
        return count;
    }

    /** The masked last vector of {@link #lifStep}: neurons {@code [j, n)}; returns the new spike count. */
    private static int lifStepTail(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb,
                                   float[] v, int j, int n, float decay, float threshold, int[] spikes, int count) {
        VectorMask<Float> m = tailMask(n - j);
        FloatVector u = membrane(base, baseOff, p, pOff, ss, e, sb, v, j, decay, m);
        VectorMask<Float> fire = u.compare(VectorOperators.GE, threshold);
        u.blend(0f, fire).intoArray(v, j, m);
        return appendSpikes(fire.toLong() & ((1L << (n - j)) - 1), j, spikes, count); // lanes past n are not neurons
    }

    /** {@code decay v_j + (base_j + ss p_j [+ sb e_j])} for one whole vector of neurons from j. */
    private static FloatVector membrane(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb,
                                        float[] v, int j, float decay) {
        FloatVector cur = current(base, baseOff, p, pOff, ss, e, sb, j);
        return FloatVector.fromArray(S, v, j).mul(decay).add(cur);
    }

    /** {@code base_j + ss p_j [+ sb e_j]} for one whole vector of neurons from j. */
    private static FloatVector current(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb,
                                       int j) {
        FloatVector cur = FloatVector.fromArray(S, base, baseOff + j);
        if (p != null) {
            cur = cur.add(FloatVector.fromArray(S, p, pOff + j).mul(ss));
        }
        if (e != null) {
            cur = cur.add(FloatVector.fromArray(S, e, j).mul(sb));
        }
        return cur;
    }

    /** {@link #membrane} on the lanes of {@code m} only (the others read as 0). */
    private static FloatVector membrane(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb,
                                        float[] v, int j, float decay, VectorMask<Float> m) {
        FloatVector cur = current(base, baseOff, p, pOff, ss, e, sb, j, m);
        return FloatVector.fromArray(S, v, j, m).mul(decay).add(cur);
    }

    /** {@link #current} on the lanes of {@code m} only (the others read as 0). */
    private static FloatVector current(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb,
                                       int j, VectorMask<Float> m) {
        FloatVector cur = FloatVector.fromArray(S, base, baseOff + j, m);
        if (p != null) {
            cur = cur.add(FloatVector.fromArray(S, p, pOff + j, m).mul(ss));
        }
        if (e != null) {
            cur = cur.add(FloatVector.fromArray(S, e, j, m).mul(sb));
        }
        return cur;
    }

    // ---------------------------------------------------------------- per-neuron decays and thresholds

    // Each method runs its whole vectors in one loop and the masked last vector in a method of its
    // own, as the methods above do: a mask that may be null inside the hot loop keeps C2 from
    // keeping the vectors in registers (it boxes them), which made these paths over 2x slower.

    /** {@code decay_j v_j + I_j} for the whole vector of neurons from j. */
    private static FloatVector membraneNeurons(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e,
                                               float sb, float[] v, int j, float[] decay) {
        FloatVector cur = current(base, baseOff, p, pOff, ss, e, sb, j);
        return FloatVector.fromArray(S, v, j).mul(FloatVector.fromArray(S, decay, j)).add(cur);
    }

    /** {@code decay_j v_j + I_j} for the lanes of {@code m} of the vector from j. */
    private static FloatVector membraneNeurons(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e,
                                               float sb, float[] v, int j, float[] decay, VectorMask<Float> m) {
        FloatVector cur = current(base, baseOff, p, pOff, ss, e, sb, j, m);
        return FloatVector.fromArray(S, v, j, m).mul(FloatVector.fromArray(S, decay, j, m)).add(cur);
    }

    @Override
    public int lifStepNeurons(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb,
                              float[] v, int n, float[] decay, float[] threshold, int[] spikes) {
        int count = 0;
        int j = 0;
        for (; j + L <= n; j += L) {
            FloatVector u = membraneNeurons(base, baseOff, p, pOff, ss, e, sb, v, j, decay);
            VectorMask<Float> fire = u.compare(VectorOperators.GE, FloatVector.fromArray(S, threshold, j));
            u.blend(0f, fire).intoArray(v, j);
            count = appendSpikes(fire.toLong(), j, spikes, count);
        }
        if (j < n) {
            count = lifStepNeuronsTail(base, baseOff, p, pOff, ss, e, sb, v, j, n, decay, threshold, spikes, count);
        }
        return count;
    }

    /** The masked last vector of {@link #lifStepNeurons}: neurons {@code [j, n)}. */
    private static int lifStepNeuronsTail(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e,
                                          float sb, float[] v, int j, int n, float[] decay, float[] threshold,
                                          int[] spikes, int count) {
        VectorMask<Float> m = tailMask(n - j);
        FloatVector u = membraneNeurons(base, baseOff, p, pOff, ss, e, sb, v, j, decay, m);
        VectorMask<Float> fire = u.compare(VectorOperators.GE, FloatVector.fromArray(S, threshold, j, m), m);
        u.blend(0f, fire).intoArray(v, j, m);
        return appendSpikes(fire.toLong(), j, spikes, count);
    }

    @Override
    public void lifStepCountNeurons(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb,
                                    float[] v, int n, float[] decay, float[] threshold, float[] counts,
                                    int countOff) {
        FloatVector zero = FloatVector.zero(S);
        int j = 0;
        for (; j + L <= n; j += L) {
            FloatVector u = membraneNeurons(base, baseOff, p, pOff, ss, e, sb, v, j, decay);
            VectorMask<Float> fire = u.compare(VectorOperators.GE, FloatVector.fromArray(S, threshold, j));
            u.blend(0f, fire).intoArray(v, j);
            FloatVector.fromArray(S, counts, countOff + j).add(zero.blend(1f, fire)).intoArray(counts, countOff + j);
        }
        if (j < n) {
            countNeuronsTail(base, baseOff, p, pOff, ss, e, sb, v, j, n, decay, threshold, counts, countOff);
        }
    }

    /** The masked last vector of {@link #lifStepCountNeurons}: neurons {@code [j, n)}. */
    private static void countNeuronsTail(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e,
                                         float sb, float[] v, int j, int n, float[] decay, float[] threshold,
                                         float[] counts, int countOff) {
        VectorMask<Float> m = tailMask(n - j);
        FloatVector u = membraneNeurons(base, baseOff, p, pOff, ss, e, sb, v, j, decay, m);
        VectorMask<Float> fire = u.compare(VectorOperators.GE, FloatVector.fromArray(S, threshold, j, m), m);
        u.blend(0f, fire).intoArray(v, j, m);
        FloatVector.fromArray(S, counts, countOff + j, m).add(FloatVector.zero(S).blend(1f, fire))
                .intoArray(counts, countOff + j, m);
    }

    @Override
    public void integrateNeurons(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb,
                                 float[] v, int n, float[] decay, float[] acc, int accOff) {
        int j = 0;
        for (; j + L <= n; j += L) {
            FloatVector u = membraneNeurons(base, baseOff, p, pOff, ss, e, sb, v, j, decay);
            u.intoArray(v, j);
            FloatVector.fromArray(S, acc, accOff + j).add(u).intoArray(acc, accOff + j);
        }
        if (j < n) {
            integrateNeuronsTail(base, baseOff, p, pOff, ss, e, sb, v, j, n, decay, acc, accOff);
        }
    }

    /** The masked last vector of {@link #integrateNeurons}: neurons {@code [j, n)}. */
    private static void integrateNeuronsTail(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e,
                                             float sb, float[] v, int j, int n, float[] decay, float[] acc,
                                             int accOff) {
        VectorMask<Float> m = tailMask(n - j);
        FloatVector u = membraneNeurons(base, baseOff, p, pOff, ss, e, sb, v, j, decay, m);
        u.intoArray(v, j, m);
        FloatVector.fromArray(S, acc, accOff + j, m).add(u).intoArray(acc, accOff + j, m);
    }

    @Override
    public void integrate(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb, float[] v,
                          int n, float decay, float[] acc, int accOff) {
        int j = 0;
        for (; j + L <= n; j += L) {
            FloatVector u = membrane(base, baseOff, p, pOff, ss, e, sb, v, j, decay);
            u.intoArray(v, j);
            FloatVector.fromArray(S, acc, accOff + j).add(u).intoArray(acc, accOff + j);
        }
        if (j < n) {
            VectorMask<Float> m = tailMask(n - j);
            FloatVector u = membrane(base, baseOff, p, pOff, ss, e, sb, v, j, decay, m);
            u.intoArray(v, j, m);
            FloatVector.fromArray(S, acc, accOff + j, m).add(u).intoArray(acc, accOff + j, m);
        }
    }

    @Override
    public void readoutStep(float[] wa, float[] bias, int n, int r, int[] in, int c, float[] bt, float ss, float[] e,
                            float sb, float[] v, float decay, float[] acc, float[] cur, float[] proj, float[] u) {
        int w = n + r;
        if (w > L) {
            VectorOps.super.readoutStep(wa, bias, n, r, in, c, bt, ss, e, sb, v, decay, acc, cur, proj, u);
            return;
        }
        FloatVector x = FloatVector.fromArray(S, bias, 0, tailMask(n));
        for (int k = 0; k < c; k++) {
            x = x.add(FloatVector.fromArray(S, wa, in[k] * w));
        }
        readoutTail(x, n, r, bt, ss, e, sb, v, decay, acc, cur);
    }

    @Override
    public void readoutStepPair(float[] wa, float[] bias, int n, int r, float[] bt, float[] e, float decay,
                                int[] inPlus, int cPlus, float ssPlus, float sbPlus, float[] vPlus, float[] accPlus,
                                int[] inMinus, int cMinus, float ssMinus, float sbMinus, float[] vMinus,
                                float[] accMinus, float[] cur, float[] proj, float[] u) {
        int w = n + r;
        if (w > L) {
            VectorOps.super.readoutStepPair(wa, bias, n, r, bt, e, decay, inPlus, cPlus, ssPlus, sbPlus, vPlus,
                    accPlus, inMinus, cMinus, ssMinus, sbMinus, vMinus, accMinus, cur, proj, u);
            return;
        }
        // Each member's sum is one chain of dependent additions in spike order (the order that fixes
        // the bits); the two chains are independent, so they run side by side.
        FloatVector b = FloatVector.fromArray(S, bias, 0, tailMask(n));
        FloatVector xp = b;
        FloatVector xm = b;
        int both = Math.min(cPlus, cMinus);
        int k = 0;
        for (; k < both; k++) {
            xp = xp.add(FloatVector.fromArray(S, wa, inPlus[k] * w));
            xm = xm.add(FloatVector.fromArray(S, wa, inMinus[k] * w));
        }
        for (int kp = k; kp < cPlus; kp++) {
            xp = xp.add(FloatVector.fromArray(S, wa, inPlus[kp] * w));
        }
        for (int km = k; km < cMinus; km++) {
            xm = xm.add(FloatVector.fromArray(S, wa, inMinus[km] * w));
        }
        readoutTail(xp, n, r, bt, ssPlus, e, sbPlus, vPlus, decay, accPlus, cur);
        readoutTail(xm, n, r, bt, ssMinus, e, sbMinus, vMinus, decay, accMinus, cur);
    }

    /**
     * The rest of a {@link #readoutStep} from the summed vector {@code x = [x W + b | x A]}: the
     * expand, the current, the membrane and the readout sum, lane j the same operations in the same
     * order as the default; lanes from n + r on hold values of no meaning and are never stored
     * where a caller reads. v and acc are loaded and stored as whole (unmasked) vectors: a masked
     * store read back by the next step's load cannot be store-forwarded.
     */
    private static void readoutTail(FloatVector x, int n, int r, float[] bt, float ss, float[] e, float sb, float[] v,
                                    float decay, float[] acc, float[] cur) {
        x.intoArray(cur, 0);
        FloatVector q = FloatVector.fromArray(S, bt, 0).mul(cur[n]);
        if (r > 1) {
            q = q.add(0f);
            for (int k = 1; k < r; k++) {
                q = q.add(FloatVector.fromArray(S, bt, k * n).mul(cur[n + k]));
            }
        }
        FloatVector i = x.add(q.mul(ss));
        if (e != null) {
            i = i.add(FloatVector.fromArray(S, e, 0).mul(sb));
        }
        FloatVector m = FloatVector.fromArray(S, v, 0).mul(decay).add(i);
        m.intoArray(v, 0);
        FloatVector.fromArray(S, acc, 0).add(m).intoArray(acc, 0);
    }

    @Override
    public void gemmAccumulate(float[] a, float[] b, float[] c, int q, int n, int rowFrom, int rowTo, int colFrom,
                               int colTo) {
        int w = NR * L;
        int j0 = colFrom;
        for (; j0 + w <= colTo; j0 += w) {
            int i = rowFrom;
            for (; i + MR <= rowTo; i += MR) {
                block4x3(a, b, c, q, n, i, j0);
            }
            for (; i < rowTo; i++) {
                row1(a, b, c, q, n, i, j0, NR);
            }
        }
        for (; j0 + L <= colTo; j0 += L) {
            for (int i = rowFrom; i < rowTo; i++) {
                row1(a, b, c, q, n, i, j0, 1);
            }
        }
        if (j0 < colTo) {
            tail.gemmAccumulate(a, b, c, q, n, rowFrom, rowTo, j0, colTo);
        }
    }

    /** The register block: 4 rows x 3 vectors of C stay in registers over the whole inner dimension. */
    private static void block4x3(float[] a, float[] b, float[] c, int q, int n, int i, int j) {
        int c0 = i * n + j;
        int c1 = c0 + n;
        int c2 = c1 + n;
        int c3 = c2 + n;
        FloatVector s00 = FloatVector.fromArray(S, c, c0);
        FloatVector s01 = FloatVector.fromArray(S, c, c0 + L);
        FloatVector s02 = FloatVector.fromArray(S, c, c0 + 2 * L);
        FloatVector s10 = FloatVector.fromArray(S, c, c1);
        FloatVector s11 = FloatVector.fromArray(S, c, c1 + L);
        FloatVector s12 = FloatVector.fromArray(S, c, c1 + 2 * L);
        FloatVector s20 = FloatVector.fromArray(S, c, c2);
        FloatVector s21 = FloatVector.fromArray(S, c, c2 + L);
        FloatVector s22 = FloatVector.fromArray(S, c, c2 + 2 * L);
        FloatVector s30 = FloatVector.fromArray(S, c, c3);
        FloatVector s31 = FloatVector.fromArray(S, c, c3 + L);
        FloatVector s32 = FloatVector.fromArray(S, c, c3 + 2 * L);
        int a0 = i * q;
        int a1 = a0 + q;
        int a2 = a1 + q;
        int a3 = a2 + q;
        for (int k = 0, row = j; k < q; k++, row += n) {
            FloatVector b0 = FloatVector.fromArray(S, b, row);
            FloatVector b1 = FloatVector.fromArray(S, b, row + L);
            FloatVector b2 = FloatVector.fromArray(S, b, row + 2 * L);
            float x0 = a[a0 + k];
            float x1 = a[a1 + k];
            float x2 = a[a2 + k];
            float x3 = a[a3 + k];
            s00 = s00.add(b0.mul(x0));
            s01 = s01.add(b1.mul(x0));
            s02 = s02.add(b2.mul(x0));
            s10 = s10.add(b0.mul(x1));
            s11 = s11.add(b1.mul(x1));
            s12 = s12.add(b2.mul(x1));
            s20 = s20.add(b0.mul(x2));
            s21 = s21.add(b1.mul(x2));
            s22 = s22.add(b2.mul(x2));
            s30 = s30.add(b0.mul(x3));
            s31 = s31.add(b1.mul(x3));
            s32 = s32.add(b2.mul(x3));
        }
        s00.intoArray(c, c0);
        s01.intoArray(c, c0 + L);
        s02.intoArray(c, c0 + 2 * L);
        s10.intoArray(c, c1);
        s11.intoArray(c, c1 + L);
        s12.intoArray(c, c1 + 2 * L);
        s20.intoArray(c, c2);
        s21.intoArray(c, c2 + L);
        s22.intoArray(c, c2 + 2 * L);
        s30.intoArray(c, c3);
        s31.intoArray(c, c3 + L);
        s32.intoArray(c, c3 + 2 * L);
    }

    /** One row of C, {@code vectors} (1 or 3) vectors wide, over the whole inner dimension. */
    private static void row1(float[] a, float[] b, float[] c, int q, int n, int i, int j, int vectors) {
        int ci = i * n + j;
        int ai = i * q;
        for (int v = 0; v < vectors; v++) {
            int col = v * L;
            FloatVector s = FloatVector.fromArray(S, c, ci + col);
            for (int k = 0, row = j + col; k < q; k++, row += n) {
                s = s.add(FloatVector.fromArray(S, b, row).mul(a[ai + k]));
            }
            s.intoArray(c, ci + col);
        }
    }

    @Override
    public void axpy(float s, float[] x, int xOff, float[] y, int yOff, int len) {
        int j = 0;
        for (; j + L <= len; j += L) {
            FloatVector.fromArray(S, y, yOff + j).add(FloatVector.fromArray(S, x, xOff + j).mul(s))
                    .intoArray(y, yOff + j);
        }
        ScalarOps.axpy(s, x, xOff, y, yOff, j, len);
    }

    @Override
    public void scale(float[] x, float s, int from, int to) {
        int i = from;
        for (; i + L <= to; i += L) {
            FloatVector.fromArray(S, x, i).mul(s).intoArray(x, i);
        }
        ScalarOps.scaleRange(x, s, i, to);
    }
}
