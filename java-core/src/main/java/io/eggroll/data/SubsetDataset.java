package io.eggroll.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A view of some samples of another dataset, in a fixed order: sample {@code i} of the view is
 * sample {@code indices[i]} of the source. It copies no spikes. {@link #stratifiedSplit} builds
 * the validation split the trainer checks progress on, carved off the training data so that the
 * test set is touched only for the final score.
 */
public final class SubsetDataset implements SpikeDataset {

    private final SpikeDataset source;
    private final int[] indices;
    private final String name;
    private final String fingerprint;

    private SubsetDataset(SpikeDataset source, int[] indices, String name) {
        this.source = source;
        this.indices = indices;
        this.name = name;
        this.fingerprint = digest(source.fingerprint(), name, indices);
    }

    /** The two halves of a {@link #stratifiedSplit}: what is left to train on, and the validation samples. */
    public record Parts(SpikeDataset train, SpikeDataset validation) {}

    /**
     * Splits {@code data} into a training part and {@code count} validation samples, chosen per
     * class in proportion to the class's share of {@code data} (largest remainder, so the counts
     * add up to exactly {@code count}) and at random within a class from {@code seed}. The same
     * data, count and seed give the same split on every machine; both parts keep the source order.
     *
     * @throws IllegalArgumentException when {@code count} is not in {@code [1, size)}; the message
     *     names {@code field}
     */
    public static Parts stratifiedSplit(SpikeDataset data, int count, long seed, String field) {
        int n = data.size();
        if (count < 1 || count >= n) {
            throw new IllegalArgumentException(field + " = " + count + " validation samples cannot be carved off the "
                    + n + " samples of " + data.name() + ": it must lie in [1, " + (n - 1) + "] (lower " + field
                    + ", or use more training data)");
        }
        int classes = data.classes();
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            int label = data.label(i);
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException(data.name() + ": sample " + i + " has label " + label
                        + " outside [0, " + classes + ")");
            }
            byClass.get(label).add(i);
        }
        int[] take = new int[classes];
        double[] remainder = new double[classes];
        int given = 0;
        for (int c = 0; c < classes; c++) {
            double exact = (double) count * byClass.get(c).size() / n;
            take[c] = (int) Math.floor(exact);
            remainder[c] = exact - take[c];
            given += take[c];
        }
        while (given < count) {
            int best = -1;
            for (int c = 0; c < classes; c++) {
                if (take[c] < byClass.get(c).size() && (best < 0 || remainder[c] > remainder[best])) {
                    best = c;
                }
            }
            take[best]++;
            remainder[best] = -1;
            given++;
        }
        boolean[] validation = new boolean[n];
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int c = 0; c < classes; c++) {
            List<Integer> members = byClass.get(c);
            int[] idx = members.stream().mapToInt(Integer::intValue).toArray();
            for (int k = 0; k < take[c]; k++) {   // partial Fisher-Yates: the first take[c] are drawn
                int j = k + rnd.nextInt(idx.length - k);
                int t = idx[k];
                idx[k] = idx[j];
                idx[j] = t;
                validation[idx[k]] = true;
            }
        }
        int[] trainIdx = new int[n - count];
        int[] valIdx = new int[count];
        for (int i = 0, a = 0, b = 0; i < n; i++) {
            if (validation[i]) {
                valIdx[b++] = i;
            } else {
                trainIdx[a++] = i;
            }
        }
        String base = data.name().endsWith("-train") ? data.name().substring(0, data.name().length() - 6)
                : data.name();
        return new Parts(new SubsetDataset(data, trainIdx, base + "-train"),
                new SubsetDataset(data, valIdx, base + "-validation"));
    }

    /** The source index of sample {@code i} of this view. */
    public int sourceIndex(int i) {
        return indices[i];
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public int inputs() {
        return source.inputs();
    }

    @Override
    public int timesteps() {
        return source.timesteps();
    }

    @Override
    public int classes() {
        return source.classes();
    }

    @Override
    public int label(int i) {
        return source.label(indices[i]);
    }

    @Override
    public int activeInputs(int i, int t, int[] out) {
        return source.activeInputs(indices[i], t, out);
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public String name() {
        return name;
    }

    private static String digest(String sourceFingerprint, String name, int[] indices) {
        return new Fingerprint().add(sourceFingerprint).add(name).add(indices).hex();
    }
}
