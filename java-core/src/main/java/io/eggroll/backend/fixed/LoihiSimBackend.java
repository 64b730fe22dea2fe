package io.eggroll.backend.fixed;

import io.eggroll.backend.Backend;
import io.eggroll.backend.ModelState;
import io.eggroll.backend.cpu.CpuBackend;
import io.eggroll.es.EsConfig;
import io.eggroll.es.EsMode;
import io.eggroll.es.Eggroll;
import io.eggroll.es.Generation;
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
 * layers are quantised whole. Work is split by antithetic pair; each readout slot is written by
 * one task, so results do not depend on the thread count.
 */
public final class LoihiSimBackend implements Backend {

    private final CpuBackend shadow;
    private final Parallel parallel;

    public LoihiSimBackend(int threads) {
        this.shadow = new CpuBackend(threads);
        this.parallel = new Parallel(threads, "eggroll-loihi-sim");
    }

    @Override
    public String name() {
        return "loihi-sim";
    }

    @Override
    public String device() {
        return "loihi-sim: bit-accurate Loihi 2 fixed point (Lava CUBA LIF + Dense) on " + parallel.threads()
                + " cpu thread" + (parallel.threads() == 1 ? "" : "s");
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
        parallel.forEach(batch.samples(), (w, s) -> System.arraycopy(net.spikeCounts(batch, s), 0, out, s * c, c));
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
            scale[l] = LoihiQuantizer.scaleExponent(p.weights(l), p.bias(l), cfg.threshold());
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
                m = scratch[worker] = new Member(cfg, es);
            }
            int pair = firstPair + k;
            m.factors(g, pair);
            for (int sign = 0; sign < 2; sign++) {
                int member = 2 * pair + sign;
                FixedNetwork net = m.quantize(cfg, p, es, Generation.sign(member), scale, used);
                for (int s = 0; s < samples; s++) {
                    float[] counts = net.spikeCounts(batch, s);
                    System.arraycopy(counts, 0, out, ((member - 2 * firstPair) * samples + s) * classes, classes);
                }
            }
        });
        return out;
    }

    /** One worker's buffers: the pair's factors and a member's quantised layers. */
    private static final class Member {
        final float[][] a;
        final float[][] b;
        final float[][] e;
        final int[][] w;
        final float[] row;
        final float[] u;

        Member(SnnConfig cfg, EsConfig es) {
            int layers = cfg.layers();
            a = new float[layers][];
            b = new float[layers][];
            e = new float[layers][];
            w = new int[layers][];
            int r = es.rank();
            for (int l = 0; l < layers; l++) {
                int m = cfg.fanIn(l);
                int n = cfg.fanOut(l);
                a[l] = new float[es.mode() == EsMode.EGGROLL ? m * r : Math.multiplyExact(m, n)];
                b[l] = new float[n * r];
                e[l] = new float[n];
                w[l] = new int[m * n];
            }
            row = new float[cfg.maxWidth()];
            u = new float[r];
        }

        void factors(Generation g, int pair) {
            EsConfig es = g.es();
            for (int l = 0; l < a.length; l++) {
                int m = w[l].length / e[l].length;
                int n = e[l].length;
                if (es.mode() == EsMode.EGGROLL) {
                    Eggroll.factorA(g.seed(), pair, g.index(), l, es.noise(), m, es.rank(), a[l]);
                    Eggroll.factorB(g.seed(), pair, g.index(), l, es.noise(), n, es.rank(), b[l]);
                } else {
                    Eggroll.fullNoise(g.seed(), pair, g.index(), l, es.noise(), m, n, a[l]);
                }
                if (es.biasNoise()) {
                    Eggroll.biasNoise(g.seed(), pair, g.index(), l, es.noise(), n, e[l]);
                }
            }
        }

        /**
         * The member's network: row i of layer l is {@code W[i] + (s sigma_r) (A[i] B^T)}, with
         * {@code A[i] B^T} formed as {@link Eggroll#expand} forms it, quantised at the layer's scale.
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
                    if (l == 0 && !used0[i]) {
                        continue;
                    }
                    if (lowRank) {
                        System.arraycopy(a[l], i * r, u, 0, r);
                        Eggroll.expand(u, b[l], r, n, row, 0);
                    } else {
                        System.arraycopy(a[l], i * n, row, 0, n);
                    }
                    for (int j = 0; j < n; j++) {
                        q[i * n + j] = LoihiQuantizer.weight(wl[i * n + j] + ss * row[j], scale[l]);
                    }
                }
                float[] bias = p.bias(l).clone();
                if (es.biasNoise()) {
                    for (int j = 0; j < n; j++) {
                        bias[j] += sb * e[l][j];
                    }
                }
                layers.add(LoihiQuantizer.layer(cfg, l, q, bias, scale[l]));
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
