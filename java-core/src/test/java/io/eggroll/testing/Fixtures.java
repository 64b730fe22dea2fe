package io.eggroll.testing;

import io.eggroll.snn.SpikeBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Random networks, inputs and comparisons shared by the tests (and by other modules' tests). */
public final class Fixtures {

    private Fixtures() {}

    public static float[] randomArray(SplittableRandom rnd, int n, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
        }
        return x;
    }

    /** A batch of independent Bernoulli(density) spike frames with labels in [0, classes). */
    public static SpikeBatch randomBatch(SplittableRandom rnd, int samples, int steps, int inputs, double density,
                                         int classes) {
        int[] offsets = new int[samples * steps + 1];
        List<Integer> idx = new ArrayList<>();
        int[] labels = new int[samples];
        int[] ids = new int[samples];
        for (int s = 0; s < samples; s++) {
            labels[s] = rnd.nextInt(classes);
            ids[s] = s;
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < inputs; i++) {
                    if (rnd.nextDouble() < density) {
                        idx.add(i);
                    }
                }
                offsets[s * steps + t + 1] = idx.size();
            }
        }
        return new SpikeBatch(samples, steps, inputs, offsets, idx.stream().mapToInt(Integer::intValue).toArray(),
                labels, ids);
    }

    /** max_i |a_i - b_i| / max_i |b_i| (0 when both are zero). */
    public static double maxRelativeError(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " vs " + b.length);
        }
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < a.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs((double) a[i] - b[i]));
            maxRef = Math.max(maxRef, Math.abs(b[i]));
        }
        return maxRef == 0 ? maxDiff : maxDiff / maxRef;
    }

    public static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }
}
