package io.eggroll.simd;

import io.eggroll.snn.fixed.FixedLif;
import io.eggroll.snn.fixed.LoihiQuantizer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FixedOps} with the Panama Vector API: the same bits as {@link ScalarFixedOps} for every
 * input, because integer sums are exact whatever their order and every lane repeats the
 * definition's operations.
 * <ul>
 * <li>Dense: the rows are summed in 32-bit lanes. The definition sums in 64 bits and keeps the low
 *     32 bits of {@code acc 2^wexp}; for {@code 0 <= wexp < 32} those bits depend only on the low
 *     32 bits of acc, which wrapping 32-bit sums give exactly. Other exponents take the definition.</li>
 * <li>LIF: 32-bit lanes where a vector's inputs are in the range that makes every intermediate
 *     exact in 32 bits (the states a network produces, the quantiser's weights and biases; checked
 *     per vector), else 64-bit lanes (ints widened on load, narrowed on store with the definition's
 *     cast), where every product, the one wrap into 24 bits, the saturation and the spike test are
 *     the definition's for any input.</li>
 * <li>Quantisation: {@code w + s x} lanewise (multiply, then add), times {@code 2^(p-1)} in float
 *     (exact for {@code 0 <= p <= 16}, or, when it under- or overflows, on the same side of the
 *     rounding and saturation as the definition's double), clamped to [-128, 127] (beyond, the
 *     definition saturates to the same weight), rounded half to even by adding and subtracting
 *     1.5 2^23, converted and doubled; a NaN stays NaN through the clamp and the rounding and
 *     becomes 0, as the definition's cast makes it.</li>
 * </ul>
 * A tail shorter than a vector is a window that ends at n and overlaps what is done: Dense and
 * quantisation write those elements again with the same values, the LIF stores only the new lanes
 * (a masked store). Rows shorter than half a vector take the definition. Loaded by reflection only when the
 * {@code jdk.incubator.vector} module is present.
 */
final class PanamaFixedOps implements FixedOps {

    private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    private static final int L = IS.length();
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final int FL = FS.length();
    private static final VectorSpecies<Long> LS = LongVector.SPECIES_PREFERRED;
    private static final int LL = LS.length();
    /** Ints, as many as {@link #LS} has longs. */
    private static final VectorSpecies<Integer> HS =
            VectorSpecies.of(int.class, VectorShape.forBitSize(LS.vectorBitSize() / 2));

    private static final int HL = HS.length();
    private static final long WRAP = 2L * FixedLif.MAX_UV;
    private static final long SAT = FixedLif.MAX_UV - 1;
    /** Floats and ints of half the preferred width, for rows shorter than a vector. */
    private static final VectorSpecies<Float> HFS = VectorSpecies.of(float.class, HS.vectorShape());
    private static final int HFL = HFS.length();

    private static final VectorSpecies<Short> SS = ShortVector.SPECIES_PREFERRED;
    private static final int SL = SS.length();
    /** Shorts, as many as {@link #IS} has ints. */
    private static final VectorSpecies<Short> HSS =
            VectorSpecies.of(short.class, VectorShape.forBitSize(IS.vectorBitSize() / 2));
    /** Rows of halves (each in [-128, 127]) a 16-bit lane sums without overflow: 255 128 < 2^15. */
    private static final int SHORT_ROWS = 255;
    /** Lanes 0, 1, ... of the LIF's int species, for the tail window's store mask. */
    private static final IntVector IOTA_H = IntVector.zero(HS).addIndex(1);
    /** Lanes 0, 1, ... of {@link #IS}. */
    private static final IntVector IOTA = IntVector.zero(IS).addIndex(1);

    private static final float ROUND = 12582912f; // 1.5 2^23
    /** Half the weight range: {@code 2 rint(y)} for y clamped to it is the definition's saturated weight. */
    private static final float LOW = LoihiQuantizer.MIN_WEIGHT / 2f;
    private static final float HIGH = LoihiQuantizer.MAX_WEIGHT / 2f;

    @Override
    public String name() {
        return "panama";
    }

