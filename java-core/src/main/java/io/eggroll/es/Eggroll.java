package io.eggroll.es;

import io.eggroll.rng.Noise;
import io.eggroll.rng.NoiseKind;

/**
 * The EGGROLL method in the terms of docs/DESIGN.md section 1. The perturbed layer
 * {@code W + (sigma/sqrt r) A B^T} is never formed; a member's input current is
 * {@code x W + (sigma/sqrt r) (x A) B^T}, with {@code x W} shared by every member that sees the
 * same input. Factors are regenerated from the counter-based RNG wherever they are needed.
 *
 * <p>Float operation order (the reference every backend is compared with):
 * {@code u_q = sum_a A[a,q]} over the active inputs a in increasing order;
 * {@code p_j = sum_q u_q B[j,q]} for q increasing; {@code I_j = base_j + (s sigma_r) p_j}, then
 * {@code I_j += (s sigma) e_j} for the bias noise.
 */
public final class Eggroll {

    private Eggroll() {}

    /** Factor A of a pair for layer l: {@code m x r} row-major, into {@code out}. */
    public static void factorA(long seed, int pair, int generation, int layer, NoiseKind noise, int m, int r,
                               float[] out) {
        Noise.fill(seed, pair, generation, Noise.stream(layer, Noise.KIND_A), noise, 0, m * r, out, 0);
    }

    /** Factor B of a pair for layer l: {@code n x r} row-major, into {@code out}. */
    public static void factorB(long seed, int pair, int generation, int layer, NoiseKind noise, int n, int r,
                               float[] out) {
        Noise.fill(seed, pair, generation, Noise.stream(layer, Noise.KIND_B), noise, 0, n * r, out, 0);
    }

    /** Full-rank bias noise of a pair for layer l: n values. */
    public static void biasNoise(long seed, int pair, int generation, int layer, NoiseKind noise, int n,
                                 float[] out) {
        vectorNoise(seed, pair, generation, layer, Noise.KIND_BIAS, noise, n, out);
    }

    /**
     * Full-rank noise of a pair for one of layer l's per-neuron vectors: n values of the stream
     * {@code kind} ({@link Noise#KIND_BIAS}, {@link Noise#KIND_THRESHOLD}, {@link Noise#KIND_DECAY}).
     */
    public static void vectorNoise(long seed, int pair, int generation, int layer, int kind, NoiseKind noise, int n,
                                   float[] out) {
        Noise.fill(seed, pair, generation, Noise.stream(layer, kind), noise, 0, n, out, 0);
    }

    /** The full-rank baseline's dense perturbation E of a pair for layer l: {@code m x n}. */
    public static void fullNoise(long seed, int pair, int generation, int layer, NoiseKind noise, int m, int n,
                                 float[] out) {
        Noise.fill(seed, pair, generation, Noise.stream(layer, Noise.KIND_FULL), noise, 0, (long) m * n > Integer.MAX_VALUE
                ? failTooLarge(m, n) : m * n, out, 0);
    }

    private static int failTooLarge(int m, int n) {
        throw new IllegalArgumentException("full-rank perturbation " + m + " x " + n + " exceeds 2^31 values");
    }

    /** {@code u = x A}: sums the rows of A (m x r) selected by the active inputs. */
    public static void project(float[] a, int r, int[] active, int from, int to, float[] u) {
        if (r == 1) {
            float s = 0f;
            for (int k = from; k < to; k++) {
                s += a[active[k]];
            }
            u[0] = s;
            return;
        }
        for (int q = 0; q < r; q++) {
            u[q] = 0f;
        }
        for (int k = from; k < to; k++) {
            int row = active[k] * r;
            for (int q = 0; q < r; q++) {
                u[q] += a[row + q];
            }
        }
    }

    /** {@code p = u B^T}: p_j = sum_q u_q B[j, q], for the n rows of B (n x r). */
    public static void expand(float[] u, float[] b, int r, int n, float[] p, int pOff) {
        if (r == 1) {
            float u0 = u[0];
            for (int j = 0; j < n; j++) {
                p[pOff + j] = u0 * b[j];
            }
            return;
        }
        for (int j = 0; j < n; j++) {
            int row = j * r;
            float acc = 0f;
            for (int q = 0; q < r; q++) {
                acc += u[q] * b[row + q];
            }
            p[pOff + j] = acc;
        }
    }

    /**
     * Scale of the gradient estimate {@code g = scale * A_cat diag(d) B_cat^T}:
     * {@code 1 / (N sigma sqrt r)} for EGGROLL, {@code 1 / (N sigma)} for full rank and biases.
     */
    public static float gradientScale(EsConfig es, int effectivePopulation, boolean lowRank) {
        double s = (double) effectivePopulation * es.sigma();
        if (lowRank) {
            s *= Math.sqrt(es.rank());
        }
        return effectivePopulation == 0 ? 0f : (float) (1.0 / s);
    }

    /** Antithetic pair weights {@code d_k = f_2k - f_2k+1}: the pair's net coefficient. */
    public static float[] pairWeights(float[] shaped) {
        float[] d = new float[shaped.length / 2];
        for (int k = 0; k < d.length; k++) {
            d[k] = shaped[2 * k] - shaped[2 * k + 1];
        }
        return d;
    }
}
