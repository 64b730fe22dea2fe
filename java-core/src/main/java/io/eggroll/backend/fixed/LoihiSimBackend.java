package io.eggroll.backend.fixed;

import io.eggroll.backend.Backend;
import io.eggroll.backend.ModelState;
import io.eggroll.backend.cpu.CpuBackend;
import io.eggroll.es.EsConfig;
import io.eggroll.es.EsMode;
import io.eggroll.es.Eggroll;
import io.eggroll.es.Generation;
import io.eggroll.rng.Noise;
import io.eggroll.simd.FixedOps;
import io.eggroll.simd.FixedOpsProvider;
import io.eggroll.simd.VectorOps;
import io.eggroll.simd.VectorizationProvider;
import io.eggroll.snn.Neurons;
import io.eggroll.snn.Params;
import io.eggroll.snn.SnnConfig;
import io.eggroll.snn.SpikeBatch;
import io.eggroll.snn.fixed.FixedLayer;
import io.eggroll.snn.fixed.FixedNetwork;
import io.eggroll.snn.fixed.LoihiQuantizer;
import io.eggroll.util.Parallel;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code loihi-sim}: training in Loihi 2 fixed point. ES updates float "shadow" weights (the
 * cpu backend's state, update and optimizer, by delegation); every member is evaluated by
 * quantising its perturbed weights {@code W + sigma_r s A B^T} (or {@code W + sigma s E}) onto
 * each layer's 8-bit grid ({@link LoihiQuantizer}, scale chosen per generation from the
 * unperturbed weights) and running the bit-accurate integer Dense + CUBA LIF network with
 * Lava's one-step Dense delay for {@code T + L} steps. The network that was measured is the
 * network the chip runs; ES needs no gradient through the rounding.
 *
 * <p>Only the rows of layer 1 that some input of the batch activates are quantised; deeper
 * layers are quantised whole. A conv layer's perturbed kernel ({@code K + sigma_r s A B^T}, small)
 * is quantised whole and runs as its unrolled Dense ({@link io.eggroll.snn.fixed.FixedConv}). Work is split by antithetic pair; each readout slot is written by
 * one task, so results do not depend on the thread count. The quantisation, Dense and LIF run
 * through {@link FixedOps} (the vector kernels where the float path has them, the scalar
 * definition with {@code --simd off}; the same bits either way), each worker reusing its buffers
 * for every member and sample.
 */
public final class LoihiSimBackend implements Backend {

    private final CpuBackend shadow;
    private final Parallel parallel;
    private final VectorOps ops;
    private final FixedOps fixed;

    /** A backend with the vector operations {@link VectorizationProvider} chooses. */
    public LoihiSimBackend(int threads) {
        this(threads, VectorizationProvider.ops());
    }

    /**
     * A backend with the given float operations (for the shadow's update and the expand of the
     * factors) and the integer operations that go with them ({@link FixedOpsProvider#forOps}).
     */
    public LoihiSimBackend(int threads, VectorOps ops) {
        this.shadow = new CpuBackend(threads, ops);
        this.parallel = new Parallel(threads, "eggroll-loihi-sim");
        this.ops = ops;
        this.fixed = FixedOpsProvider.forOps(ops);
    }

    @Override
    public String name() {
        return "loihi-sim";
    }

    @Override
    public String device() {
        return "loihi-sim: bit-accurate Loihi 2 fixed point (Lava CUBA LIF + Dense) on " + parallel.threads()
                + " cpu thread" + (parallel.threads() == 1 ? "" : "s") + ", " + fixed.name() + " integer ops";
    }

    @Override
    public void load(ModelState state) {
        LoihiQuantizer.checkExpressible(state.network());
        shadow.load(state);
    }

    @Override
    public ModelState state() {
        return shadow.state();
    }

    /** The fixed-point network the current shadow weights stand for (what {@link #infer} runs). */
    public FixedNetwork quantized() {
        return LoihiQuantizer.quantize(shadow.state().params(), true);
    }

