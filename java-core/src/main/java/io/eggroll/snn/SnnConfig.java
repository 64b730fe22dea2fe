package io.eggroll.snn;

import java.util.Arrays;

/**
 * Shape and neuron parameters of a feed-forward LIF network.
 *
 * @param sizes     layer widths, input first: {@code sizes[0]} inputs, {@code sizes[L]} classes
 * @param threshold spike threshold theta (spike when {@code v >= theta})
 * @param decay     membrane decay beta per step ({@code v = beta * v + I})
 * @param readout   spike counts (default) or leaky membrane of the last layer
 * @param evolveThreshold each neuron has its own threshold, trained by ES ({@code threshold} is
 *                  then its initial value); see {@link Neurons}
 * @param evolveDecay each neuron has its own decay, trained by ES ({@code decay} is its initial value)
 */
public record SnnConfig(int[] sizes, float threshold, float decay, Readout readout, boolean evolveThreshold,
                        boolean evolveDecay) {

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

    /** A network whose neurons share the fixed {@code threshold} and {@code decay}. */
    public SnnConfig(int[] sizes, float threshold, float decay, Readout readout) {
        this(sizes, threshold, decay, readout, false, false);
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

    /** Total number of trainable values (weights and biases, and evolved neuron parameters). */
    public long parameterCount() {
        long n = 0;
        int perNeuron = 1 + (evolveThreshold ? 1 : 0) + (evolveDecay ? 1 : 0);
        for (int l = 0; l < layers(); l++) {
            n += (long) fanIn(l) * fanOut(l) + (long) perNeuron * fanOut(l);
        }
        return n;
    }

    public SnnConfig withReadout(Readout r) {
        return new SnnConfig(sizes, threshold, decay, r, evolveThreshold, evolveDecay);
    }

    /** This network with per-neuron thresholds and decays evolved or not. */
    public SnnConfig withEvolvedNeurons(boolean threshold, boolean decay) {
        return new SnnConfig(sizes, this.threshold, this.decay, readout, threshold, decay);
    }

    /** Whether any neuron parameter is per neuron and trained ({@link Neurons}). */
    public boolean evolvesNeurons() {
        return evolveThreshold || evolveDecay;
    }

    /**
     * Refuses evolved neuron parameters for a backend (or format) that does not implement them; the
     * message names the option that is on.
     */
    public SnnConfig requireSharedNeurons(String who) {
        if (evolvesNeurons()) {
            String option = evolveThreshold ? "network.evolveThreshold" : "network.evolveDecay";
            throw new IllegalArgumentException(option + " is on, but " + who + " does not implement evolved "
                    + "(per-neuron) thresholds and decays; they run on the cpu and loihi-sim backends: turn "
                    + option + " off, or train with --backend cpu");
        }
        return this;
    }

    /**
     * Whether layer l's evolved thresholds act: not in the non-spiking last layer of a membrane
     * readout, whose thresholds are neither perturbed nor updated.
     */
    public boolean thresholdActs(int l) {
        return evolveThreshold && !(readout == Readout.MEMBRANE && l == layers() - 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SnnConfig c && Arrays.equals(sizes, c.sizes) && threshold == c.threshold
                && decay == c.decay && readout == c.readout && evolveThreshold == c.evolveThreshold
                && evolveDecay == c.evolveDecay;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sizes) * 31 + Float.hashCode(threshold) * 7 + Float.hashCode(decay) + readout.hashCode()
                + (evolveThreshold ? 3 : 0) + (evolveDecay ? 5 : 0);
    }

    @Override
    public String toString() {
        return "SnnConfig" + Arrays.toString(sizes) + "(theta=" + threshold + ", beta=" + decay + ", " + readout
                + (evolveThreshold ? ", evolved theta" : "") + (evolveDecay ? ", evolved beta" : "") + ")";
    }
}
