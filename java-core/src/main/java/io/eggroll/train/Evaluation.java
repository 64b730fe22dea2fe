package io.eggroll.train;

import io.eggroll.backend.Backend;
import io.eggroll.data.SpikeDataset;
import io.eggroll.es.Fitness;
import io.eggroll.snn.SpikeBatch;

/**
 * Accuracy and confusion matrix of a backend's resident (unperturbed) network on a prefix of a
 * dataset: the held-out evaluation of training, {@code eggroll eval} and the reports.
 *
 * @param confusion {@code confusion[label][prediction]}
 */
public record Evaluation(double accuracy, int samples, long[][] confusion) {

    /** Accuracy on the samples of class {@code c}; NaN when there are none. */
    public double classAccuracy(int c) {
        long total = 0;
        for (long x : confusion[c]) {
            total += x;
        }
        return total == 0 ? Double.NaN : (double) confusion[c][c] / total;
    }

    /**
     * Runs the unperturbed network on {@code limit} samples (0 = all) in chunks of {@code chunk}. A
     * limited evaluation takes every (size / limit)-th sample, so it covers all classes even when the
     * dataset is ordered by class.
     */
    public static Evaluation of(Backend backend, SpikeDataset data, int limit, int chunk) {
        int n = limit == 0 ? data.size() : Math.min(limit, data.size());
        int size = data.size();
        int classes = data.classes();
        long[][] confusion = new long[classes][classes];
        int correct = 0;
        for (int from = 0; from < n; from += chunk) {
            int to = Math.min(n, from + chunk);
            int[] ids = new int[to - from];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = (int) ((long) (from + i) * size / n);
            }
            SpikeBatch b = SpikeBatch.gather(data, ids);
            float[] scores = backend.infer(b);
            int c = scores.length / b.samples();
            for (int s = 0; s < b.samples(); s++) {
                int pred = Fitness.argmax(scores, s * c, c);
                int label = b.labels()[s];
                if (pred == label) {
                    correct++;
                }
                if (pred >= 0 && pred < classes) {
                    confusion[label][pred]++;
                }
            }
        }
        return new Evaluation(n == 0 ? 0 : (double) correct / n, n, confusion);
    }
}
