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
 * <p>{@link #tensors()} lists them in the fixed order W0, b0, W1, b1, ...; the optimizer state
 * and checkpoints use the same order.
 */
public final class Params {

    private final SnnConfig config;
    private final float[][] weights;
    private final float[][] biases;

    public Params(SnnConfig config) {
        this.config = config;
        this.weights = new float[config.layers()][];
        this.biases = new float[config.layers()][];
        for (int l = 0; l < config.layers(); l++) {
            weights[l] = new float[Math.multiplyExact(config.fanIn(l), config.fanOut(l))];
            biases[l] = new float[config.fanOut(l)];
        }
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

    /** W0, b0, W1, b1, ... (live arrays). */
    public float[][] tensors() {
        float[][] t = new float[2 * config.layers()][];
        for (int l = 0; l < config.layers(); l++) {
            t[2 * l] = weights[l];
            t[2 * l + 1] = biases[l];
        }
        return t;
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
