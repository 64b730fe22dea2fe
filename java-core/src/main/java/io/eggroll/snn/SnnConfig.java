package io.eggroll.snn;

import java.util.Arrays;

/**
 * Shape and neuron parameters of a feed-forward LIF network.
 *
 * @param sizes     layer widths, input first: {@code sizes[0]} inputs, {@code sizes[L]} classes
 * @param threshold spike threshold theta (spike when {@code v >= theta})
 * @param decay     membrane decay beta per step ({@code v = beta * v + I})
 * @param readout   spike counts (default) or leaky membrane of the last layer
 */
public record SnnConfig(int[] sizes, float threshold, float decay, Readout readout) {

    public static final float DEFAULT_THRESHOLD = 1.0f;
    public static final float DEFAULT_DECAY = 0.9f;

    public SnnConfig {
        sizes = sizes.clone();
        if (sizes.length < 2) {
            throw new IllegalArgumentException("network.sizes must list at least an input and an output size, got "
                    + Arrays.toString(sizes));
        }
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] < 1) {
                throw new IllegalArgumentException("network.sizes[" + i + "] must be >= 1, got " + sizes[i]);
            }
        }
        if (!(threshold > 0) || !Float.isFinite(threshold)) {
            throw new IllegalArgumentException("network.threshold must be a finite number > 0, got " + threshold);
        }
        if (!(decay >= 0 && decay <= 1)) {
            throw new IllegalArgumentException("network.decay must lie in [0, 1], got " + decay);
        }
    }

    public static SnnConfig of(int... sizes) {
        return new SnnConfig(sizes, DEFAULT_THRESHOLD, DEFAULT_DECAY, Readout.SPIKE_COUNT);
    }

    @Override
    public int[] sizes() {
        return sizes.clone();
    }

    /** Number of weight layers L. */
    public int layers() {
        return sizes.length - 1;
    }

    /** Fan-in m of weight layer {@code l} (0-based). */
    public int fanIn(int l) {
        return sizes[l];
    }

    /** Fan-out n of weight layer {@code l} (0-based). */
    public int fanOut(int l) {
        return sizes[l + 1];
    }

    public int inputs() {
        return sizes[0];
    }

    public int outputs() {
        return sizes[sizes.length - 1];
    }

    /** Largest layer width, input included. */
    public int maxWidth() {
        return Arrays.stream(sizes).max().orElseThrow();
    }

    /** Total number of trainable values (weights and biases). */
    public long parameterCount() {
        long n = 0;
        for (int l = 0; l < layers(); l++) {
            n += (long) fanIn(l) * fanOut(l) + fanOut(l);
        }
        return n;
    }

    public SnnConfig withReadout(Readout r) {
        return new SnnConfig(sizes, threshold, decay, r);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SnnConfig c && Arrays.equals(sizes, c.sizes) && threshold == c.threshold
                && decay == c.decay && readout == c.readout;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sizes) * 31 + Float.hashCode(threshold) * 7 + Float.hashCode(decay) + readout.hashCode();
    }

    @Override
    public String toString() {
        return "SnnConfig" + Arrays.toString(sizes) + "(theta=" + threshold + ", beta=" + decay + ", " + readout + ")";
    }
}
