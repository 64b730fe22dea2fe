package io.eggroll.es;

import io.eggroll.rng.NoiseKind;
import io.eggroll.snn.SnnConfig;

/**
 * Evolution-strategy settings, also the {@code es} object of a training config.
 *
 * @param mode        EGGROLL (low rank) or the full-rank baseline
 * @param population  N, even: antithetic pairs {@code (2k, 2k+1)} share factors with signs +1/-1
 * @param rank        r of the low-rank factors (ignored by full-rank ES)
 * @param sigma       perturbation scale; the low-rank term is scaled by {@code sigma / sqrt(r)}
 * @param noise       Gaussian (default) or Rademacher entries
 * @param shaping     centered ranks (default) or z-score
 * @param fitness     negative cross-entropy (default) or accuracy
 * @param temperature softmax temperature applied to the readout scores
 * @param biasNoise   whether biases are perturbed (full-rank noise) and trained
 */
public record EsConfig(EsMode mode, int population, int rank, float sigma, NoiseKind noise, Shaping shaping,
                       FitnessKind fitness, float temperature, boolean biasNoise) {

    public static EsConfig eggroll(int population, int rank, float sigma) {
        return new EsConfig(EsMode.EGGROLL, population, rank, sigma, NoiseKind.GAUSSIAN, Shaping.CENTERED_RANKS,
                FitnessKind.NEG_CROSS_ENTROPY, 1.0f, true);
    }

    public static EsConfig fullRank(int population, float sigma) {
        return new EsConfig(EsMode.FULL_RANK, population, 1, sigma, NoiseKind.GAUSSIAN, Shaping.CENTERED_RANKS,
                FitnessKind.NEG_CROSS_ENTROPY, 1.0f, true);
    }

    public EsConfig {
        if (population < 2 || population % 2 != 0) {
            throw new IllegalArgumentException("es.population must be even and >= 2 (antithetic pairs), got " + population);
        }
        requireGiven("es.mode", mode);
        requireGiven("es.noise", noise);
        requireGiven("es.shaping", shaping);
        requireGiven("es.fitness", fitness);
        if (!(sigma > 0) || !Float.isFinite(sigma)) {
            throw new IllegalArgumentException("es.sigma must be a finite number > 0, got " + sigma);
        }
        if (rank < 1) {
            throw new IllegalArgumentException("es.rank must be >= 1, got " + rank);
        }
        if (!(temperature > 0) || !Float.isFinite(temperature)) {
            throw new IllegalArgumentException("es.temperature must be a finite number > 0, got " + temperature);
        }
    }

    private static void requireGiven(String field, Enum<?> value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must be given, got null");
        }
    }

    /**
     * Largest factor a member holds for one layer, in values: backends keep A ({@code m x r}) and
     * B ({@code n x r}) in Java arrays, with a little padding for the vector loops.
     */
    public static final int MAX_FACTOR_VALUES = Integer.MAX_VALUE - 1024;

    /**
     * Checks the rank against every layer. Any r >= 1 is a valid perturbation, r > min(m, n)
     * included: A is m x r, B is n x r, and the sum of r rank-1 terms {@code A B^T / sqrt r} has
     * a different distribution from a lower rank's (it tends to a dense Gaussian as r grows). What
     * bounds r is memory: each factor must fit one array.
     */
    public void validateFor(SnnConfig net) {
        if (mode != EsMode.EGGROLL) {
            return;
        }
        for (int l = 0; l < net.layers(); l++) {
            long values = (long) rank * Math.max(net.fanIn(l), net.fanOut(l));
            if (values > MAX_FACTOR_VALUES) {
                throw new IllegalArgumentException("es.rank = " + rank + " makes a factor of layer " + l + " ("
                        + net.fanIn(l) + " x " + net.fanOut(l) + ") hold " + values + " values, more than the "
                        + MAX_FACTOR_VALUES + " an array holds");
            }
        }
    }

    public int pairs() {
        return population / 2;
    }

    /** The low-rank scale {@code sigma / sqrt(r)} as the float every backend uses. */
    public float sigmaLowRank() {
        return (float) (sigma / Math.sqrt(rank));
    }

    /** Perturbation values a member holds in flight for a layer: r(m + n), or m n for full rank. */
    public long perturbationValues(int m, int n) {
        return mode == EsMode.EGGROLL ? (long) rank * (m + n) : (long) m * n;
    }

    public EsConfig withMode(EsMode m) {
        return new EsConfig(m, population, rank, sigma, noise, shaping, fitness, temperature, biasNoise);
    }

    public EsConfig withRank(int r) {
        return new EsConfig(mode, population, r, sigma, noise, shaping, fitness, temperature, biasNoise);
    }

    public EsConfig withPopulation(int n) {
        return new EsConfig(mode, n, rank, sigma, noise, shaping, fitness, temperature, biasNoise);
    }

    public EsConfig withSigma(float s) {
        return new EsConfig(mode, population, rank, s, noise, shaping, fitness, temperature, biasNoise);
    }

    public EsConfig withShaping(Shaping s) {
        return new EsConfig(mode, population, rank, sigma, noise, s, fitness, temperature, biasNoise);
    }

    public EsConfig withFitness(FitnessKind f) {
        return new EsConfig(mode, population, rank, sigma, noise, shaping, f, temperature, biasNoise);
    }

    public EsConfig withNoise(NoiseKind k) {
        return new EsConfig(mode, population, rank, sigma, k, shaping, fitness, temperature, biasNoise);
    }
}