    @Override
    public void dense(int[] w, int n, int[] active, int count, int wexp, int[] a, int aOff) {
        if (wexp < 0 || wexp >= Integer.SIZE) {
            FixedLif.dense(w, n, active, count, wexp, a, aOff);
            return;
        }
        int j = 0;
        for (; j + 4 * L <= n; j += 4 * L) {
            IntVector o0 = IntVector.zero(IS);
            IntVector o1 = o0;
            IntVector o2 = o0;
            IntVector o3 = o0;
            for (int k = 0; k < count; k++) {
                int row = active[k] * n + j;
                o0 = o0.add(IntVector.fromArray(IS, w, row));
                o1 = o1.add(IntVector.fromArray(IS, w, row + L));
                o2 = o2.add(IntVector.fromArray(IS, w, row + 2 * L));
                o3 = o3.add(IntVector.fromArray(IS, w, row + 3 * L));
            }
            o0.lanewise(VectorOperators.LSHL, wexp).intoArray(a, aOff + j);
            o1.lanewise(VectorOperators.LSHL, wexp).intoArray(a, aOff + j + L);
            o2.lanewise(VectorOperators.LSHL, wexp).intoArray(a, aOff + j + 2 * L);
            o3.lanewise(VectorOperators.LSHL, wexp).intoArray(a, aOff + j + 3 * L);
        }
        for (; j + L <= n; j += L) {
            denseWindow(w, n, active, count, wexp, a, aOff, j);
        }
        // The tail: windows that end at n and overlap columns already done (which get the same value again).
        if (j < n && n >= L) {
            denseWindow(w, n, active, count, wexp, a, aOff, n - L);
        } else if (j < n && n >= HL) {
            for (; j + HL <= n; j += HL) {
                denseHalfWindow(w, n, active, count, wexp, a, aOff, j);
            }
            denseHalfWindow(w, n, active, count, wexp, a, aOff, n - HL);
        } else if (j < n) {
            FixedLif.dense(w, n, active, count, wexp, a, aOff);
        }
    }

    @Override
    public boolean halve(int[] w, int n, short[] h) {
        if (n < SL) {
            return false;
        }
        IntVector badLanes = IntVector.zero(IS);
        int i = 0;
        for (; i + L <= w.length; i += L) {
            IntVector x = IntVector.fromArray(IS, w, i);
            badLanes = badLanes.or(x.and(1)).or(x.sub(LoihiQuantizer.MIN_WEIGHT).and(~0x1FF));
            ((ShortVector) x.lanewise(VectorOperators.ASHR, 1).convertShape(VectorOperators.I2S, HSS, 0))
                    .intoArray(h, i);
        }
        int bad = badLanes.reduceLanes(VectorOperators.OR);
        for (; i < w.length; i++) {
            int x = w[i];
            bad |= (x & 1) | (x - LoihiQuantizer.MIN_WEIGHT) & ~0x1FF; // odd, or outside [-256, 255]
            h[i] = (short) (x >> 1);
        }
        return bad == 0;
    }

