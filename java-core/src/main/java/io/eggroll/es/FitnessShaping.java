package io.eggroll.es;

import java.util.Arrays;

/**
 * Maps raw fitness to update weights. Members whose fitness is not finite are excluded: they get
 * weight 0, take no rank, and do not count in the population size the update divides by. Because
 * an antithetic pair is one estimator, excluding a member excludes its partner too.
 */
public final class FitnessShaping {

    private FitnessShaping() {}

    /** The shaped weights and how many members took part. */
    public record Shaped(float[] weights, int effectivePopulation, int[] excluded) {}

    public static Shaped shape(Shaping kind, float[] fitness) {
        boolean[] valid = validPairs(fitness);
        float[] w = kind == Shaping.CENTERED_RANKS ? centeredRanks(fitness, valid) : zScore(fitness, valid);
        int n = 0;
        int[] excluded = new int[fitness.length];
        int e = 0;
        for (int i = 0; i < fitness.length; i++) {
            if (valid[i]) {
                n++;
            } else {
                excluded[e++] = i;
            }
        }
        return new Shaped(w, n, Arrays.copyOf(excluded, e));
    }

    /** valid[i] is false when member i or its antithetic partner has a NaN or infinite fitness. */
    public static boolean[] validPairs(float[] fitness) {
        boolean[] v = new boolean[fitness.length];
        for (int i = 0; i + 1 < fitness.length; i += 2) {
            boolean ok = Float.isFinite(fitness[i]) && Float.isFinite(fitness[i + 1]);
            v[i] = ok;
            v[i + 1] = ok;
        }
        return v;
    }

    /**
     * Centered ranks: the valid members sorted by fitness get ranks 0..n-1 (ties broken by member
     * index, so the result is deterministic), mapped to {@code rank / (n - 1) - 0.5}.
     */
    public static float[] centeredRanks(float[] fitness, boolean[] valid) {
        int n = 0;
        for (boolean b : valid) {
            n += b ? 1 : 0;
        }
        float[] out = new float[fitness.length];
        if (n < 2) {
            return out;
        }
        Integer[] order = new Integer[n];
        int k = 0;
        for (int i = 0; i < fitness.length; i++) {
            if (valid[i]) {
                order[k++] = i;
            }
        }
        Arrays.sort(order, (a, b) -> {
            int c = Float.compare(fitness[a], fitness[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        for (int r = 0; r < n; r++) {
            out[order[r]] = (float) ((double) r / (n - 1) - 0.5);
        }
        return out;
    }

    /** (f - mean) / std over the valid members; all zero when the spread is zero. */
    public static float[] zScore(float[] fitness, boolean[] valid) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < fitness.length; i++) {
            if (valid[i]) {
                sum += fitness[i];
                n++;
            }
        }
        float[] out = new float[fitness.length];
        if (n < 2) {
            return out;
        }
        double mean = sum / n;
        double ss = 0;
        for (int i = 0; i < fitness.length; i++) {
            if (valid[i]) {
                ss += (fitness[i] - mean) * (fitness[i] - mean);
            }
        }
        double std = Math.sqrt(ss / n);
        if (std == 0) {
            return out;
        }
        for (int i = 0; i < fitness.length; i++) {
            if (valid[i]) {
                out[i] = (float) ((fitness[i] - mean) / std);
            }
        }
        return out;
    }
}
