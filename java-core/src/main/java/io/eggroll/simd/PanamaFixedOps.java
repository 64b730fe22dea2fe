package io.eggroll.simd;

import io.eggroll.snn.fixed.FixedLif;
import io.eggroll.snn.fixed.LoihiQuantizer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
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
 * <li>LIF: 64-bit lanes (ints widened on load, narrowed on store with the definition's cast), so
 *     every product, the one wrap into 24 bits, the saturation and the spike test are the
 *     definition's, without range preconditions.</li>
 * <li>Quantisation: {@code w + s x} lanewise (multiply, then add), times {@code 2^(p-1)} in float
 *     (exact for {@code 0 <= p <= 16}, or, when it under- or overflows, on the same side of the
 *     rounding and saturation as the definition's double), clamped to ±200 (the definition
 *     saturates every such value to the same weight), rounded half to even by adding and
 *     subtracting 1.5 2^23, then doubled and clamped to [-256, 254]; a NaN becomes 0 as the
 *     definition's cast makes it.</li>
 * </ul>
 * Tails shorter than a vector take the definition. Loaded by reflection only when the
 * {@code jdk.incubator.vector} module is present.
 */
final class PanamaFixedOps implements FixedOps {

    private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    private static final int L = IS.length();
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final int FL = FS.length();
    private static final VectorSpecies<Integer> FIS = VectorSpecies.of(int.class, FS.vectorShape());
    private static final VectorSpecies<Long> LS = LongVector.SPECIES_PREFERRED;
    private static final int LL = LS.length();
    /** Ints, as many as {@link #LS} has longs. */
    private static final VectorSpecies<Integer> HS =
            VectorSpecies.of(int.class, VectorShape.forBitSize(LS.vectorBitSize() / 2));

    private static final float ROUND = 12582912f; // 1.5 2^23
    private static final float RANGE = 200f;

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
            IntVector o = IntVector.zero(IS);
            for (int k = 0; k < count; k++) {
                o = o.add(IntVector.fromArray(IS, w, active[k] * n + j));
            }
            o.lanewise(VectorOperators.LSHL, wexp).intoArray(a, aOff + j);
        }
        for (; j < n; j++) {
            int acc = 0;
            for (int k = 0; k < count; k++) {
                acc += w[active[k] * n + j];
            }
            a[aOff + j] = acc << wexp;
        }
    }

    @Override
    public int lifStep(int n, int[] u, int[] v, int off, int[] a, int du, int dv, int vth, int[] biasMant, int biasExp,
                       int[] spikes) {
        int keepU = FixedLif.DECAY_UNITY - (du + FixedLif.DS_OFFSET);
        int keepV = FixedLif.DECAY_UNITY - (dv + FixedLif.DM_OFFSET);
        long effVth = (long) vth << FixedLif.VTH_SHIFT;
        long wrap = 2L * FixedLif.MAX_UV;
        long sat = FixedLif.MAX_UV - 1;
        int count = 0;
        int j = 0;
        for (; j + LL <= n; j += LL) {
            LongVector uu = decay(widen(u, off + j), keepU)
                    .add(widen(a, j).lanewise(VectorOperators.LSHL, FixedLif.ACT_SHIFT));
            uu = uu.sub(wrap, uu.compare(VectorOperators.GT, FixedLif.MAX_UV))
                    .add(wrap, uu.compare(VectorOperators.LE, -FixedLif.MAX_UV));
            LongVector vv = decay(widen(v, off + j), keepV).add(uu);
            if (biasMant != null) {
                LongVector b = widen(biasMant, j);
                // FixedLif.shift: a left shift as a multiplication by 1L << e, a flooring right shift by -e
                // (both counts taken mod 64, as Java's and the Vector API's shifts take them).
                vv = vv.add(biasExp >= 0 ? b.mul(1L << biasExp) : b.lanewise(VectorOperators.ASHR, -biasExp));
            }
            vv = vv.max(-sat).min(sat);
            VectorMask<Long> spike = vv.compare(VectorOperators.GT, effVth);
            vv = vv.blend(0L, spike);
            narrow(uu, u, off + j);
            narrow(vv, v, off + j);
            for (long bits = spike.toLong(); bits != 0; bits &= bits - 1) {
                spikes[count++] = j + Long.numberOfTrailingZeros(bits);
            }
        }
        return FixedLif.step(j, n, u, v, off, a, du, dv, vth, biasMant, biasExp, spikes, count);
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
            FloatVector y = FloatVector.fromArray(FS, w, wOff + j).add(FloatVector.fromArray(FS, x, xOff + j).mul(s))
                    .mul(scale).max(-RANGE).min(RANGE).add(ROUND).sub(ROUND);
            IntVector q = (IntVector) y.convert(VectorOperators.F2I, 0);
            q.lanewise(VectorOperators.LSHL, 1).max(LoihiQuantizer.MIN_WEIGHT).min(LoihiQuantizer.MAX_WEIGHT)
                    .blend(0, y.test(VectorOperators.IS_NAN).cast(FIS)).intoArray(out, outOff + j);
        }
        ScalarFixedOps.quantizeRow(w, wOff, s, x, xOff, p, out, outOff, j, n);
    }
}