    /**
     * Halves summed in 16-bit lanes, twice as many per vector as ints, in blocks of at most
     * {@value #SHORT_ROWS} rows (exact), each block widened and added to 32-bit sums that wrap as
     * {@link #dense}'s do; {@code 2 sum << wexp} is {@code sum << (wexp + 1)}.
     */
    @Override
    public void denseHalves(short[] h, int n, int[] active, int count, int wexp, int[] a, int aOff) {
        if (wexp < 0 || wexp >= Integer.SIZE - 1 || n < SL) {
            ScalarFixedOps.INSTANCE.denseHalves(h, n, active, count, wexp, a, aOff);
            return;
        }
        int j = 0;
        // Four vectors of halves (eight of int sums) per pass over the active rows: 128 columns at 512 bits.
        for (; j + 4 * SL <= n; j += 4 * SL) {
            IntVector s0 = IntVector.zero(IS);
            IntVector s1 = s0;
            IntVector s2 = s0;
            IntVector s3 = s0;
            IntVector s4 = s0;
            IntVector s5 = s0;
            IntVector s6 = s0;
            IntVector s7 = s0;
            for (int k0 = 0; k0 < count; k0 += SHORT_ROWS) {
                int k1 = Math.min(count, k0 + SHORT_ROWS);
                ShortVector o0 = ShortVector.zero(SS);
                ShortVector o1 = o0;
                ShortVector o2 = o0;
                ShortVector o3 = o0;
                for (int k = k0; k < k1; k++) {
                    int row = active[k] * n + j;
                    o0 = o0.add(ShortVector.fromArray(SS, h, row));
                    o1 = o1.add(ShortVector.fromArray(SS, h, row + SL));
                    o2 = o2.add(ShortVector.fromArray(SS, h, row + 2 * SL));
                    o3 = o3.add(ShortVector.fromArray(SS, h, row + 3 * SL));
                }
                s0 = s0.add(widen(o0, 0));
                s1 = s1.add(widen(o0, 1));
                s2 = s2.add(widen(o1, 0));
                s3 = s3.add(widen(o1, 1));
                s4 = s4.add(widen(o2, 0));
                s5 = s5.add(widen(o2, 1));
                s6 = s6.add(widen(o3, 0));
                s7 = s7.add(widen(o3, 1));
            }
            int e = wexp + 1;
            s0.lanewise(VectorOperators.LSHL, e).intoArray(a, aOff + j);
            s1.lanewise(VectorOperators.LSHL, e).intoArray(a, aOff + j + L);
            s2.lanewise(VectorOperators.LSHL, e).intoArray(a, aOff + j + 2 * L);
            s3.lanewise(VectorOperators.LSHL, e).intoArray(a, aOff + j + 3 * L);
            s4.lanewise(VectorOperators.LSHL, e).intoArray(a, aOff + j + 4 * L);
            s5.lanewise(VectorOperators.LSHL, e).intoArray(a, aOff + j + 5 * L);
            s6.lanewise(VectorOperators.LSHL, e).intoArray(a, aOff + j + 6 * L);
            s7.lanewise(VectorOperators.LSHL, e).intoArray(a, aOff + j + 7 * L);
        }
        for (; j + SL <= n; j += SL) {
            denseHalvesWindow(h, n, active, count, wexp, a, aOff, j);
        }
        if (j < n) { // the window that ends at n; overlapped columns get the same values again
            denseHalvesWindow(h, n, active, count, wexp, a, aOff, n - SL);
        }
    }

    /** Columns {@code [j, j + SL)} of {@link #denseHalves}. */
    private static void denseHalvesWindow(short[] h, int n, int[] active, int count, int wexp, int[] a, int aOff,
                                          int j) {
        IntVector s0 = IntVector.zero(IS);
        IntVector s1 = s0;
        for (int k0 = 0; k0 < count; k0 += SHORT_ROWS) {
            int k1 = Math.min(count, k0 + SHORT_ROWS);
            ShortVector o = ShortVector.zero(SS);
            for (int k = k0; k < k1; k++) {
                o = o.add(ShortVector.fromArray(SS, h, active[k] * n + j));
            }
            s0 = s0.add(widen(o, 0));
            s1 = s1.add(widen(o, 1));
        }
        s0.lanewise(VectorOperators.LSHL, wexp + 1).intoArray(a, aOff + j);
        s1.lanewise(VectorOperators.LSHL, wexp + 1).intoArray(a, aOff + j + L);
    }

    /** Half {@code part} of a vector of shorts as ints. */
    private static IntVector widen(ShortVector x, int part) {
        return (IntVector) x.convertShape(VectorOperators.S2I, IS, part);
    }

    // The window methods come in one copy per species: the Vector API compiles to vector instructions
    // only where the species is a constant, and a species passed as an argument is not one.

    /** Columns {@code [j, j + L)} of {@link #dense}. */
    private static void denseWindow(int[] w, int n, int[] active, int count, int wexp, int[] a, int aOff, int j) {
        IntVector o = IntVector.zero(IS);
        for (int k = 0; k < count; k++) {
            o = o.add(IntVector.fromArray(IS, w, active[k] * n + j));
        }
        o.lanewise(VectorOperators.LSHL, wexp).intoArray(a, aOff + j);
    }

    /** Columns {@code [j, j + HL)} of {@link #dense}. */
    private static void denseHalfWindow(int[] w, int n, int[] active, int count, int wexp, int[] a, int aOff, int j) {
        IntVector o = IntVector.zero(HS);
        for (int k = 0; k < count; k++) {
            o = o.add(IntVector.fromArray(HS, w, active[k] * n + j));
        }
        o.lanewise(VectorOperators.LSHL, wexp).intoArray(a, aOff + j);
    }

    /** Per-neuron decays and thresholds have no vector kernel yet: the scalar definition. */
    @Override
    public int lifStepNeurons(int n, int[] u, int[] v, int off, int[] a, int du, int[] dv, int[] vth,
                              int[] biasMant, int biasExp, int[] spikes) {
        return FixedLif.stepNeurons(n, u, v, off, a, du, dv, vth, biasMant, biasExp, spikes);
    }

