package io.eggroll.snn;

import io.eggroll.data.SpikeDataset;

/**
 * A minibatch of binary spike frames in compressed-sparse-row form: the active inputs of sample
 * {@code s} at step {@code t} are {@code indices[offsets[s*T+t] .. offsets[s*T+t+1])}, in
 * increasing order. This is the only per-generation input a backend receives: it is small (one
 * int per spike) and it lets the layer-1 product be a row gather ("a spike row selects rows of W").
 */
public record SpikeBatch(int samples, int timesteps, int inputs, int[] offsets, int[] indices, int[] labels,
                         int[] sampleIds) {

    /** Gathers the given samples of a dataset. */
    public static SpikeBatch gather(SpikeDataset data, int[] sampleIds) {
        int b = sampleIds.length;
        int t = data.timesteps();
        int[] offsets = new int[b * t + 1];
        int[] scratch = new int[data.inputs()];
        int[] labels = new int[b];
        int[] idx = new int[Math.max(16, b * t * 8)];
        int n = 0;
        for (int s = 0; s < b; s++) {
            labels[s] = data.label(sampleIds[s]);
            for (int k = 0; k < t; k++) {
                int c = data.activeInputs(sampleIds[s], k, scratch);
                if (n + c > idx.length) {
                    idx = java.util.Arrays.copyOf(idx, Math.max(idx.length * 2, n + c));
                }
                System.arraycopy(scratch, 0, idx, n, c);
                n += c;
                offsets[s * t + k + 1] = n;
            }
        }
        return new SpikeBatch(b, t, data.inputs(), offsets, java.util.Arrays.copyOf(idx, n), labels,
                sampleIds.clone());
    }

    /** Samples {@code [from, to)} of a dataset, in order. */
    public static SpikeBatch range(SpikeDataset data, int from, int to) {
        int[] ids = new int[to - from];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = from + i;
        }
        return gather(data, ids);
    }

    /**
     * Random test and benchmark input: every input fires in every frame with probability
     * {@code density}; labels uniform in [0, classes).
     */
    public static SpikeBatch bernoulli(java.util.SplittableRandom rnd, int samples, int steps, int inputs, double density,
                                          int classes) {
        int[] offsets = new int[samples * steps + 1];
        int[] idx = new int[Math.max(16, (int) Math.min(Integer.MAX_VALUE - 8, (long) (samples * (long) steps * inputs
                * density * 1.2) + 64))];
        int n = 0;
        int[] labels = new int[samples];
        int[] ids = new int[samples];
        for (int s = 0; s < samples; s++) {
            labels[s] = rnd.nextInt(classes);
            ids[s] = s;
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < inputs; i++) {
                    if (rnd.nextDouble() < density) {
                        if (n == idx.length) {
                            idx = java.util.Arrays.copyOf(idx, idx.length * 2);
                        }
                        idx[n++] = i;
                    }
                }
                offsets[s * steps + t + 1] = n;
            }
        }
        return new SpikeBatch(samples, steps, inputs, offsets, java.util.Arrays.copyOf(idx, n), labels, ids);
    }

    public int start(int sample, int t) {
        return offsets[sample * timesteps + t];
    }

    public int end(int sample, int t) {
        return offsets[sample * timesteps + t + 1];
    }

    /** Total number of input spikes in the batch. */
    public int spikeCount() {
        return indices.length;
    }
}
