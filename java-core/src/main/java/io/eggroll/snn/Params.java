package io.eggroll.snn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * The trainable values of a network: per layer {@code l} a weight matrix {@code W_l} of shape
 * {@code m x n} (fan-in x fan-out) stored row-major, so row {@code i} (the synapses of input
 * {@code i}) is contiguous, and a bias vector {@code b_l} of length {@code n}.
 *
 * <p>With evolved neuron parameters ({@link Neurons}) each layer also has a threshold vector
 * {@code theta_l} and/or a decay vector {@code beta_l} of length {@code n}, initially the
 * network's shared values.
 *
 * <p>{@link #tensors()} lists them in the fixed order W0, b0, W1, b1, ..., then theta0, theta1,
 * ... and beta0, beta1, ... where evolved; the optimizer state and checkpoints use the same order.
 */
public final class Params {

    private final SnnConfig config;
    private final float[][] weights;
    private final float[][] biases;
    private final float[][] thresholds; // null unless evolved
    private final float[][] decays;     // null unless evolved

    public Params(SnnConfig config) {
        this.config = config;
        this.weights = new float[config.layers()][];
        this.biases = new float[config.layers()][];
        for (int l = 0; l < config.layers(); l++) {
            weights[l] = new float[Math.multiplyExact(config.fanIn(l), config.fanOut(l))];
            biases[l] = new float[config.fanOut(l)];
        }
        this.thresholds = config.evolveThreshold() ? neuronVectors(config, config.threshold()) : null;
        this.decays = config.evolveDecay() ? neuronVectors(config, config.decay()) : null;
    }

    private static float[][] neuronVectors(SnnConfig config, float initial) {
        float[][] v = new float[config.layers()][];
        for (int l = 0; l < v.length; l++) {
            v[l] = new float[config.fanOut(l)];
            java.util.Arrays.fill(v[l], initial);
        }
        return v;
    }

    /**
     * Initial weights: uniform in {@code [-g, g]} with {@code g = gain * sqrt(3 / fanIn)} (unit
     * variance input current for unit-rate inputs times {@code gain}), biases zero. Seeded, so a
     * run's initial weights are a function of its seed.
     */
    public static Params init(SnnConfig config, long seed, float gain) {
        Params p = new Params(config);
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (int l = 0; l < config.layers(); l++) {
            double g = gain * Math.sqrt(3.0 / config.fanIn(l));
            float[] w = p.weights[l];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) ((rnd.nextDouble() * 2 - 1) * g);
            }
        }
        return p;
    }

    public SnnConfig config() {
        return config;
    }

    /** Weight matrix of layer l, row-major m x n (live array). */
    public float[] weights(int l) {
        return weights[l];
    }

    /** Bias vector of layer l (live array). */
    public float[] bias(int l) {
        return biases[l];
    }

    /** Thresholds of layer l (live array); only with {@link SnnConfig#evolveThreshold}. */
    public float[] threshold(int l) {
        if (thresholds == null) {
            throw new IllegalStateException("thresholds are not evolved (network.evolveThreshold is off)");
        }
        return thresholds[l];
    }

    /** Decays of layer l (live array); only with {@link SnnConfig#evolveDecay}. */
    public float[] decay(int l) {
        if (decays == null) {
            throw new IllegalStateException("decays are not evolved (network.evolveDecay is off)");
        }
        return decays[l];
    }

    /** W0, b0, W1, b1, ..., then the evolved thresholds and decays by layer (live arrays). */
    public float[][] tensors() {
        int layers = config.layers();
        float[][] t = new float[2 * layers + (thresholds == null ? 0 : layers) + (decays == null ? 0 : layers)][];
        for (int l = 0; l < layers; l++) {
            t[2 * l] = weights[l];
            t[2 * l + 1] = biases[l];
        }
        int i = 2 * layers;
        for (float[][] neuron : new float[][][] {thresholds, decays}) {
            for (int l = 0; neuron != null && l < layers; l++) {
                t[i++] = neuron[l];
            }
        }
        return t;
    }

    /** Whether tensor i of {@link #tensors()} is a bias vector (trained only when biases are perturbed). */
    public boolean isBias(int i) {
        return i < 2 * config.layers() && i % 2 == 1;
    }

    /**
     * Whether ES updates tensor i of {@link #tensors()} at all: not the thresholds of a layer where
     * they do not act ({@link SnnConfig#thresholdActs}).
     */
    public boolean trains(int i) {
        int l = i - 2 * config.layers();
        return thresholds == null || l < 0 || l >= config.layers() || config.thresholdActs(l);
    }

    /** The index in {@link #tensors()} of layer l's thresholds (evolved thresholds only). */
    public int thresholdTensor(int l) {
        return 2 * config.layers() + l;
    }

    /** The index in {@link #tensors()} of layer l's decays (evolved decays only). */
    public int decayTensor(int l) {
        return 2 * config.layers() + (thresholds == null ? 0 : config.layers()) + l;
    }

    /** Where {@link #tensors()} lie when laid end to end in one flat buffer (as device backends hold them). */
    public record Packing(int[] offsets, int[] lengths, long total) {

        /** Device kernels index the flat buffer with 32-bit ints: at most 2^30 values (with headroom). */
        public Packing requireIntIndexable(String backend) {
            if (total > Integer.MAX_VALUE / 2) {
                throw new IllegalArgumentException("the network has " + total + " parameters; the " + backend
                        + " backend addresses at most 2^30");
            }
            return this;
        }
    }

    public Packing packing() {
        float[][] t = tensors();
        int[] off = new int[t.length];
        int[] len = new int[t.length];
        long total = 0;
        for (int i = 0; i < t.length; i++) {
            off[i] = (int) Math.min(total, Integer.MAX_VALUE);
            len[i] = t[i].length;
            total += len[i];
        }
        return new Packing(off, len, total);
    }

    public Params copy() {
        Params p = new Params(config);
        for (int l = 0; l < config.layers(); l++) {
            System.arraycopy(weights[l], 0, p.weights[l], 0, weights[l].length);
            System.arraycopy(biases[l], 0, p.biases[l], 0, biases[l].length);
            if (thresholds != null) {
                System.arraycopy(thresholds[l], 0, p.thresholds[l], 0, thresholds[l].length);
            }
            if (decays != null) {
                System.arraycopy(decays[l], 0, p.decays[l], 0, decays[l].length);
            }
        }
        return p;
    }

    /** SHA-256 over the IEEE bits of every tensor in order (little-endian); equal iff bit-identical. */
    public String sha256() {
        return sha256(tensors());
    }

    public static String sha256(float[][] tensors) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (float[] t : tensors) {
                ByteBuffer b = ByteBuffer.allocate(t.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(t);
                md.update(b.array());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
