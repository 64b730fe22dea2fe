package io.eggroll.api;

import io.eggroll.data.SpikeDataset;
import io.eggroll.snn.SpikeBatch;
import java.util.Arrays;

/**
 * Spike inputs from plain arrays. A sample is a list of frames (time steps); a frame lists the
 * input channels that spike in it, in any order (a channel listed twice spikes once). The result
 * is the engine's {@link SpikeBatch}, the input of every forward.
 */
public final class Spikes {

    private Spikes() {}

    /** One sample of {@code frames.length} frames over {@code inputs} channels (label 0). */
    public static SpikeBatch sample(int inputs, int[][] frames) {
        return batch(inputs, new int[][][] {frames});
    }

    /** Samples of equal length over {@code inputs} channels: {@code samples[s][t]} are the channels spiking at step t (labels 0). */
    public static SpikeBatch batch(int inputs, int[][][] samples) {
        return batch(inputs, samples, new int[samples.length]);
    }

    /** As {@link #batch(int, int[][][])}, with a label per sample. */
    public static SpikeBatch batch(int inputs, int[][][] samples, int[] labels) {
        if (inputs < 1) {
            throw new IllegalArgumentException("inputs must be >= 1, got " + inputs);
        }
        if (labels.length != samples.length) {
            throw new IllegalArgumentException(labels.length + " labels for " + samples.length + " samples");
        }
        int steps = samples.length == 0 ? 0 : samples[0].length;
        int[] offsets = new int[samples.length * steps + 1];
        int n = 0;
        for (int[][] sample : samples) {
            for (int[] frame : sample) {
                n += frame.length;
            }
        }
        int[] idx = new int[n];
        n = 0;
        for (int s = 0; s < samples.length; s++) {
            if (samples[s].length != steps) {
                throw new IllegalArgumentException("sample " + s + " has " + samples[s].length + " frames, sample 0 has "
                        + steps + ": a batch's samples have equal length");
            }
            for (int t = 0; t < steps; t++) {
                int[] f = samples[s][t].clone();
                Arrays.sort(f);
                for (int k = 0; k < f.length; k++) {
                    if (f[k] < 0 || f[k] >= inputs) {
                        throw new IllegalArgumentException("sample " + s + ", frame " + t + ": channel " + f[k]
                                + " outside [0, " + inputs + ")");
                    }
                    if (k == 0 || f[k] != f[k - 1]) {
                        idx[n++] = f[k];
                    }
                }
                offsets[s * steps + t + 1] = n;
            }
        }
        int[] ids = new int[samples.length];
        Arrays.setAll(ids, i -> i);
        return new SpikeBatch(samples.length, steps, inputs, offsets, Arrays.copyOf(idx, n), labels.clone(), ids);
    }

    /** The given samples of a dataset, in the order given. */
    public static SpikeBatch of(SpikeDataset data, int... sampleIds) {
        return SpikeBatch.gather(data, sampleIds);
    }
}