    @Override
    public float[] infer(SpikeBatch batch) {
        FixedNetwork net = quantized();
        checkBatch(net.inputs(), batch);
        int c = net.outputs();
        float[] out = new float[batch.samples() * c];
        FixedNetwork.Scratch[] scratch = new FixedNetwork.Scratch[parallel.threads()];
        parallel.forEach(batch.samples(), (w, s) -> {
            if (scratch[w] == null) {
                scratch[w] = new FixedNetwork.Scratch(net.sizes());
            }
            net.spikeCounts(batch, s, fixed, scratch[w], out, s * c);
        });
        return out;
    }

    @Override
    public float[] evaluate(SpikeBatch batch, Generation g, int firstPair, int pairCount) {
        ModelState st = shadow.state();
        SnnConfig cfg = st.network();
        EsConfig es = g.es();
        es.validateFor(cfg);
        checkBatch(cfg.inputs(), batch);
        if (firstPair < 0 || pairCount < 0 || firstPair + pairCount > es.pairs()) {
            throw new IllegalArgumentException("pairs [" + firstPair + ", " + (firstPair + pairCount)
                    + ") out of range for population " + es.population());
        }
        Params p = st.params();
        int layers = cfg.layers();
        int[] scale = new int[layers];
        for (int l = 0; l < layers; l++) {
            scale[l] = LoihiQuantizer.scaleExponent(p.weights(l), p.bias(l), LoihiQuantizer.maxThreshold(p, l));
        }
        boolean[] used = new boolean[cfg.inputs()];
        for (int i : batch.indices()) {
            used[i] = true;
        }
        int samples = batch.samples();
        int classes = cfg.outputs();
        float[] out = new float[2 * pairCount * samples * classes];
        Member[] scratch = new Member[parallel.threads()];
        parallel.forEach(pairCount, (worker, k) -> {
            Member m = scratch[worker];
            if (m == null) {
                m = scratch[worker] = new Member(cfg, es, ops, fixed);
            }
            int pair = firstPair + k;
            m.factors(g, pair);
            for (int sign = 0; sign < 2; sign++) {
                int member = 2 * pair + sign;
                FixedNetwork net = m.quantize(cfg, p, es, Generation.sign(member), scale, used);
                for (int s = 0; s < samples; s++) {
                    net.spikeCounts(batch, s, m.fixed, m.run, out, ((member - 2 * firstPair) * samples + s) * classes);
                }
            }
        });
        return out;
    }

    /** One worker's buffers: the pair's factors, a member's quantised layers and the run's state. */
    private static final class Member {
        /** Slack after a vector's worth of scratch, so the expand's masked tail stays on the intrinsic path. */
        static final int PAD = 64;
        final VectorOps ops;
        final FixedOps fixed;
        final float[][] a;
        final float[][] b;
        /** B transposed ({@code r x n}), the layout {@link VectorOps#expand} takes. */
        final float[][] bt;
        final float[][] e;
        final int[][] w;
        final float[] row;
        final float[] u;
        final FixedNetwork.Scratch run;
        /** Evolved neuron parameters: the pair's threshold and decay noise, and a member's values as they act. */
        final float[][] thresholdNoise;
        final float[][] decayNoise;
        final float[] theta;
        final float[] beta;

        Member(SnnConfig cfg, EsConfig es, VectorOps ops, FixedOps fixed) {
            this.ops = ops;
            this.fixed = fixed;
            run = new FixedNetwork.Scratch(cfg.sizes());
            int layers = cfg.layers();
            a = new float[layers][];
            b = new float[layers][];
            bt = new float[layers][];
            e = new float[layers][];
            w = new int[layers][];
            int r = es.rank();
            for (int l = 0; l < layers; l++) {
                int m = cfg.fanIn(l);
                int n = cfg.fanOut(l);
                a[l] = new float[es.mode() == EsMode.EGGROLL ? m * r : Math.multiplyExact(m, n)];
                b[l] = new float[n * r];
                bt[l] = new float[n * r + PAD];
                e[l] = new float[n];
                w[l] = new int[m * n];
            }
            row = new float[cfg.maxWidth() + PAD];
            u = new float[r];
            thresholdNoise = new float[layers][];
            decayNoise = new float[layers][];
            for (int l = 0; l < layers; l++) {
                thresholdNoise[l] = cfg.thresholdActs(l) ? new float[cfg.fanOut(l)] : null;
                decayNoise[l] = cfg.evolveDecay() ? new float[cfg.fanOut(l)] : null;
            }
            theta = new float[cfg.maxWidth()];
            beta = new float[cfg.maxWidth()];
        }

