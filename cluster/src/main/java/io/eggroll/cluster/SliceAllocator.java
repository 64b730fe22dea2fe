package io.eggroll.cluster;

/**
 * Splits a range of antithetic pairs across workers in proportion to their measured throughput
 * (pairs per second). Every worker gets at least one pair while there are enough to go round, so
 * each keeps a fresh measurement; the rest go by largest remainder, ties to the lower index.
 */
final class SliceAllocator {

    private SliceAllocator() {}

    /** Pair counts per worker; they sum to {@code pairs}. Non-finite or non-positive speeds count as the mean. */
    static int[] split(int pairs, double[] speed) {
        int k = speed.length;
        if (k == 0) {
            throw new IllegalArgumentException("no workers to split " + pairs + " pairs across");
        }
        if (pairs < 0) {
            throw new IllegalArgumentException("pairs must be >= 0, got " + pairs);
        }
        double[] w = normalised(speed);
        int[] out = new int[k];
        if (pairs < k) {
            // Too few to go round: the fastest workers take one each.
            for (int n = 0; n < pairs; n++) {
                int best = -1;
                for (int i = 0; i < k; i++) {
                    if (out[i] == 0 && (best < 0 || w[i] > w[best])) {
                        best = i;
                    }
                }
                out[best] = 1;
            }
            return out;
        }
        int rest = pairs - k;
        double total = 0;
        for (double x : w) {
            total += x;
        }
        double[] remainder = new double[k];
        int given = 0;
        for (int i = 0; i < k; i++) {
            double share = rest * w[i] / total;
            int whole = (int) Math.floor(share);
            out[i] = 1 + whole;
            remainder[i] = share - whole;
            given += whole;
        }
        for (int left = rest - given; left > 0; left--) {
            int best = 0;
            for (int i = 1; i < k; i++) {
                if (remainder[i] > remainder[best]) {
                    best = i;
                }
            }
            out[best]++;
            remainder[best] = -1;
        }
        return out;
    }

    private static double[] normalised(double[] speed) {
        double sum = 0;
        int known = 0;
        for (double s : speed) {
            if (Double.isFinite(s) && s > 0) {
                sum += s;
                known++;
            }
        }
        double fallback = known == 0 ? 1 : sum / known;
        double[] w = new double[speed.length];
        for (int i = 0; i < speed.length; i++) {
            w[i] = Double.isFinite(speed[i]) && speed[i] > 0 ? speed[i] : fallback;
        }
        return w;
    }
}
