package io.eggroll.rng;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class NoiseTest {

    @Test
    void tableIsSymmetricSortedAndUnitVariance() {
        float[] t = NormalTable.copy();
        double ss = 0;
        for (int k = 0; k < t.length; k++) {
            assertThat(t[k]).isEqualTo(-t[t.length - 1 - k]);
            if (k > 0) {
                assertThat(t[k]).isGreaterThan(t[k - 1]);
            }
            ss += (double) t[k] * t[k];
        }
        assertThat(ss / t.length).isCloseTo(1.0, within(1e-6));
        assertThat(t[0]).isCloseTo(-3.6689f, within(1e-3f));
    }

    @Test
    void gaussianMomentsAreTight() {
        int n = 1 << 21;
        float[] x = new float[n];
        Noise.fill(12345L, 7, 3, Noise.stream(1, Noise.KIND_A), NoiseKind.GAUSSIAN, 0, n, x, 0);
        double sum = 0;
        double ss = 0;
        double s4 = 0;
        for (float v : x) {
            sum += v;
            ss += v * v;
            s4 += (double) v * v * v * v;
        }
        double mean = sum / n;
        double var = ss / n - mean * mean;
        // Standard errors: mean 1/sqrt(n) = 0.0007, variance sqrt(2/n) = 0.001.
        assertThat(mean).isCloseTo(0.0, within(0.004));
        assertThat(var).isCloseTo(1.0, within(0.006));
        assertThat(s4 / n).isCloseTo(3.0, within(0.05));
    }

    @Test
    void rademacherIsBalancedPlusMinusOne() {
        int n = 1 << 20;
        float[] x = new float[n];
        Noise.fill(99L, 1, 2, Noise.stream(0, Noise.KIND_B), NoiseKind.RADEMACHER, 0, n, x, 0);
        double sum = 0;
        for (float v : x) {
            assertThat(v == 1f || v == -1f).isTrue();
            sum += v;
        }
        assertThat(sum / n).isCloseTo(0.0, within(0.006));
    }

    @Property(tries = 200)
    void randomAccessEqualsSequential(@ForAll long seed, @ForAll @IntRange(max = 1000) int pair,
                                      @ForAll @IntRange(max = 100000) int gen, @ForAll @IntRange(max = 40) int stream,
                                      @ForAll @IntRange(max = 5000) int first, @ForAll @IntRange(min = 1, max = 300) int count,
                                      @ForAll boolean gaussian) {
        NoiseKind kind = gaussian ? NoiseKind.GAUSSIAN : NoiseKind.RADEMACHER;
        float[] seq = new float[count];
        Noise.fill(seed, pair, gen, stream, kind, first, count, seq, 0);
        for (int i = 0; i < count; i++) {
            assertThat(Noise.at(seed, pair, gen, stream, kind, first + i)).isEqualTo(seq[i]);
        }
    }

    @Test
    void streamsDifferByEveryKeyComponent() {
        // Each key component (both halves of the seed, pair, generation, layer, kind) must reach
        // every value: changing any one of them changes the stream. 64 values per stream, so a
        // chance collision (a 12-bit table index, 1 in 4096 per Gaussian value) cannot hide an
        // ignored component, and an ignored one would leave every value equal.
        long seed = 0x1234_5678_9abc_def0L;
        for (NoiseKind kind : NoiseKind.values()) {
            float[] base = values(seed, 3, 5, Noise.stream(1, Noise.KIND_A), kind);
            float[][] changed = {
                values(seed ^ 1, 3, 5, Noise.stream(1, Noise.KIND_A), kind),
                values(seed ^ (1L << 32), 3, 5, Noise.stream(1, Noise.KIND_A), kind),
                values(seed, 4, 5, Noise.stream(1, Noise.KIND_A), kind),
                values(seed, 3, 6, Noise.stream(1, Noise.KIND_A), kind),
                values(seed, 3, 5, Noise.stream(2, Noise.KIND_A), kind),
                values(seed, 3, 5, Noise.stream(1, Noise.KIND_B), kind),
            };
            for (int c = 0; c < changed.length; c++) {
                int differ = 0;
                for (int e = 0; e < base.length; e++) {
                    differ += Float.floatToRawIntBits(changed[c][e]) != Float.floatToRawIntBits(base[e]) ? 1 : 0;
                }
                // Rademacher values are +-1: an independent stream differs in about half of them.
                int least = kind == NoiseKind.GAUSSIAN ? base.length - 2 : base.length / 4;
                assertThat(differ).as("%s, key component %d changed", kind, c).isGreaterThanOrEqualTo(least);
            }
        }
    }

    private static float[] values(long seed, int pair, int generation, int stream, NoiseKind kind) {
        float[] v = new float[64];
        for (int e = 0; e < v.length; e++) {
            v[e] = Noise.at(seed, pair, generation, stream, kind, e);
        }
        return v;
    }

    @Test
    void matchesTheCHeaderDefinition() {
        // Values printed by a C program including eggroll_rng.h (gcc -O2, x86-64):
        // egg_noise(42, 1, 2, EGG_STREAM(1, 0), gaussian, 5) and the Rademacher element 77.
        assertThat(Noise.at(42, 1, 2, Noise.stream(1, Noise.KIND_A), NoiseKind.GAUSSIAN, 5))
                .isEqualTo(Float.parseFloat("-0x1.e40decp-2"));
        assertThat(Noise.at(0x123456789abcdefL, 1, 2, Noise.stream(1, Noise.KIND_B), NoiseKind.RADEMACHER, 77))
                .isEqualTo(-1f);
    }
}
