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
 * @param conv      per weight layer its convolution ({@link ConvGeometry}), null for a dense layer; the
 *                  array itself is null (or all null) for a dense network. Convolutions come first and
 *                  the last layer is dense. For a conv layer {@code sizes} counts neurons
 *                  ({@code sizes[l] = conv[l].inputs()}, {@code sizes[l + 1] = conv[l].neurons()}) while
 *                  {@link #fanIn}/{@link #fanOut} give its kernel matrix ({@code patch x outChannels}).
 *                  Evolved neuron parameters are refused on a network with conv layers.
 */
public record SnnConfig(int[] sizes, float threshold, float decay, Readout readout, boolean evolveThreshold,
                        boolean evolveDecay, ConvGeometry[] conv) {

    public static final float DEFAULT_THRESHOLD = 1.0f;
    public static final float DEFAULT_DECAY = 0.9f;

    public SnnConfig {
        sizes = sizes.clone();
        conv = checkConv(sizes, conv);
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
        if (conv != null && (evolveThreshold || evolveDecay)) {
            throw new IllegalArgumentException((evolveThreshold ? "network.evolveThreshold" : "network.evolveDecay")
                    + " is on, but network.layers has conv layers: evolved (per-neuron) thresholds and decays are "
                    + "not implemented for convolutional networks; turn it off, or use a dense network");
        }
    }

    /** A network whose neurons share the fixed {@code threshold} and {@code decay}. */
    public SnnConfig(int[] sizes, float threshold, float decay, Readout readout) {
        this(sizes, threshold, decay, readout, false, false, null);
    }

    /** A dense network, its neuron parameters evolved or not. */
    public SnnConfig(int[] sizes, float threshold, float decay, Readout readout, boolean evolveThreshold,
                     boolean evolveDecay) {
        this(sizes, threshold, decay, readout, evolveThreshold, evolveDecay, null);
    }

    /** A network with conv layers ({@code conv} as in the record) whose neurons share their parameters. */
    public SnnConfig(int[] sizes, float threshold, float decay, Readout readout, ConvGeometry[] conv) {
        this(sizes, threshold, decay, readout, false, false, conv);
    }

    /** Null for a dense network, else a copy checked against {@code sizes}. */
    private static ConvGeometry[] checkConv(int[] sizes, ConvGeometry[] conv) {
        if (conv == null || java.util.Arrays.stream(conv).allMatch(java.util.Objects::isNull)) {
            return null;
        }
        conv = conv.clone();
        int layers = sizes.length - 1;
        if (conv.length != layers) {
            throw new IllegalArgumentException("network.layers: " + conv.length + " conv entries for " + layers
                    + " weight layers");
        }
        if (conv[layers - 1] != null) {
            throw new IllegalArgumentException("network.layers: the output layer must be dense, got " + conv[layers - 1]);
        }
        for (int l = 0; l < layers; l++) {
            ConvGeometry g = conv[l];
            if (g == null) {
                continue;
            }
            if (l > 0 && conv[l - 1] == null) {
                throw new IllegalArgumentException("network.layers[" + l + "]: a conv layer cannot follow a dense one");
            }
            if (g.inputs() != sizes[l] || g.neurons() != sizes[l + 1]) {
                throw new IllegalArgumentException("network.layers[" + l + "]: " + g + " takes " + g.inputs()
                        + " inputs and has " + g.neurons() + " neurons, but the sizes are " + sizes[l] + " -> "
                        + sizes[l + 1]);
            }
            if (l > 0 && (g.inChannels() != conv[l - 1].outChannels() || g.inHeight() != conv[l - 1].outHeight()
                    || g.inWidth() != conv[l - 1].outWidth())) {
                throw new IllegalArgumentException("network.layers[" + l + "]: " + g + " does not take the output of "
                        + conv[l - 1]);
            }
        }
        return conv;
    }

    /**
     * A network of conv layers on an input of shape {@code (channels, height, width)}, then dense
     * layers: {@code convs[i] = {kernel, channels, stride}}, {@code dense} the widths after them,
     * the last being the classes.
     */
    public static SnnConfig convolutional(int[] inputShape, int[][] convs, int[] dense, float threshold, float decay,
                                          Readout readout) {
        if (dense.length < 1) {
            throw new IllegalArgumentException("a network needs a dense output layer");
        }
        int layers = convs.length + dense.length;
        int[] sizes = new int[layers + 1];
        ConvGeometry[] conv = new ConvGeometry[layers];
        sizes[0] = Math.multiplyExact(Math.multiplyExact(inputShape[0], inputShape[1]), inputShape[2]);
        ConvGeometry prev = null;
        for (int l = 0; l < convs.length; l++) {
            int[] c = convs[l];
            ConvGeometry g;
            try {
                g = prev == null ? new ConvGeometry(inputShape[0], inputShape[1], inputShape[2], c[1], c[0], c[2])
                        : prev.next(c[1], c[0], c[2]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("network.layers[" + l + "]: " + e.getMessage(), e);
            }
            conv[l] = g;
            sizes[l + 1] = g.neurons();
            prev = g;
        }
        System.arraycopy(dense, 0, sizes, convs.length + 1, dense.length);
        return new SnnConfig(sizes, threshold, decay, readout, false, false, conv);
    }

    @Override
    public ConvGeometry[] conv() {
        return conv == null ? null : conv.clone();
    }

    /** Layer {@code l}'s convolution, or null for a dense layer. */
    public ConvGeometry conv(int l) {
        return conv == null ? null : conv[l];
    }

    /** Whether any layer is a convolution. */
    public boolean hasConv() {
        return conv != null;
    }

    /**
     * Throws, naming the backend, when the network has a conv layer: for backends that do not
     * implement convolutions yet.
     */
    public void requireDense(String backend) {
        if (conv != null) {
            throw new IllegalArgumentException("the " + backend + " backend does not implement convolutional layers yet ("
                    + java.util.Arrays.stream(conv).filter(java.util.Objects::nonNull).findFirst().orElseThrow()
                    + "); run this network with --backend cpu or loihi-sim");
        }
    }

    /** Neurons of layer {@code l} (its output width): {@code fanOut(l)} for a dense layer. */
    public int neurons(int l) {
        return sizes[l + 1];
    }

    /** Inputs of layer {@code l} (the previous layer's neurons): {@code fanIn(l)} for a dense layer. */
    public int layerInputs(int l) {
        return sizes[l];
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

    /** Fan-in m of weight layer {@code l} (0-based): rows of its weight matrix (a conv layer's patch). */
    public int fanIn(int l) {
        ConvGeometry g = conv(l);
        return g != null ? g.patch() : sizes[l];
    }

    /** Fan-out n of weight layer {@code l} (0-based): columns of its weight matrix (a conv layer's channels). */
    public int fanOut(int l) {
        ConvGeometry g = conv(l);
        return g != null ? g.outChannels() : sizes[l + 1];
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
        return new SnnConfig(sizes, threshold, decay, r, evolveThreshold, evolveDecay, conv);
    }

    /** This network with per-neuron thresholds and decays evolved or not. */
    public SnnConfig withEvolvedNeurons(boolean threshold, boolean decay) {
        return new SnnConfig(sizes, this.threshold, this.decay, readout, threshold, decay, conv);
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
                && evolveDecay == c.evolveDecay
                && Arrays.equals(conv, c.conv);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sizes) * 31 + Float.hashCode(threshold) * 7 + Float.hashCode(decay) + readout.hashCode()
                + (evolveThreshold ? 3 : 0) + (evolveDecay ? 5 : 0) + Arrays.hashCode(conv);
    }

    @Override
    public String toString() {
        return "SnnConfig" + Arrays.toString(sizes) + "(theta=" + threshold + ", beta=" + decay + ", " + readout
                + (evolveThreshold ? ", evolved theta" : "") + (evolveDecay ? ", evolved beta" : "") + ")";
    }
}
