package io.eggroll.simd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.eggroll.snn.fixed.FixedLif;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The Panama integer kernels against the scalar definition ({@link FixedLif}, the quantiser), on
 * random shapes (every tail length below and above a vector) and on values inside and far outside
 * the ranges the quantiser produces: the results must be the same bits for every input.
 */
class FixedOpsTest {

    private static final FixedOps REF = FixedOpsProvider.scalar();
    /** The Panama kernels, or null where the module is absent (a static field: jqwik runs no {@code @BeforeAll}). */
    private static final FixedOps FAST = load();

    private static FixedOps load() {
        String[] why = new String[1];
        VectorOps panama = VectorizationProvider.panama(why);
        if (panama == null && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true but the Panama implementation is unavailable: " + why[0]);
        }
        return panama == null ? null : FixedOpsProvider.forOps(panama);
    }

    @Test
    void theScalarFloatPathGoesWithTheScalarDefinition() {
        assertThat(FixedOpsProvider.forOps(VectorizationProvider.scalar())).isSameAs(REF);
        assertThat(FixedOpsProvider.scalar().name()).isEqualTo("scalar");
        if (FAST != null) {
            assertThat(FAST.name()).isEqualTo("panama");
        }
    }

    /** Ints in one of three regimes: the quantiser's, the 24-bit state's, or anything. */
    private static int[] ints(SplittableRandom rnd, int n, int regime) {
        int[] x = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = switch (regime) {
                case 0 -> 2 * rnd.nextInt(-128, 128);
                case 1 -> rnd.nextInt(-(1 << 23), (1 << 23) + 1);
                default -> rnd.nextInt(8) == 0 ? (rnd.nextBoolean() ? Integer.MIN_VALUE : Integer.MAX_VALUE)
                        : rnd.nextInt();
            };
        }
        return x;
    }

    @Property(tries = 120)
    void denseMatches(@ForAll @IntRange(min = 1, max = 200) int n, @ForAll @IntRange(min = 1, max = 60) int m,
                      @ForAll @IntRange(min = -3, max = 70) int wexp, @ForAll @IntRange(min = 0, max = 2) int regime,
                      @ForAll long seed) {
        assumeThat(FAST).isNotNull();
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] w = ints(rnd, m * n, regime);
        int[] active = new int[m];
        int count = 0;
        for (int i = 0; i < m; i++) {
            if (rnd.nextInt(3) > 0) {
                active[count++] = i;
            }
        }
        int[] a0 = ints(rnd, n + 5, 2);
        int[] a1 = a0.clone();
        REF.dense(w, n, active, count, wexp, a0, 5 - n % 3);
        FAST.dense(w, n, active, count, wexp, a1, 5 - n % 3);
        assertThat(a1).isEqualTo(a0);
    }

    @Property(tries = 120)
    void denseHalvesMatchesDenseOnTheDoubledWeights(@ForAll @IntRange(min = 1, max = 200) int n,
                                                    @ForAll @IntRange(min = 1, max = 600) int m,
                                                    @ForAll @IntRange(min = -3, max = 70) int wexp,
                                                    @ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        short[] h = new short[m * n];
        int[] w = new int[m * n];
        for (int i = 0; i < h.length; i++) {
            // mostly the extremes, so that long sums reach the 16-bit lanes' limits
            h[i] = (short) (rnd.nextBoolean() ? (rnd.nextBoolean() ? 127 : -128) : rnd.nextInt(-128, 128));
            w[i] = 2 * h[i];
        }
        int[] active = new int[m];
        int count = 0;
        for (int i = 0; i < m; i++) {
            if (rnd.nextInt(8) > 0) {
                active[count++] = i;
            }
        }
        int[] want = new int[n + 2];
        REF.dense(w, n, active, count, wexp, want, 2);
        int[] got = new int[n + 2];
        REF.denseHalves(h, n, active, count, wexp, got, 2);
        assertThat(got).as("scalar").isEqualTo(want);
        if (FAST != null) {
            int[] fast = new int[n + 2];
            FAST.denseHalves(h, n, active, count, wexp, fast, 2);
            assertThat(fast).as("panama").isEqualTo(want);
            short[] h1 = new short[h.length];
            if (FAST.halve(w, n, h1)) {
                assertThat(h1).isEqualTo(h);
            }
            w[rnd.nextInt(w.length)] += rnd.nextBoolean() ? 1 : 512;
            assertThat(FAST.halve(w, n, h1)).as("an odd or out-of-range weight").isFalse();
        }
        assertThat(REF.halve(w, n, new short[h.length])).isFalse();
    }

    @Property(tries = 200)
    void lifStepMatches(@ForAll @IntRange(min = 1, max = 200) int n, @ForAll @IntRange(min = 0, max = 2) int regime,
                        @ForAll boolean bias, @ForAll long seed) {
        assumeThat(FAST).isNotNull();
        SplittableRandom rnd = new SplittableRandom(seed);
        int off = rnd.nextInt(4);
        int pad = rnd.nextBoolean() ? 0 : rnd.nextInt(40); // slack past the layer, with values that must not change
        int[] u0 = ints(rnd, n + off + pad, regime == 0 ? 1 : regime);
        int[] v0 = ints(rnd, n + off + pad, regime == 0 ? 1 : regime);
        int[] a = ints(rnd, n + pad, regime);
        for (int j = 0; j < n; j += 1 + rnd.nextInt(5)) { // u = a << 6 on the edges of the 24-bit wrap
            a[j] = (rnd.nextBoolean() ? 1 : -1) * ((1 << 17) + rnd.nextInt(-1, 2));
        }
        int du = rnd.nextInt(2) == 0 ? FixedLif.MAX_DECAY : rnd.nextInt(FixedLif.MAX_DECAY + 1);
        int dv = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(FixedLif.MAX_DECAY + 1);
        int vth = regime == 2 ? rnd.nextInt() : rnd.nextInt(FixedLif.MAX_VTH + 1) / (1 + rnd.nextInt(64));
        int[] biasMant = null;
        int biasExp = 0;
        if (bias) {
            biasMant = regime == 2 ? ints(rnd, n, 2) : new int[n];
            if (regime != 2) {
                for (int j = 0; j < n; j++) {
                    biasMant[j] = rnd.nextInt(FixedLif.MIN_BIAS_MANT, FixedLif.MAX_BIAS_MANT + 1);
                }
            }
            biasExp = regime == 2 ? rnd.nextInt(-70, 71) : rnd.nextInt(-2, 9);
        }
        int[] u1 = u0.clone();
        int[] v1 = v0.clone();
        int[] s0 = new int[n];
        int[] s1 = new int[n];
        int c0 = REF.lifStep(n, u0, v0, off, a, du, dv, vth, biasMant, biasExp, s0);
        int c1 = FAST.lifStep(n, u1, v1, off, a, du, dv, vth, biasMant, biasExp, s1);
        assertThat(c1).isEqualTo(c0);
        assertThat(Arrays.copyOf(s1, c1)).isEqualTo(Arrays.copyOf(s0, c0));
        assertThat(u1).isEqualTo(u0);
        assertThat(v1).isEqualTo(v0);
    }

    @Property(tries = 200)
    void quantizeRowMatches(@ForAll @IntRange(min = 1, max = 200) int n, @ForAll @IntRange(min = -2, max = 18) int p,
                            @ForAll long seed) {
        assumeThat(FAST).isNotNull();
        SplittableRandom rnd = new SplittableRandom(seed);
        float step = (float) Math.scalb(1.0, 1 - Math.max(p, 0));
        float[] w = new float[n + 3];
        float[] x = new float[n + 1];
        for (int j = 0; j < w.length; j++) {
            w[j] = switch (rnd.nextInt(10)) {
                case 0 -> (rnd.nextInt(-140, 140) + 0.5f) * step; // ties of the rounding, and saturation
                case 1 -> rnd.nextInt(-140, 140) * step;
                case 2 -> new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE,
                        -Float.MAX_VALUE, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -0f, 1e30f}[rnd.nextInt(10)];
                default -> (float) (rnd.nextGaussian() * 130 * step);
            };
        }
        for (int j = 0; j < x.length; j++) {
            x[j] = rnd.nextInt(4) == 0 ? 0f : (float) rnd.nextGaussian();
        }
        float s = rnd.nextBoolean() ? 0f : (float) (rnd.nextGaussian() * step * 20);
        int[] q0 = new int[n + 2];
        int[] q1 = new int[n + 2];
        REF.quantizeRow(w, 3, s, x, 1, p, q0, 2, n);
        FAST.quantizeRow(w, 3, s, x, 1, p, q1, 2, n);
        assertThat(q1).isEqualTo(q0);
    }
}
