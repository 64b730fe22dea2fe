package io.eggroll.es;

/** Per-member fitness from the readouts a backend returns ({@code N x B x C}, member-major). */
public final class Fitness {

    private Fitness() {}

    /** Mean over the batch of the per-sample score, for each of the N members. */
    public static float[] compute(FitnessKind kind, float temperature, float[] readouts, int members, int samples,
                                  int classes, int[] labels) {
        float[] f = new float[members];
        // Members are independent and each writes its own slot: the bits do not depend on threads.
        java.util.stream.IntStream.range(0, members).parallel().forEach(i -> {
            double sum = 0;
            for (int s = 0; s < samples; s++) {
                int off = (i * samples + s) * classes;
                sum += kind == FitnessKind.ACCURACY
                        ? (argmax(readouts, off, classes) == labels[s] ? 1 : 0)
                        : logSoftmax(readouts, off, classes, temperature, labels[s]);
            }
            f[i] = (float) (sum / samples);
        });
        return f;
    }

    /** {@code log softmax(x / T)[target]}, computed stably in double. NaN input gives NaN. */
    public static double logSoftmax(float[] x, int off, int n, float temperature, int target) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, x[off + j] / (double) temperature);
        }
        double z = 0;
        for (int j = 0; j < n; j++) {
            z += Math.exp(x[off + j] / (double) temperature - max);
        }
        return x[off + target] / (double) temperature - max - Math.log(z);
    }

    /** Index of the largest score; the first one on ties; -1 if any score is NaN. */
    public static int argmax(float[] x, int off, int n) {
        int best = 0;
        for (int j = 0; j < n; j++) {
            if (Float.isNaN(x[off + j])) {
                return -1;
            }
            if (x[off + j] > x[off + best]) {
                best = j;
            }
        }
        return best;
    }
}