        void factors(Generation g, int pair) {
            EsConfig es = g.es();
            for (int l = 0; l < a.length; l++) {
                int m = w[l].length / e[l].length;
                int n = e[l].length;
                if (es.mode() == EsMode.EGGROLL) {
                    Eggroll.factorA(g.seed(), pair, g.index(), l, es.noise(), m, es.rank(), a[l]);
                    Eggroll.factorB(g.seed(), pair, g.index(), l, es.noise(), n, es.rank(), b[l]);
                    int r = es.rank();
                    for (int j = 0; j < n; j++) {
                        for (int q = 0; q < r; q++) {
                            bt[l][q * n + j] = b[l][j * r + q];
                        }
                    }
                } else {
                    Eggroll.fullNoise(g.seed(), pair, g.index(), l, es.noise(), m, n, a[l]);
                }
                if (es.biasNoise()) {
                    Eggroll.biasNoise(g.seed(), pair, g.index(), l, es.noise(), n, e[l]);
                }
                if (thresholdNoise[l] != null) {
                    Eggroll.vectorNoise(g.seed(), pair, g.index(), l, Noise.KIND_THRESHOLD, es.noise(), n,
                            thresholdNoise[l]);
                }
                if (decayNoise[l] != null) {
                    Eggroll.vectorNoise(g.seed(), pair, g.index(), l, Noise.KIND_DECAY, es.noise(), n, decayNoise[l]);
                }
            }
        }

        /**
         * The member's network: row i of layer l is {@code W[i] + (s sigma_r) (A[i] B^T)}, with
         * {@code A[i] B^T} formed as {@link Eggroll#expand} forms it ({@link VectorOps#expand} gives
         * the same sums), quantised at the layer's scale.
         */
        FixedNetwork quantize(SnnConfig cfg, Params p, EsConfig es, float sign, int[] scale, boolean[] used0) {
            boolean lowRank = es.mode() == EsMode.EGGROLL;
            float ss = sign * (lowRank ? es.sigmaLowRank() : es.sigma());
            float sb = sign * es.sigma();
            int r = es.rank();
            List<FixedLayer> layers = new ArrayList<>(a.length);
            for (int l = 0; l < a.length; l++) {
                int m = cfg.fanIn(l);
                int n = cfg.fanOut(l);
                float[] wl = p.weights(l);
                int[] q = w[l];
                for (int i = 0; i < m; i++) {
                    if (l == 0 && !used0[i] && cfg.conv(0) == null) { // a conv layer's rows are its kernel's
                        continue;
                    }
                    if (lowRank) {
                        System.arraycopy(a[l], i * r, u, 0, r);
                        ops.expand(u, bt[l], r, n, row, 0);
                        fixed.quantizeRow(wl, i * n, ss, row, 0, scale[l], q, i * n, n);
                    } else {
                        fixed.quantizeRow(wl, i * n, ss, a[l], i * n, scale[l], q, i * n, n);
                    }
                }
                float[] bias = p.bias(l).clone();
                if (es.biasNoise()) {
                    for (int j = 0; j < n; j++) {
                        bias[j] += sb * e[l][j];
                    }
                }
                if (cfg.evolvesNeurons()) {
                    // The member's own thresholds and decays, as the definition forms them, each on the grid.
                    Neurons.thresholds(p, l, thresholdNoise[l], sb, theta);
                    Neurons.decays(p, l, decayNoise[l], sb, beta);
                    layers.add(LoihiQuantizer.layer(cfg, l, q, bias, scale[l], theta, beta));
                } else {
                    layers.add(LoihiQuantizer.layer(cfg, l, q, bias, scale[l]));
                }
            }
            return new FixedNetwork(layers, true);
        }
    }

    private static void checkBatch(int inputs, SpikeBatch batch) {
        if (batch.inputs() != inputs) {
            throw new IllegalArgumentException("batch has " + batch.inputs() + " inputs but the network expects " + inputs);
        }
    }

    @Override
    public void update(Generation g, float[] shapedFitness, int effectivePopulation, float learningRate) {
        shadow.update(g, shapedFitness, effectivePopulation, learningRate);
    }

    @Override
    public void close() {
        try {
            shadow.close();
        } finally {
            parallel.close();
        }
    }
}