    @Override
    public int lifStep(int n, int[] u, int[] v, int off, int[] a, int du, int dv, int vth, int[] biasMant, int biasExp,
                       int[] spikes) {
        int keepU = FixedLif.DECAY_UNITY - (du + FixedLif.DS_OFFSET);
        int keepV = FixedLif.DECAY_UNITY - (dv + FixedLif.DM_OFFSET);
        long effVth = (long) vth << FixedLif.VTH_SHIFT;
        int count = 0;
        int j = 0;
        boolean narrow = keepU >= 0 && keepU <= FixedLif.DECAY_UNITY && keepV >= 0 && keepV <= FixedLif.DECAY_UNITY
                && effVth == (int) effVth && (biasMant == null || (biasExp >= -31 && biasExp <= 17));
        for (; narrow && j + L <= n; j += L) {
            int c = lifIntWindow(u, v, off, a, keepU, keepV, (int) effVth, biasMant, biasExp, spikes, count, j, 0, L);
            if (c >= 0) {
                count = c;
            } else { // some lane outside the 32-bit path's range: this window in 64 bits
                count = lifWindow(u, v, off, a, keepU, keepV, effVth, biasMant, biasExp, spikes, count, j, 0);
                count = lifWindow(u, v, off, a, keepU, keepV, effVth, biasMant, biasExp, spikes, count, j + LL, 0);
            }
        }
        if (narrow && j < n) {
            // The tail in one 32-bit window: the one that ends at n, or, for a layer narrower than a
            // vector, the one that starts at 0 where the arrays have room for it (padded scratch).
            int c = -1;
            if (n >= L) {
                c = lifIntWindow(u, v, off, a, keepU, keepV, (int) effVth, biasMant, biasExp, spikes, count, n - L,
                        j - (n - L), L);
            } else if (v.length >= off + L && u.length >= off + L && a.length >= L) {
                c = lifIntWindow(u, v, off, a, keepU, keepV, (int) effVth, biasMant, biasExp, spikes, count, 0, 0, n);
            }
            if (c >= 0) {
                return c;
            }
        }
        for (; j + LL <= n; j += LL) {
            count = lifWindow(u, v, off, a, keepU, keepV, effVth, biasMant, biasExp, spikes, count, j, 0);
        }
        if (j == n) {
            return count;
        }
        if (n < LL) {
            return FixedLif.step(j, n, u, v, off, a, du, dv, vth, biasMant, biasExp, spikes, count);
        }
        // The tail: the window that ends at n, storing only the lanes not done yet.
        return lifWindow(u, v, off, a, keepU, keepV, effVth, biasMant, biasExp, spikes, count, n - LL, j - (n - LL));
    }

