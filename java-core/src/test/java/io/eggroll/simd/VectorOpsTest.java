package io.eggroll.simd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The Panama implementation against the scalar definition, on random shapes (every tail length
 * below and above a vector) and random values: the results must be the same bits.
 */
class VectorOpsTest {

    private static final VectorOps REF = VectorizationProvider.scalar();
    // A static initialiser, not @BeforeAll: jqwik's properties do not run JUnit's lifecycle methods.
    private static final VectorOps fast = load();

    private static VectorOps load() {
        String[] why = new String[1];
        VectorOps ops = VectorizationProvider.panama(why);
        if (ops == null && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true but the Panama implementation is unavailable: " + why[0]);
        }
        System.out.println("VectorOpsTest: fast path = " + (ops == null ? "none (" + why[0] + ")" : why[0]));
        return ops;
    }

    private static float[] gaussian(SplittableRandom rnd, int n, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextGaussian() * scale);
        }
        return x;
    }

    private static int[] sortedSubset(SplittableRandom rnd, int m, double density) {
        int[] tmp = new int[m];
        int c = 0;
        for (int i = 0; i < m; i++) {
            if (rnd.nextDouble() < density) {
                tmp[c++] = i;
            }
        }
        return java.util.Arrays.copyOf(tmp, c);
    }

    @Property(tries = 60)
    void addRowsMatches(@ForAll @IntRange(min = 1, max = 200) int n, @ForAll @IntRange(min = 1, max = 40) int m,
                        @ForAll long seed) {
        assumeThat(fast).isNotNull();
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] mat = gaussian(rnd, m * n, 1);
        int[] rows = sortedSubset(rnd, m, 0.4);
        float[] out0 = gaussian(rnd, n + 3, 1);
        float[] out1 = out0.clone();
        REF.addRows(mat, n, rows, 0, rows.length, out0, 3);
        fast.addRows(mat, n, rows, 0, rows.length, out1, 3);
        assertThat(out1).isEqualTo(out0);
    }

    @Property(tries = 60)
    void expandMatches(@ForAll @IntRange(min = 1, max = 300) int n, @ForAll @IntRange(min = 1, max = 12) int r,
                       @ForAll long seed) {
        assumeThat(fast).isNotNull();
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] u = gaussian(rnd, r, 3);
        float[] bt = gaussian(rnd, r * n, 1);
        float[] p0 = new float[n + 2];
        float[] p1 = new float[n + 2];
        REF.expand(u, bt, r, n, p0, 2);
        fast.expand(u, bt, r, n, p1, 2);
        assertThat(p1).isEqualTo(p0);
    }

    @Property(tries = 60)
    void expandFramesMatches(@ForAll @IntRange(min = 1, max = 150) int n, @ForAll @IntRange(min = 1, max = 11) int r,
                             @ForAll @IntRange(min = 1, max = 13) int frames, @ForAll long seed) {
        assumeThat(fast).isNotNull();
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] u = gaussian(rnd, frames * (r + 1), 3);
        float[] bt = gaussian(rnd, r * n, 1);
        float[] p0 = new float[1 + frames * (n + 2)];
        float[] p1 = new float[p0.length];
        REF.expandFrames(u, r + 1, frames, bt, r, n, p0, 1, n + 2);
        fast.expandFrames(u, r + 1, frames, bt, r, n, p1, 1, n + 2);
        assertThat(p1).isEqualTo(p0);
        float[] one = new float[p0.length];
        for (int f = 0; f < frames; f++) {
            REF.expand(java.util.Arrays.copyOfRange(u, f * (r + 1), f * (r + 1) + r), bt, r, n, one, 1 + f * (n + 2));
        }
        assertThat(one).as("frames at once = one frame at a time").isEqualTo(p0);
    }

    @Property(tries = 60)
    void lifStepCountMatchesTheSpikeList(@ForAll @IntRange(min = 1, max = 300) int n, @ForAll boolean biasNoise,
                                         @ForAll long seed) {
        assumeThat(fast).isNotNull();
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] base = gaussian(rnd, n, 0.8);
        float[] p = gaussian(rnd, n, 2);
        float[] e = biasNoise ? gaussian(rnd, n, 1) : null;
        float[] v0 = gaussian(rnd, n, 0.7);
        float[] v1 = v0.clone();
        float[] v2 = v0.clone();
        float[] c0 = new float[n + 1];
        for (int j = 0; j < n; j++) {
            c0[j + 1] = rnd.nextInt(4);
        }
        float[] c1 = c0.clone();
        float[] c2 = c0.clone();
        REF.lifStepCount(base, 0, p, 0, 0.3f, e, 0.02f, v0, n, 0.9f, 1f, c0, 1);
        fast.lifStepCount(base, 0, p, 0, 0.3f, e, 0.02f, v1, n, 0.9f, 1f, c1, 1);
        int[] spikes = new int[n + 64];
        int k = REF.lifStep(base, 0, p, 0, 0.3f, e, 0.02f, v2, n, 0.9f, 1f, spikes);
        for (int i = 0; i < k; i++) {
            c2[1 + spikes[i]] += 1f;
        }
        assertThat(c1).isEqualTo(c0).isEqualTo(c2);
        assertThat(v1).isEqualTo(v0).isEqualTo(v2);
    }

    @Property(tries = 60)
    void pairStepsMatchTwoSingleSteps(@ForAll @IntRange(min = 1, max = 300) int n, @ForAll boolean biasNoise,
                                      @ForAll long seed) {
        assumeThat(fast).isNotNull();
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] base = gaussian(rnd, n + 3, 0.8);
        float[] p = gaussian(rnd, n + 2, 2);
        float[] e = biasNoise ? gaussian(rnd, n, 1) : null;
        float ss = (float) rnd.nextGaussian() * 0.2f;
        float[] vp = gaussian(rnd, n, 0.7);
        float[] vm = gaussian(rnd, n, 0.7);
        // the definition: one member at a time, signs (ss, sb) and (-ss, -sb)
        float[] rp = vp.clone();
        float[] rm = vm.clone();
        int[] sp = new int[n + 64];
        int[] sm = new int[n + 64];
        int cp = REF.lifStep(base, 3, p, 2, ss, e, 0.02f, rp, n, 0.9f, 1f, sp);
        int cm = REF.lifStep(base, 3, p, 2, -ss, e, -0.02f, rm, n, 0.9f, 1f, sm);
        for (VectorOps ops : new VectorOps[] {REF, fast}) {
            float[] ap = vp.clone();
            float[] am = vm.clone();
            int[] xp = new int[n + 64];
            int[] xm = new int[n + 64];
            int[] counts = new int[2];
            ops.lifStepPair(base, 3, p, 2, ss, e, 0.02f, ap, am, n, 0.9f, 1f, xp, xm, counts);
            assertThat(counts).containsExactly(cp, cm);
            assertThat(java.util.Arrays.copyOf(xp, cp)).isEqualTo(java.util.Arrays.copyOf(sp, cp));
            assertThat(java.util.Arrays.copyOf(xm, cm)).isEqualTo(java.util.Arrays.copyOf(sm, cm));
            assertThat(ap).isEqualTo(rp);
            assertThat(am).isEqualTo(rm);
            float[] kp = vp.clone();
            float[] km = vm.clone();
            float[] c0 = new float[2 * n + 1];
            float[] c1 = new float[2 * n + 1];
            REF.lifStepCount(base, 3, p, 2, ss, e, 0.02f, kp, n, 0.9f, 1f, c0, 1);
            REF.lifStepCount(base, 3, p, 2, -ss, e, -0.02f, km, n, 0.9f, 1f, c0, 1 + n);
            float[] lp = vp.clone();
            float[] lm = vm.clone();
            ops.lifStepCountPair(base, 3, p, 2, ss, e, 0.02f, lp, lm, n, 0.9f, 1f, c1, 1, c1, 1 + n);
            assertThat(c1).isEqualTo(c0);
            assertThat(lp).isEqualTo(kp);
            assertThat(lm).isEqualTo(km);
        }
    }

    @Property(tries = 40)
    void pairFramesMatchOneCallPerStep(@ForAll @IntRange(min = 1, max = 200) int n,
                                       @ForAll @IntRange(min = 1, max = 9) int frames, @ForAll boolean biasNoise,
                                       @ForAll long seed) {
        assumeThat(fast).isNotNull();
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] base = gaussian(rnd, frames * (n + 1) + 2, 0.8);
        float[] p = gaussian(rnd, frames * n + 1, 2);
        float[] e = biasNoise ? gaussian(rnd, n, 1) : null;
        float[] vp = gaussian(rnd, n, 0.7);
        float[] vm = gaussian(rnd, n, 0.7);
        float[] want = new float[2 * n];
        float[] wp = vp.clone();
        float[] wm = vm.clone();
        for (int t = 0; t < frames; t++) {
            REF.lifStepCountPair(base, 2 + t * (n + 1), p, 1 + t * n, 0.3f, e, 0.02f, wp, wm, n, 0.9f, 1f, want, 0,
                    want, n);
        }
        for (VectorOps ops : new VectorOps[] {REF, fast}) {
            float[] got = new float[2 * n];
            float[] gp = vp.clone();
            float[] gm = vm.clone();
            ops.lifStepCountPairFrames(base, 2, n + 1, p, 1, n, frames, 0.3f, e, 0.02f, gp, gm, n, 0.9f, 1f, got, 0,
                    got, n);
            assertThat(got).isEqualTo(want);
            assertThat(gp).isEqualTo(wp);
            assertThat(gm).isEqualTo(wm);
        }
    }

    @Property(tries = 80)
    void lifStepAndIntegrateMatch(@ForAll @IntRange(min = 1, max = 300) int n, @ForAll boolean biasNoise,
                                  @ForAll long seed) {
        assumeThat(fast).isNotNull();
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] base = gaussian(rnd, n + 5, 0.8);
        float[] p = gaussian(rnd, n + 1, 2);
        float[] e = biasNoise ? gaussian(rnd, n, 1) : null;
        float ss = (float) rnd.nextGaussian() * 0.1f;
        float sb = -0.02f;
        float[] v0 = gaussian(rnd, n, 0.7);
        float[] v1 = v0.clone();
        int[] s0 = new int[n + 64];
        int[] s1 = new int[n + 64];
        int c0 = REF.lifStep(base, 5, p, 1, ss, e, sb, v0, n, 0.9f, 1.0f, s0);
        int c1 = fast.lifStep(base, 5, p, 1, ss, e, sb, v1, n, 0.9f, 1.0f, s1);
        assertThat(c1).isEqualTo(c0);
        assertThat(java.util.Arrays.copyOf(s1, c1)).isEqualTo(java.util.Arrays.copyOf(s0, c0));
        assertThat(v1).isEqualTo(v0);
        float[] acc0 = gaussian(rnd, n + 4, 1);
        float[] acc1 = acc0.clone();
        REF.integrate(base, 0, p, 0, ss, e, sb, v0, n, 0.9f, acc0, 4);
        fast.integrate(base, 0, p, 0, ss, e, sb, v1, n, 0.9f, acc1, 4);
        assertThat(v1).isEqualTo(v0);
        assertThat(acc1).isEqualTo(acc0);
    }

    @Property(tries = 80)
    void fusedReadoutStepsMatchTheOpsTheyFuse(@ForAll @IntRange(min = 1, max = 40) int n,
                                              @ForAll @IntRange(min = 1, max = 6) int r,
                                              @ForAll @IntRange(min = 1, max = 60) int fanIn,
                                              @ForAll boolean biasNoise, @ForAll long seed) {
        assumeThat(fast).isNotNull();
        SplittableRandom rnd = new SplittableRandom(seed);
        int pad = 16;
        float[] wa = gaussian(rnd, fanIn * (n + r) + pad, 0.5);
        float[] bias = gaussian(rnd, n, 0.3);
        float[] bt = gaussian(rnd, r * n + pad, 1);
        float[] e = biasNoise ? gaussian(rnd, n + pad, 1) : null;
        float ss = (float) rnd.nextGaussian() * 0.05f;
        float sb = 0.02f;
        float[][] v = {new float[n + r + pad], new float[n + r + pad]};
        float[][] acc = {new float[n + r + pad], new float[n + r + pad]};
        // Several steps in a row, as a sample runs them: v and acc carry over.
        for (int step = 0; step < 5; step++) {
            int[] in = sortedSubset(rnd, fanIn, 0.3);
            REF.readoutStep(wa, bias, n, r, in, in.length, bt, ss, e, sb, v[0], 0.9f, acc[0],
                    new float[n + r + pad], new float[n + r + pad], new float[r + pad]);
            fast.readoutStep(wa, bias, n, r, in, in.length, bt, ss, e, sb, v[1], 0.9f, acc[1],
                    new float[n + r + pad], new float[n + r + pad], new float[r + pad]);
            assertThat(java.util.Arrays.copyOf(v[1], n)).isEqualTo(java.util.Arrays.copyOf(v[0], n));
            assertThat(java.util.Arrays.copyOf(acc[1], n)).isEqualTo(java.util.Arrays.copyOf(acc[0], n));
        }
        // The pair form: both members at once equals two single steps.
        float[][] vp = {v[0].clone(), v[0].clone()};
        float[][] ap = {acc[0].clone(), acc[0].clone()};
        float[][] vm = {v[1].clone(), v[1].clone()};
        float[][] am = {acc[1].clone(), acc[1].clone()};
        int[] inP = sortedSubset(rnd, fanIn, 0.4);
        int[] inM = sortedSubset(rnd, fanIn, 0.2);
        REF.readoutStep(wa, bias, n, r, inP, inP.length, bt, ss, e, sb, vp[0], 0.9f, ap[0],
                new float[n + r + pad], new float[n + r + pad], new float[r + pad]);
        REF.readoutStep(wa, bias, n, r, inM, inM.length, bt, -ss, e, -sb, vm[0], 0.9f, am[0],
                new float[n + r + pad], new float[n + r + pad], new float[r + pad]);
        fast.readoutStepPair(wa, bias, n, r, bt, e, 0.9f, inP, inP.length, ss, sb, vp[1], ap[1],
                inM, inM.length, -ss, -sb, vm[1], am[1],
                new float[n + r + pad], new float[n + r + pad], new float[r + pad]);
        assertThat(java.util.Arrays.copyOf(vp[1], n)).isEqualTo(java.util.Arrays.copyOf(vp[0], n));
        assertThat(java.util.Arrays.copyOf(ap[1], n)).isEqualTo(java.util.Arrays.copyOf(ap[0], n));
        assertThat(java.util.Arrays.copyOf(vm[1], n)).isEqualTo(java.util.Arrays.copyOf(vm[0], n));
        assertThat(java.util.Arrays.copyOf(am[1], n)).isEqualTo(java.util.Arrays.copyOf(am[0], n));
        // The definition itself: the ops it fuses, one after another.
        float[] cur = new float[n + r + pad];
        System.arraycopy(bias, 0, cur, 0, n);
        int[] in = sortedSubset(rnd, fanIn, 0.5);
        REF.addRows(wa, n + r, in, 0, in.length, cur, 0);
        float[] proj = new float[n + pad];
        REF.expand(java.util.Arrays.copyOfRange(cur, n, n + r), bt, r, n, proj, 0);
        float[] v2 = v[0].clone();
        float[] acc2 = acc[0].clone();
        REF.integrate(cur, 0, proj, 0, ss, e, sb, v2, n, 0.9f, acc2, 0);
        fast.readoutStep(wa, bias, n, r, in, in.length, bt, ss, e, sb, v[1], 0.9f, acc[1],
                new float[n + r + pad], new float[n + r + pad], new float[r + pad]);
        assertThat(java.util.Arrays.copyOf(v[1], n)).isEqualTo(java.util.Arrays.copyOf(v2, n));
        assertThat(java.util.Arrays.copyOf(acc[1], n)).isEqualTo(java.util.Arrays.copyOf(acc2, n));
    }

    @Property(tries = 80)
    void perNeuronStepsMatch(@ForAll @IntRange(min = 1, max = 300) int n, @ForAll boolean biasNoise,
                             @ForAll boolean perturbed, @ForAll long seed) {
        assumeThat(fast).isNotNull();
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] base = gaussian(rnd, n + 5, 0.8);
        float[] p = perturbed ? gaussian(rnd, n + 1, 2) : null;
        float[] e = biasNoise ? gaussian(rnd, n, 1) : null;
        float ss = (float) rnd.nextGaussian() * 0.1f;
        float sb = 0.02f;
        float[] decay = new float[n];
        float[] threshold = new float[n];
        for (int j = 0; j < n; j++) {
            decay[j] = rnd.nextFloat();
            threshold[j] = j == 0 ? -100f : 0.2f + rnd.nextFloat(); // neuron 0 always spikes
        }
        float[] v0 = gaussian(rnd, n, 0.7);
        float[] v1 = v0.clone();
        int[] s0 = new int[n + 64];
        int[] s1 = new int[n + 64];
        int c0 = REF.lifStepNeurons(base, 5, p, 1, ss, e, sb, v0, n, decay, threshold, s0);
        int c1 = fast.lifStepNeurons(base, 5, p, 1, ss, e, sb, v1, n, decay, threshold, s1);
        assertThat(c0).as("the case spikes").isPositive();
        assertThat(c1).isEqualTo(c0);
        assertThat(java.util.Arrays.copyOf(s1, c1)).isEqualTo(java.util.Arrays.copyOf(s0, c0));
        assertThat(v1).isEqualTo(v0);
        float[] k0 = gaussian(rnd, n + 2, 1);
        float[] k1 = k0.clone();
        REF.lifStepCountNeurons(base, 0, p, 0, ss, e, sb, v0, n, decay, threshold, k0, 2);
        fast.lifStepCountNeurons(base, 0, p, 0, ss, e, sb, v1, n, decay, threshold, k1, 2);
        assertThat(v1).isEqualTo(v0);
        assertThat(k1).isEqualTo(k0);
        REF.integrateNeurons(base, 0, p, 0, ss, e, sb, v0, n, decay, k0, 1);
        fast.integrateNeurons(base, 0, p, 0, ss, e, sb, v1, n, decay, k1, 1);
        assertThat(v1).isEqualTo(v0);
        assertThat(k1).isEqualTo(k0);
    }

    @Property(tries = 80)
    void perNeuronStepsWithSharedValuesAreTheSharedSteps(@ForAll @IntRange(min = 1, max = 100) int n,
                                                         @ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] base = gaussian(rnd, n, 0.8);
        float[] p = gaussian(rnd, n, 2);
        float[] decay = new float[n];
        float[] threshold = new float[n];
        java.util.Arrays.fill(decay, 0.85f);
        java.util.Arrays.fill(threshold, 0.7f);
        float[] v0 = gaussian(rnd, n, 0.7);
        float[] v1 = v0.clone();
        int[] s0 = new int[n + 64];
        int[] s1 = new int[n + 64];
        int c0 = REF.lifStep(base, 0, p, 0, 0.1f, null, 0f, v0, n, 0.85f, 0.7f, s0);
        int c1 = REF.lifStepNeurons(base, 0, p, 0, 0.1f, null, 0f, v1, n, decay, threshold, s1);
        assertThat(c1).isEqualTo(c0);
        assertThat(java.util.Arrays.copyOf(s1, c1)).isEqualTo(java.util.Arrays.copyOf(s0, c0));
        assertThat(v1).isEqualTo(v0);
    }

    @Property(tries = 40)
    void gemmAccumulateMatches(@ForAll @IntRange(min = 1, max = 23) int m, @ForAll @IntRange(min = 1, max = 200) int n,
                               @ForAll @IntRange(min = 1, max = 40) int q, @ForAll long seed) {
        assumeThat(fast).isNotNull();
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] a = gaussian(rnd, m * q, 1);
        for (int i = 0; i < a.length; i += 7) {
            a[i] = 0f; // zero terms leave the sum unchanged on both paths
        }
        float[] b = gaussian(rnd, q * n, 1);
        float[] c0 = gaussian(rnd, m * n, 1);
        float[] c1 = c0.clone();
        int colFrom = Math.min(n - 1, (int) (seed & 3));
        REF.gemmAccumulate(a, b, c0, q, n, 0, m, colFrom, n);
        fast.gemmAccumulate(a, b, c1, q, n, 0, m, colFrom, n);
        assertThat(c1).isEqualTo(c0);
    }

    @Property(tries = 40)
    void axpyAndScaleMatch(@ForAll @IntRange(min = 0, max = 300) int n, @ForAll long seed) {
        assumeThat(fast).isNotNull();
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = gaussian(rnd, n + 1, 1);
        float[] y0 = gaussian(rnd, n + 2, 1);
        float[] y1 = y0.clone();
        REF.axpy(0.37f, x, 1, y0, 2, n);
        fast.axpy(0.37f, x, 1, y1, 2, n);
        assertThat(y1).isEqualTo(y0);
        REF.scale(y0, -1.7f, 1, n + 2);
        fast.scale(y1, -1.7f, 1, n + 2);
        assertThat(y1).isEqualTo(y0);
    }

    @Test
    void switchTurnsTheFastPathOff() {
        String old = System.getProperty(VectorizationProvider.PROPERTY);
        try {
            System.setProperty(VectorizationProvider.PROPERTY, "off");
            assertThat(VectorizationProvider.ops().name()).isEqualTo("scalar");
            assertThat(VectorizationProvider.choice().reason()).contains("off");
            System.setProperty(VectorizationProvider.PROPERTY, "auto");
            assertThat(VectorizationProvider.ops().name()).isEqualTo(fast == null ? "scalar" : "panama");
            System.setProperty(VectorizationProvider.PROPERTY, "fastest");
            org.assertj.core.api.Assertions.assertThatThrownBy(VectorizationProvider::ops)
                    .hasMessageContaining("eggroll.simd").hasMessageContaining("fastest");
        } finally {
            if (old == null) {
                System.clearProperty(VectorizationProvider.PROPERTY);
            } else {
                System.setProperty(VectorizationProvider.PROPERTY, old);
            }
        }
    }
}
