package io.eggroll.api;

import io.eggroll.snn.Readout;
import io.eggroll.snn.SnnConfig;
import io.eggroll.train.TrainConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a network, immutable: hidden layers ({@link LayerSpec}), the LIF parameters, the
 * readout and the scale of the initial weights. The input width and the number of outputs come
 * from the data (training) or are given (ask/tell).
 *
 * <p>Each weight matrix has a name: the name of the layer it feeds ({@code hidden0},
 * {@code hidden1}, ... unless named) and {@link #outputName()} ({@code output}) for the last one.
 * The names address a {@link TrainedNetwork}'s weights and a {@link Member}'s low-rank factors.
 *
 * <pre>{@code
 * NetworkSpec net = NetworkSpec.dense(128)          // one hidden LIF layer, "hidden0"
 *         .lif(1.0f, 0.9f)                          // threshold, membrane decay per step
 *         .readout(Readout.MEMBRANE);
 * }</pre>
 */
public final class NetworkSpec {

    private final List<LayerSpec> hidden;
    private final float threshold;
    private final float decay;
    private final Readout readout;
    private final float initGain;
    private final String outputName;

    private NetworkSpec(List<LayerSpec> hidden, float threshold, float decay, Readout readout, float initGain,
                        String outputName) {
        this.hidden = List.copyOf(hidden);
        this.threshold = threshold;
        this.decay = decay;
        this.readout = readout;
        this.initGain = initGain;
        this.outputName = outputName;
    }

    /** No hidden layer: inputs feed the output layer directly. Defaults: threshold 1, decay 0.9, spike-count readout. */
    public static NetworkSpec empty() {
        return new NetworkSpec(List.of(), SnnConfig.DEFAULT_THRESHOLD, SnnConfig.DEFAULT_DECAY, Readout.SPIKE_COUNT,
                1.0f, "output");
    }

    /** Fully connected hidden layers of the given widths, named {@code hidden0}, {@code hidden1}, ... */
    public static NetworkSpec dense(int... widths) {
        NetworkSpec s = empty();
        for (int w : widths) {
            s = s.dense("hidden" + s.hidden.size(), w);
        }
        return s;
    }

    /** The network of a training config's {@code network} object (hidden widths, LIF, readout, initial gain). */
    public static NetworkSpec of(TrainConfig.Network n) {
        return dense(n.hidden).lif(n.threshold, n.decay).readout(n.readout).initGain(n.initGain);
    }

    /**
     * The names of a network the engine resolved itself (from a training config: dense or conv
     * layers, evolved neurons): {@code hidden0}, {@code hidden1}, ... for its hidden layers, each
     * as wide as its neurons, and {@code output}. It names the weight matrices; the network is
     * {@code net}, which this spec need not be able to build.
     */
    static NetworkSpec naming(SnnConfig net) {
        NetworkSpec s = empty().lif(net.threshold(), net.decay()).readout(net.readout());
        for (int l = 0; l < net.layers() - 1; l++) {
            s = s.dense("hidden" + l, net.neurons(l));
        }
        return s;
    }

    /** This spec with a fully connected hidden layer appended. */
    public NetworkSpec dense(String name, int width) {
        return layer(new LayerSpec.Dense(name, width));
    }

    /** This spec with {@code layer} appended. */
    public NetworkSpec layer(LayerSpec layer) {
        List<LayerSpec> l = new ArrayList<>(hidden);
        if (names(l).contains(layer.name()) || layer.name().equals(outputName)) {
            throw new IllegalArgumentException("a layer is already named " + layer.name());
        }
        l.add(layer);
        return new NetworkSpec(l, threshold, decay, readout, initGain, outputName);
    }

    /**
     * The LIF parameters of every layer: spike when the membrane reaches {@code threshold}, then
     * reset to 0; {@code v = decay * v + I} each step.
     */
    public NetworkSpec lif(float threshold, float decay) {
        new SnnConfig(new int[] {1, 1}, threshold, decay, readout); // checks them
        return new NetworkSpec(hidden, threshold, decay, readout, initGain, outputName);
    }

    /** How the last layer gives scores: spike counts (LIF) or the mean membrane of a leaky integrator. */
    public NetworkSpec readout(Readout r) {
        if (r == null) {
            throw new IllegalArgumentException("readout must be given, got null");
        }
        return new NetworkSpec(hidden, threshold, decay, r, initGain, outputName);
    }

    /**
     * Initial weights uniform in {@code [-g, g]}, {@code g = gain sqrt(3 / fan-in)}; biases zero.
     */
    public NetworkSpec initGain(float gain) {
        if (!(gain > 0) || !Float.isFinite(gain)) {
            throw new IllegalArgumentException("initGain must be a finite number > 0, got " + gain);
        }
        return new NetworkSpec(hidden, threshold, decay, readout, gain, outputName);
    }

    /** The name of the weight matrix that feeds the output layer (default {@code output}). */
    public NetworkSpec outputName(String name) {
        checkName(name);
        if (names(hidden).contains(name)) {
            throw new IllegalArgumentException("a layer is already named " + name);
        }
        return new NetworkSpec(hidden, threshold, decay, readout, initGain, name);
    }

    /** The hidden layers, input side first. */
    public List<LayerSpec> hidden() {
        return hidden;
    }

    /** The spike threshold. */
    public float threshold() {
        return threshold;
    }

    /** The membrane decay per step. */
    public float decay() {
        return decay;
    }

    /** The readout. */
    public Readout readout() {
        return readout;
    }

    /** The scale of the initial weights. */
    public float initGain() {
        return initGain;
    }

    /** The name of the output layer's weight matrix. */
    public String outputName() {
        return outputName;
    }

    /** The names of the weight matrices, input side first: the hidden layers', then the output's. */
    public List<String> matrixNames() {
        List<String> n = new ArrayList<>(names(hidden));
        n.add(outputName);
        return List.copyOf(n);
    }

    /**
     * The engine's network for {@code inputs} input channels and {@code outputs} outputs. This is
     * where a layer kind becomes the engine's shape: a kind the engine cannot train is refused here.
     */
    public SnnConfig resolve(int inputs, int outputs) {
        int[] sizes = new int[hidden.size() + 2];
        sizes[0] = inputs;
        for (int i = 0; i < hidden.size(); i++) {
            LayerSpec l = hidden.get(i);
            if (!(l instanceof LayerSpec.Dense)) {
                throw new IllegalArgumentException("layer " + l.name() + ": " + l.getClass().getSimpleName()
                        + " layers are not supported by this engine (fully connected layers are)");
            }
            sizes[i + 1] = l.width();
        }
        sizes[sizes.length - 1] = outputs;
        return new SnnConfig(sizes, threshold, decay, readout);
    }

    /** Writes this spec into a training config's {@code network} object. */
    void applyTo(TrainConfig.Network n) {
        SnnConfig shape = resolve(1, 1);
        int[] sizes = shape.sizes();
        n.hidden = java.util.Arrays.copyOfRange(sizes, 1, sizes.length - 1);
        n.threshold = threshold;
        n.decay = decay;
        n.readout = readout;
        n.initGain = initGain;
    }

    /** The index of the weight layer a name addresses. */
    int layerIndex(String name) {
        int i = matrixNames().indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no weight matrix named '" + name + "'; the network has "
                    + matrixNames());
        }
        return i;
    }

    private static List<String> names(List<LayerSpec> layers) {
        return layers.stream().map(LayerSpec::name).toList();
    }

    static void checkName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a layer name must be non-empty, got " + (name == null ? "null" : "'" + name + "'"));
        }
    }

    @Override
    public String toString() {
        return "NetworkSpec" + matrixNames() + hidden.stream().map(l -> Integer.toString(l.width())).toList()
                + "(theta=" + threshold + ", beta=" + decay + ", " + readout + ", gain=" + initGain + ")";
    }
}