    /**
     * {@link #lifStep} for the neurons {@code [j + lo, j + hi)} of the window {@code [j, j + L)},
     * {@code lo = 0} or {@code hi = L}
     * (whose u, v and a must lie inside their arrays; the other lanes are computed from whatever is
     * there and dropped) in 32-bit lanes, or -1 (and nothing written) when a kept lane is outside the range where 32 bits are exact: {@code u, v} in
     * {@code [-2^23, 2^23)}, {@code a} in {@code [-2^22, 2^22)}, a bias mantissa in
     * {@code [-2^12, 2^12)} (the caller has checked the decays are in {@code [0, 4096]}, the
     * threshold fits an int and {@code -31 <= biasExp <= 17}). Then every intermediate stays below
     * 2^31 in magnitude: {@code |a << 6| <= 2^28}, the decayed terms are below 2^23, the bias below
     * 2^30, and the decay {@code (|x| keep) >> 12} is formed as {@code h keep + ((l keep) >> 12)}
     * with {@code |x| = 4096 h + l}, which is the same floor.
     */
    private static int lifIntWindow(int[] u, int[] v, int off, int[] a, int keepU, int keepV, int effVth,
                                    int[] biasMant, int biasExp, int[] spikes, int count, int j, int lo, int hi) {
        boolean whole = lo == 0 && hi == L;
        // Callers keep either the lanes from lo (hi = L) or those below hi (lo = 0): one comparison.
        VectorMask<Integer> keep = lo > 0 ? IOTA.compare(VectorOperators.GE, lo) : IOTA.compare(VectorOperators.LT, hi);
        IntVector v0 = IntVector.fromArray(IS, v, off + j);
        IntVector a0 = IntVector.fromArray(IS, a, j);
        // With keepU = 0 (the quantiser's du) the old current is multiplied by 0: not read, not checked.
        IntVector u0 = keepU == 0 ? v0 : IntVector.fromArray(IS, u, off + j);
        IntVector out = u0.add(FixedLif.MAX_UV).or(v0.add(FixedLif.MAX_UV)).lanewise(VectorOperators.LSHR, 24)
                .or(a0.add(1 << 22).lanewise(VectorOperators.LSHR, 23));
        IntVector bias = null;
        if (biasMant != null) {
            IntVector b = biasMant.length >= j + L ? IntVector.fromArray(IS, biasMant, j)
                    : IntVector.fromArray(IS, biasMant, j, keep);
            out = out.or(b.add(1 << 12).lanewise(VectorOperators.LSHR, 13));
            bias = biasExp >= 0 ? b.lanewise(VectorOperators.LSHL, biasExp) : b.lanewise(VectorOperators.ASHR, -biasExp);
        }
        // Lanes outside [lo, hi) are neither used nor checked.
        if ((whole ? out.compare(VectorOperators.NE, 0) : out.compare(VectorOperators.NE, 0, keep)).anyTrue()) {
            return -1;
        }
        IntVector uu = decay(u0, keepU).add(a0.lanewise(VectorOperators.LSHL, FixedLif.ACT_SHIFT));
        uu = uu.sub((int) WRAP, uu.compare(VectorOperators.GT, FixedLif.MAX_UV))
                .add((int) WRAP, uu.compare(VectorOperators.LE, -FixedLif.MAX_UV));
        IntVector vv = decay(v0, keepV).add(uu);
        if (bias != null) {
            vv = vv.add(bias);
        }
        vv = vv.max((int) -SAT).min((int) SAT);
        VectorMask<Integer> spike = vv.compare(VectorOperators.GT, effVth);
        vv = vv.blend(0, spike);
        long bits = spike.toLong();
        if (whole) {
            uu.intoArray(u, off + j);
            vv.intoArray(v, off + j);
        } else {
            uu.intoArray(u, off + j, keep);
            vv.intoArray(v, off + j, keep);
            bits &= keep.toLong();
        }
        for (; bits != 0; bits &= bits - 1) {
            spikes[count++] = j + Long.numberOfTrailingZeros(bits);
        }
        return count;
    }

    /** {@link FixedLif#decay} in 32-bit lanes for {@code |x| <= 2^23}, {@code 0 <= keep <= 4096}. */
    private static IntVector decay(IntVector x, int keep) {
        if (keep == 0) {
            return IntVector.zero(IS);
        }
        IntVector ax = x.lanewise(VectorOperators.ABS);
        IntVector m = ax.lanewise(VectorOperators.ASHR, FixedLif.DECAY_SHIFT).mul(keep)
                .add(ax.and(FixedLif.DECAY_UNITY - 1).mul(keep).lanewise(VectorOperators.ASHR, FixedLif.DECAY_SHIFT));
        return m.blend(m.neg(), x.compare(VectorOperators.LT, 0));
    }

    /**
     * {@link #lifStep} for the neurons {@code [j + done, j + LL)}: all lanes of the window are
     * computed, the first {@code done} are neither stored nor listed.
     */
    private static int lifWindow(int[] u, int[] v, int off, int[] a, int keepU, int keepV, long effVth, int[] biasMant,
                                 int biasExp, int[] spikes, int count, int j, int done) {
        LongVector uu = decay(widen(u, off + j), keepU)
                .add(widen(a, j).lanewise(VectorOperators.LSHL, FixedLif.ACT_SHIFT));
        uu = uu.sub(WRAP, uu.compare(VectorOperators.GT, FixedLif.MAX_UV))
                .add(WRAP, uu.compare(VectorOperators.LE, -FixedLif.MAX_UV));
        LongVector vv = decay(widen(v, off + j), keepV).add(uu);
        if (biasMant != null) {
            LongVector b = widen(biasMant, j);
            // FixedLif.shift: x (1L << e) for e >= 0, which is x << e (both take e mod 64, as the Vector
            // API's shifts do), a flooring right shift by -e otherwise.
            vv = vv.add(biasExp >= 0 ? b.lanewise(VectorOperators.LSHL, biasExp)
                    : b.lanewise(VectorOperators.ASHR, -biasExp));
        }
        vv = vv.max(-SAT).min(SAT);
        VectorMask<Long> spike = vv.compare(VectorOperators.GT, effVth);
        vv = vv.blend(0L, spike);
        long bits = spike.toLong();
        if (done == 0) {
            narrow(uu, u, off + j);
            narrow(vv, v, off + j);
        } else {
            VectorMask<Integer> keep = IOTA_H.compare(VectorOperators.GE, done);
            ((IntVector) uu.convertShape(VectorOperators.L2I, HS, 0)).intoArray(u, off + j, keep);
            ((IntVector) vv.convertShape(VectorOperators.L2I, HS, 0)).intoArray(v, off + j, keep);
            bits = bits >>> done << done;
        }
        for (; bits != 0; bits &= bits - 1) {
            spikes[count++] = j + Long.numberOfTrailingZeros(bits);
        }
        return count;
    }

