package io.eggroll.snn.fixed;

import io.eggroll.simd.FixedOps;
import io.eggroll.simd.FixedOpsProvider;
import io.eggroll.snn.SpikeBatch;
import java.util.Arrays;
import java.util.List;

/**
 * A feed-forward network of fixed-point Dense + CUBA LIF layers: what Lava runs bit-accurately
 * and what a NetX export describes.
 *
 * <p>With {@code denseDelay} (Lava's {@code Dense} sends its sum on the next step), layer l's
 * LIF sees at step t the spikes its input produced at step t - 1, so an L-layer network needs
 * {@code T + L} steps for the last input frame to reach the output; {@link #steps(int)} gives
 * that count and the extra steps see no input spikes. Without the delay every layer updates
 * within the step, as the float model does.
 */
public record FixedNetwork(List<FixedLayer> layers, boolean denseDelay) {

    public FixedNetwork {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one layer");
        }
        for (int l = 1; l < layers.size(); l++) {
            if (layers.get(l).fanIn() != layers.get(l - 1).fanOut()) {
                throw new IllegalArgumentException("layer " + l + " takes " + layers.get(l).fanIn()
                        + " inputs but layer " + (l - 1) + " has " + layers.get(l - 1).fanOut() + " neurons");
            }
        }
    }

    /** Layer widths, input first. */
    public int[] sizes() {
        int[] s = new int[layers.size() + 1];
        s[0] = layers.getFirst().fanIn();
        for (int l = 0; l < layers.size(); l++) {
            s[l + 1] = layers.get(l).fanOut();
        }
        return s;
    }

    public int inputs() {
        return layers.getFirst().fanIn();
    }

    public int outputs() {
        return layers.getLast().fanOut();
    }

    /** Neurons over all layers (the width of a raster row). */
    public int neurons() {
        int n = 0;
        for (FixedLayer l : layers) {
            n += l.fanOut();
        }
        return n;
    }

    /** Steps to run for {@code inputSteps} input frames: {@code T + L} with the Dense delay, else T. */
    public int steps(int inputSteps) {
        return inputSteps + (denseDelay ? layers.size() : 0);
    }

    /**
     * Everything one run produces: {@code raster[t * neurons + k]} is 1 where neuron k (layers
     * concatenated) spiked at step t; {@code u}, {@code v} are the final states.
     */
    public record Trace(int steps, int neurons, byte[] raster, int[] u, int[] v) {
        /** Spikes of layer neurons {@code [from, from + n)} summed over all steps. */
        public int[] counts(int from, int n) {
            int[] c = new int[n];
            for (int t = 0; t < steps; t++) {
                for (int j = 0; j < n; j++) {
                    c[j] += raster[t * neurons + from + j];
                }
            }
            return c;
        }
    }

    /**
     * One thread's buffers for running networks of one shape again and again (a population's
     * members): state, spike lists and currents, allocated once, and the current network's weights
     * in the form the kernels prefer (made on its first run; a network's weights must not change
     * while it is run with a scratch).
     */
    public static final class Scratch {
        /** Slack after the state, so that a vector kernel may read a whole vector from the start of a
         *  layer narrower than one (and store only its lanes). */
        private static final int PAD = 64;
        private final int[] sizes;
        private final int[] in;
        private final int[] out;
        /** Each layer's Dense sums, two buffers that alternate by step (the Dense delay). */
        private final int[][][] sums;
        private final int[] u;
        private final int[] v;
        private final int[] counts;
        /** The layers of {@link #halvedFor}, and their weights halved ({@link FixedOps#halve}). */
        private final FixedLayer[] layers;
        private final short[][] halves;
        private final boolean[] halved;
        private FixedNetwork halvedFor;

        /** Buffers for networks whose {@link #sizes()} are {@code sizes}. */
        public Scratch(int[] sizes) {
            this.sizes = sizes.clone();
            int width = Arrays.stream(sizes).max().orElseThrow();
            int neurons = Arrays.stream(sizes).sum() - sizes[0];
            int count = sizes.length - 1;
            in = new int[width];
            out = new int[width];
            sums = new int[2][count][];
            for (int l = 0; l < count; l++) {
                sums[0][l] = new int[sizes[l + 1] + PAD];
                sums[1][l] = new int[sizes[l + 1] + PAD];
            }
            u = new int[neurons + PAD];
            v = new int[neurons + PAD];
            counts = new int[sizes[count]];
            layers = new FixedLayer[count];
            halves = new short[count][];
            halved = new boolean[count];
            for (int l = 0; l < count; l++) {
                halves[l] = new short[Math.multiplyExact(sizes[l], sizes[l + 1])];
            }
        }
    }

    /**
     * Runs one sample: step t (< stepsIn) has the input spikes
     * {@code indices[offsets[base + t] .. offsets[base + t + 1])}.
     */
    public Trace trace(int[] offsets, int base, int[] indices, int stepsIn, int stepsTotal) {
        int neurons = neurons();
        byte[] raster = new byte[stepsTotal * neurons];
        Scratch sc = new Scratch(sizes());
        simulate(FixedOpsProvider.scalar(), sc, offsets, base, indices, stepsIn, stepsTotal, raster);
        return new Trace(stepsTotal, neurons, raster, Arrays.copyOf(sc.u, neurons), Arrays.copyOf(sc.v, neurons));
    }

    /** The readout of one batch sample: spike counts of the last layer over {@link #steps(int)} steps. */
    public float[] spikeCounts(SpikeBatch batch, int sample) {
        float[] out = new float[outputs()];
        spikeCounts(batch, sample, FixedOpsProvider.scalar(), new Scratch(sizes()), out, 0);
        return out;
    }

    /**
     * {@link #spikeCounts(SpikeBatch, int)} with the integer kernels {@code ops} and the buffers
     * {@code sc} (made for this network's shape), written to {@code out[off .. off + outputs())}.
     */
    public void spikeCounts(SpikeBatch batch, int sample, FixedOps ops, Scratch sc, float[] out, int off) {
        int t = batch.timesteps();
        simulate(ops, sc, batch.offsets(), sample * t, batch.indices(), t, steps(t), null);
        // As the float readout: count + v_T / threshold. The residue (below 1) only orders outputs
        // with equal counts, and keeps a silent output's drive visible to ES.
        int[] counts = sc.counts;
        int vOff = sc.u.length - Scratch.PAD - counts.length;
        FixedLayer lastLayer = layers.get(layers.size() - 1);
        for (int j = 0; j < counts.length; j++) {
            double effVth = (double) lastLayer.vth(j) * 64;
            out[off + j] = (float) (counts[j] + sc.v[vOff + j] / effVth);
        }
    }

    /** Runs from rest; leaves the final state in {@code sc.u}, {@code sc.v} and the last layer's counts in {@code sc.counts}. */
    private void simulate(FixedOps ops, Scratch sc, int[] offsets, int base, int[] indices, int stepsIn,
                          int stepsTotal, byte[] raster) {
        int neurons = sc.u.length - Scratch.PAD;
        if (!Arrays.equals(sc.sizes, sizes())) {
            throw new IllegalArgumentException("scratch made for another network shape");
        }
        int[] u = sc.u;
        int[] v = sc.v;
        int[] lastCounts = sc.counts;
        Arrays.fill(u, 0);
        Arrays.fill(v, 0);
        Arrays.fill(lastCounts, 0);
        int[] in = sc.in;
        int[] out = sc.out;
        int last = layers.size() - 1;
        FixedLayer[] ls = sc.layers;
        if (sc.halvedFor != this) { // once per network: the samples of a member share it
            for (int l = 0; l <= last; l++) {
                ls[l] = layers.get(l);
                sc.halved[l] = ops.halve(ls[l].weights(), ls[l].fanOut(), sc.halves[l]);
            }
            sc.halvedFor = this;
        }
        for (int l = 0; l <= last; l++) {
            Arrays.fill(sc.sums[0][l], 0);
        }
        for (int t = 0; t < stepsTotal; t++) {
            int count = 0;
            if (t < stepsIn) {
                int from = offsets[base + t];
                count = offsets[base + t + 1] - from;
                System.arraycopy(indices, from, in, 0, count);
            }
            // With the delay, layer l's LIF takes the sum its Dense formed at the previous step while
            // the Dense writes this step's into the other buffer of the pair; without, it takes this step's.
            int[][] sums = sc.sums[t & 1];
            int[][] next = sc.sums[(t + 1) & 1];
            int off = 0;
            for (int l = 0; l <= last; l++) {
                FixedLayer layer = ls[l];
                int n = layer.fanOut();
                int[] a = denseDelay ? sums[l] : next[l];
                if (sc.halved[l]) {
                    ops.denseHalves(sc.halves[l], n, in, count, layer.weightExp(), next[l], 0);
                } else {
                    ops.dense(layer.weights(), n, in, count, layer.weightExp(), next[l], 0);
                }
                count = layer.perNeuron()
                        ? ops.lifStepNeurons(n, u, v, off, a, layer.du(), layer.dvs(), layer.vths(), layer.biasMant(),
                                layer.biasExp(), out)
                        : ops.lifStep(n, u, v, off, a, layer.du(), layer.dv(), layer.vth(), layer.biasMant(),
                                layer.biasExp(), out);
                if (raster != null) {
                    for (int k = 0; k < count; k++) {
                        raster[t * neurons + off + out[k]] = 1;
                    }
                }
                if (l == last) {
                    for (int k = 0; k < count; k++) {
                        lastCounts[out[k]]++;
                    }
                }
                int[] swap = in;
                in = out;
                out = swap;
                off += n;
            }
        }
    }
}