    private static LongVector widen(int[] x, int off) {
        return (LongVector) IntVector.fromArray(HS, x, off).convertShape(VectorOperators.I2L, LS, 0);
    }

    /** Stores longs as ints with the cast's truncation. */
    private static void narrow(LongVector x, int[] to, int off) {
        ((IntVector) x.convertShape(VectorOperators.L2I, HS, 0)).intoArray(to, off);
    }

    /** {@link FixedLif#decay} lanewise: {@code sign(p) (|p| >> 12)} with {@code p = x keep}. */
    private static LongVector decay(LongVector x, int keep) {
        if (keep == 0) {
            return LongVector.zero(LS);
        }
        LongVector p = x.mul(keep);
        LongVector m = p.lanewise(VectorOperators.ABS).lanewise(VectorOperators.ASHR, FixedLif.DECAY_SHIFT);
        return m.blend(m.neg(), p.compare(VectorOperators.LT, 0L));
    }

    @Override
    public void quantizeRow(float[] w, int wOff, float s, float[] x, int xOff, int p, int[] out, int outOff, int n) {
        if (p < 0 || p > LoihiQuantizer.MAX_SCALE_EXP) {
            ScalarFixedOps.quantizeRow(w, wOff, s, x, xOff, p, out, outOff, 0, n);
            return;
        }
        float scale = Math.scalb(1f, p - 1);
        int j = 0;
        for (; j + FL <= n; j += FL) {
            quantizeWindow(w, wOff, s, x, xOff, scale, out, outOff, j);
        }
        // The tail: windows that end at n and overlap elements already done (which get the same value again).
        if (j < n && n >= FL) {
            quantizeWindow(w, wOff, s, x, xOff, scale, out, outOff, n - FL);
        } else if (j < n && n >= HFL) {
            for (; j + HFL <= n; j += HFL) {
                quantizeHalfWindow(w, wOff, s, x, xOff, scale, out, outOff, j);
            }
            quantizeHalfWindow(w, wOff, s, x, xOff, scale, out, outOff, n - HFL);
        } else {
            ScalarFixedOps.quantizeRow(w, wOff, s, x, xOff, p, out, outOff, j, n);
        }
    }

    /** Elements {@code [j, j + FL)} of {@link #quantizeRow}. */
    private static void quantizeWindow(float[] w, int wOff, float s, float[] x, int xOff, float scale, int[] out,
                                       int outOff, int j) {
        FloatVector y = FloatVector.fromArray(FS, w, wOff + j).add(FloatVector.fromArray(FS, x, xOff + j).mul(s))
                .mul(scale).max(LOW).min(HIGH).add(ROUND).sub(ROUND);
        ((IntVector) y.convert(VectorOperators.F2I, 0)).lanewise(VectorOperators.LSHL, 1).intoArray(out, outOff + j);
    }

    /** Elements {@code [j, j + HFL)} of {@link #quantizeRow}. */
    private static void quantizeHalfWindow(float[] w, int wOff, float s, float[] x, int xOff, float scale, int[] out,
                                           int outOff, int j) {
        FloatVector y = FloatVector.fromArray(HFS, w, wOff + j).add(FloatVector.fromArray(HFS, x, xOff + j).mul(s))
                .mul(scale).max(LOW).min(HIGH).add(ROUND).sub(ROUND);
        ((IntVector) y.convert(VectorOperators.F2I, 0)).lanewise(VectorOperators.LSHL, 1).intoArray(out, outOff + j);
    }
}
