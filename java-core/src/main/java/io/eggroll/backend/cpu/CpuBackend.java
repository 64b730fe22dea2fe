package io.eggroll.backend.cpu;

import io.eggroll.backend.Backend;
import io.eggroll.backend.ModelState;
import io.eggroll.es.EsConfig;
import io.eggroll.es.EsMode;
import io.eggroll.es.Eggroll;
import io.eggroll.es.Generation;
import io.eggroll.es.Optimizer;
import io.eggroll.es.OptimizerConfig;
import io.eggroll.rng.Noise;
import io.eggroll.rng.NoiseKind;
import io.eggroll.snn.Lif;
import io.eggroll.snn.Neurons;
import io.eggroll.snn.Params;
import io.eggroll.snn.Readout;
import io.eggroll.snn.SnnConfig;
import io.eggroll.snn.SpikeBatch;
import io.eggroll.simd.VectorOps;
import io.eggroll.simd.VectorizationProvider;
import io.eggroll.util.Parallel;

/**
 * The reference backend: multi-threaded pure Java.
 *
 * <ul>
 *   <li>Layer 1 sees the same minibatch for every member, so its base current {@code x W + b}
 *       is computed once per generation and shared; so is {@code (x A) B^T} between the two
 *       members of an antithetic pair, which differ only in sign.</li>
 *   <li>Inputs are binary: {@code x W} is a sum of the rows of W selected by the spikes.</li>
 *   <li>Work is split by antithetic pair (evaluation) and by weight row (update). Every result
 *       slot is written by one task in a fixed order, so the bits do not depend on the number of
 *       threads.</li>
 * </ul>
 */
public final class CpuBackend implements Backend {

    /** Pairs per block of the rank-(N r) update product; fixed so results are thread-independent. */
    static final int UPDATE_PAIR_BLOCK = 64;

    /** Columns per tile of the update product (a panel of B_cat stays in L2 across a task's rows). */
    static final int COLUMN_TILE = 768;

    /**
     * Scratch arrays are this many floats longer than their data, so that a vector op on a tail
     * lies inside the array (the Vector API's fast path for masked loads and stores).
     */
    static final int PAD = 64;

    /**
     * Layers above the first with at most this many outputs plus rank are evaluated from a per-pair
     * copy of {@code [W | A]}, so one pass over the spiking rows gives both {@code x W} and
     * {@code x A} (a copy of W per pair is cheap only for narrow layers).
     */
    static final int WIDE_ROW = 64;

    /** Row tasks of the update product are multiples of this (the micro-kernel's row block). */
    static final int UPDATE_ROW_ALIGN = 8;

    private final Parallel parallel;
    private final VectorOps ops;
    private final ConvPath conv;
    private ModelState state;

    /** A backend with the vector operations {@link VectorizationProvider} chooses. */
    public CpuBackend(int threads) {
        this(threads, VectorizationProvider.ops());
    }

    /** A backend with the given vector operations (the scalar definition or a fast path). */
    public CpuBackend(int threads, VectorOps ops) {
        this.parallel = new Parallel(threads, "eggroll-cpu");
        this.ops = ops;
        this.conv = new ConvPath(parallel, ops);
    }

    /** The vector operations this backend runs. */
    public VectorOps ops() {
        return ops;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String device() {
        return "cpu: " + parallel.threads() + " thread" + (parallel.threads() == 1 ? "" : "s") + ", "
                + System.getProperty("os.arch") + ", " + ops.name() + " vector ops";
    }

    @Override
    public void load(ModelState s) {
        this.state = s.copy();
    }

    @Override
    public ModelState state() {
        return requireState().copy();
    }

    private ModelState requireState() {
        if (state == null) {
            throw new IllegalStateException("no model loaded: call load() first");
        }
        return state;
    }

    // ---------------------------------------------------------------- evaluation

    @Override
    public float[] infer(SpikeBatch batch) {
        ModelState st = requireState();
        SnnConfig cfg = st.network();
        checkBatch(cfg, batch);
        if (cfg.hasConv()) {
            return conv.infer(cfg, st.params(), batch);
        }
        int c = cfg.outputs();
        float[] out = new float[batch.samples() * c];
        Params p = st.params();
        int layers = cfg.layers();
        int steps = batch.timesteps();
        boolean membrane = cfg.readout() == Readout.MEMBRANE;
        float decay = cfg.decay();
        float theta = cfg.threshold();
        int width = cfg.maxWidth();
        boolean neurons = cfg.evolvesNeurons();
        float[][] thetas = neurons ? neuronValues(p, true) : null;
        float[][] betas = neurons ? neuronValues(p, false) : null;
        float[][][] v = new float[parallel.threads()][][];
        float[][] cur = new float[parallel.threads()][];
        int[][][] spikes = new int[parallel.threads()][][];
        // The unperturbed forward of LifNetwork.forward, through the vector operations.
        parallel.forEach(batch.samples(), (worker, s) -> {
            if (v[worker] == null) {
                v[worker] = new float[layers][];
                for (int l = 0; l < layers; l++) {
                    v[worker][l] = new float[cfg.fanOut(l) + PAD];
                }
                cur[worker] = new float[width + PAD];
                spikes[worker] = new int[][] {new int[width + PAD], new int[width + PAD]};
            }
            float[] cu = cur[worker];
            for (float[] vl : v[worker]) {
                java.util.Arrays.fill(vl, 0f);
            }
            int scoreOff = s * c;
            for (int t = 0; t < steps; t++) {
                int[] in = batch.indices();
                int from = batch.start(s, t);
                int to = batch.end(s, t);
                for (int l = 0; l < layers; l++) {
                    int n = cfg.fanOut(l);
                    System.arraycopy(p.bias(l), 0, cu, 0, n);
                    ops.addRows(p.weights(l), n, in, from, to, cu, 0);
                    float[] vl = v[worker][l];
                    int[] next = spikes[worker][l & 1];
                    if (l == layers - 1 && membrane) {
                        if (neurons) {
                            ops.integrateNeurons(cu, 0, null, 0, 0f, null, 0f, vl, n, betas[l], out, scoreOff);
                        } else {
                            ops.integrate(cu, 0, null, 0, 0f, null, 0f, vl, n, decay, out, scoreOff);
                        }
                        continue;
                    }
                    int count = neurons
                            ? ops.lifStepNeurons(cu, 0, null, 0, 0f, null, 0f, vl, n, betas[l], thetas[l], next)
                            : ops.lifStep(cu, 0, null, 0, 0f, null, 0f, vl, n, decay, theta, next);
                    if (l == layers - 1) {
                        for (int k = 0; k < count; k++) {
                            out[scoreOff + next[k]] += 1f;
                        }
                    }
                    in = next;
                    from = 0;
                    to = count;
                }
            }
            float[] vl = v[worker][layers - 1];
            for (int j = 0; j < c; j++) {
                out[scoreOff + j] = membrane ? out[scoreOff + j] / steps
                        : out[scoreOff + j] + vl[j] / (neurons ? thetas[layers - 1][j] : theta);
            }
        });
        return out;
    }

    /** Every layer's thresholds (or decays) as they act, unperturbed ({@link Neurons}), padded. */
    private static float[][] neuronValues(Params p, boolean thresholds) {
        SnnConfig cfg = p.config();
        float[][] out = new float[cfg.layers()][];
        for (int l = 0; l < out.length; l++) {
            out[l] = new float[cfg.fanOut(l) + PAD];
            if (thresholds) {
                Neurons.thresholds(p, l, null, 0f, out[l]);
            } else {
                Neurons.decays(p, l, null, 0f, out[l]);
            }
        }
        return out;
    }

    @Override
    public float[] evaluate(SpikeBatch batch, Generation g, int firstPair, int pairCount) {
        ModelState st = requireState();
        SnnConfig cfg = st.network();
        EsConfig es = g.es();
        es.validateFor(cfg);
        checkBatch(cfg, batch);
        if (cfg.hasConv()) {
            checkPairs(es, firstPair, pairCount);
            return conv.evaluate(cfg, st.params(), batch, g, firstPair, pairCount);
        }
        int samples = batch.samples();
        int steps = batch.timesteps();
        int n0 = cfg.fanOut(0);
        Params p = st.params();

        // x W + b for layer 1, once for all members.
        float[] base0 = new float[samples * steps * n0 + PAD];
        float[] w0 = p.weights(0);
        float[] b0 = p.bias(0);
        parallel.forEach(samples, (worker, s) -> {
            for (int t = 0; t < steps; t++) {
                int off = (s * steps + t) * n0;
                System.arraycopy(b0, 0, base0, off, n0);
                ops.addRows(w0, n0, batch.indices(), batch.start(s, t), batch.end(s, t), base0, off);
            }
        });

        checkPairs(es, firstPair, pairCount);
        float[] u0 = layerOneProjections(cfg, g, batch, firstPair, pairCount);
        float[] out = new float[2 * pairCount * samples * cfg.outputs()];
        PairScratch[] scratch = new PairScratch[parallel.threads()];
        parallel.forEach(pairCount, (worker, k) -> {
            PairScratch sc = scratch[worker];
            if (sc == null) {
                sc = scratch[worker] = new PairScratch(cfg, es, steps);
            }
            evaluatePair(sc, cfg, p, g, batch, base0, u0, firstPair, pairCount, firstPair + k, 2 * firstPair, out);
        });
        return out;
    }

    /** The most floats {@link #layerOneProjections} allocates for one evaluation (64 MiB each array). */
    public static final long MAX_PROJECTIONS = 1L << 24;

    /**
     * {@code x A} of layer 1 for every pair, sample and step at once (EGGROLL), as
     * {@code u[((s * steps + t) * pairCount + k) * r + q]}; null where it does not apply (full rank) or
     * would exceed {@link #MAX_PROJECTIONS}, and each pair then projects on its own.
     *
     * <p>The pairs' A factors are laid side by side ({@code inputs × pairCount·r}), so one
     * {@link VectorOps#addRows} per step sums the rows the active inputs select for all pairs
     * together: element (k, q) is still {@code 0 + a[i_1] + a[i_2] + ...} in active-input order, the
     * sum {@link Eggroll#project} forms (same bits), but the additions run across pairs in vectors
     * instead of one dependent chain per pair.
     */
    private float[] layerOneProjections(SnnConfig cfg, Generation g, SpikeBatch batch, int firstPair, int pairCount) {
        EsConfig es = g.es();
        int r = es.rank();
        int m = cfg.fanIn(0);
        int samples = batch.samples();
        int steps = batch.timesteps();
        long width = (long) pairCount * r;
        if (es.mode() != EsMode.EGGROLL || width * samples * steps > MAX_PROJECTIONS
                || width * m > MAX_PROJECTIONS) {
            return null;
        }
        int w = (int) width;
        float[] side = new float[m * w + PAD];
        float[][] tmp = new float[parallel.threads()][];
        parallel.forEach(pairCount, (worker, k) -> {
            float[] a = tmp[worker];
            if (a == null) {
                a = tmp[worker] = new float[m * r];
            }
            Eggroll.factorA(g.seed(), firstPair + k, g.index(), 0, es.noise(), m, r, a);
            for (int i = 0; i < m; i++) {
                System.arraycopy(a, i * r, side, i * w + k * r, r);
            }
        });
        float[] u = new float[samples * steps * w + PAD];
        int[] idx = batch.indices();
        parallel.forEach(samples, (worker, s) -> {
            for (int t = 0; t < steps; t++) {
                ops.addRows(side, w, idx, batch.start(s, t), batch.end(s, t), u, (s * steps + t) * w);
            }
        });
        return u;
    }

    /** Per-worker buffers: at most r(m + n) perturbation values per layer in flight. */
    private static final class PairScratch {
        final float[][] factorA;   // EGGROLL: m x r; full rank: m x n (E)
        final float[][] factorBt;  // EGGROLL: B transposed, r x n (contiguous rows for the expand)
        final float[][] biasNoise; // n
        final float[] p0;          // (x A0) B0^T (or x E0) of every step of the current sample: shared by the pair
        final float[] u0;          // x A0 of every step of the current sample
        final float[][] wa;        // narrow layers above the first: [W | A] (m x (n + r)), or null
        final int[] count0 = new int[2]; // layer 1's spike count of each member at the current step
        final float[][][] v;       // [member of the pair][layer][neuron]
        final float[] cur;         // input current of a layer above the first
        final float[] proj;
        final float[] u;
        final float[] bTmp;
        final int[][] in;
        /** Evolved neuron parameters ({@link Neurons}): [member of the pair][layer][neuron] as they act, or null. */
        final float[][][] theta;
        final float[][][] beta;
        final float[] neuronNoise;
        /** Each member's readout sums of the current sample, for {@link VectorOps#readoutStep} (padded). */
        final float[][] acc;

        PairScratch(SnnConfig cfg, EsConfig es, int steps) {
            int layers = cfg.layers();
            factorA = new float[layers][];
            factorBt = new float[layers][];
            biasNoise = new float[layers][];
            v = new float[2][layers][];
            int maxN = 0;
            for (int l = 0; l < layers; l++) {
                int m = cfg.fanIn(l);
                int n = cfg.fanOut(l);
                maxN = Math.max(maxN, n);
                if (es.mode() == EsMode.EGGROLL) {
                    factorA[l] = new float[m * es.rank() + PAD];
                    factorBt[l] = new float[n * es.rank() + PAD];
                } else {
                    factorA[l] = new float[Math.addExact(Math.multiplyExact(m, n), PAD)];
                }
                biasNoise[l] = new float[n + PAD];
                v[0][l] = new float[n + PAD];
                v[1][l] = new float[n + PAD];
            }
            p0 = new float[steps * cfg.fanOut(0) + PAD];
            u0 = new float[steps * Math.max(1, es.rank())];
            int width = cfg.maxWidth();
            cur = new float[width + PAD];
            proj = new float[width + PAD];
            u = new float[Math.max(1, es.rank()) + PAD];
            bTmp = new float[maxN * Math.max(1, es.rank())];
            wa = new float[layers][];
            for (int l = 1; l < layers; l++) {
                int n = cfg.fanOut(l);
                if (es.mode() == EsMode.EGGROLL && n + es.rank() <= WIDE_ROW) {
                    wa[l] = new float[cfg.fanIn(l) * (n + es.rank()) + PAD];
                }
            }
            in = new int[][] {new int[width + PAD], new int[width + PAD]};
            acc = new float[][] {new float[cfg.outputs() + PAD], new float[cfg.outputs() + PAD]};
            boolean neurons = cfg.evolvesNeurons();
            theta = neurons ? new float[2][layers][] : null;
            beta = neurons ? new float[2][layers][] : null;
            neuronNoise = neurons ? new float[width + PAD] : null;
            for (int m = 0; neurons && m < 2; m++) {
                for (int l = 0; l < layers; l++) {
                    theta[m][l] = new float[cfg.fanOut(l) + PAD];
                    beta[m][l] = new float[cfg.fanOut(l) + PAD];
                }
            }
        }

        /**
         * Both members' thresholds and decays of every layer as they act: the pair's noise of the
         * neuron parameters with the sign of each member, as {@link io.eggroll.es.Definition} forms them.
         */
        void neuronParams(SnnConfig cfg, Params p, Generation g, int pair) {
            EsConfig es = g.es();
            for (int l = 0; l < cfg.layers(); l++) {
                int n = cfg.fanOut(l);
                for (int kind : new int[] {Noise.KIND_THRESHOLD, Noise.KIND_DECAY}) {
                    boolean thresholds = kind == Noise.KIND_THRESHOLD;
                    boolean evolved = thresholds ? cfg.thresholdActs(l) : cfg.evolveDecay();
                    if (evolved) {
                        Eggroll.vectorNoise(g.seed(), pair, g.index(), l, kind, es.noise(), n, neuronNoise);
                    }
                    for (int m = 0; m < 2; m++) {
                        float sb = Generation.sign(2 * pair + m) * es.sigma();
                        float[] e = evolved ? neuronNoise : null;
                        if (thresholds) {
                            Neurons.thresholds(p, l, e, sb, theta[m][l]);
                        } else {
                            Neurons.decays(p, l, e, sb, beta[m][l]);
                        }
                    }
                }
            }
        }
    }

    private void evaluatePair(PairScratch sc, SnnConfig cfg, Params p, Generation g, SpikeBatch batch,
                              float[] base0, float[] u0, int firstPair, int pairCount, int pair, int memberOffset,
                              float[] out) {
        EsConfig es = g.es();
        boolean lowRank = es.mode() == EsMode.EGGROLL;
        int layers = cfg.layers();
        int r = es.rank();
        for (int l = 0; l < layers; l++) {
            int m = cfg.fanIn(l);
            int n = cfg.fanOut(l);
            // layer 1's A is not needed where layerOneProjections already used it
            layerNoise(g, pair, l, m, n, l == 0 && u0 != null ? null : sc.factorA[l], sc.factorBt[l], sc.bTmp,
                    sc.biasNoise[l]);
            float[] wa = sc.wa[l];
            if (wa != null) {
                float[] w = p.weights(l);
                for (int i = 0; i < m; i++) {
                    System.arraycopy(w, i * n, wa, i * (n + r), n);
                    System.arraycopy(sc.factorA[l], i * r, wa, i * (n + r) + n, r);
                }
            }
        }
        boolean neurons = cfg.evolvesNeurons();
        if (neurons) {
            sc.neuronParams(cfg, p, g, pair);
        }
        int samples = batch.samples();
        int steps = batch.timesteps();
        int n0 = cfg.fanOut(0);
        int[] idx = batch.indices();
        float scaleR = lowRank ? es.sigmaLowRank() : es.sigma();
        float sigma = es.sigma();
        int classes = cfg.outputs();
        boolean membrane = cfg.readout() == Readout.MEMBRANE;
        float decay = cfg.decay();
        float theta = cfg.threshold();
        int last = layers - 1;
        // A membrane readout above a narrow [W | A] layer takes each step in one fused op that sums
        // into sc.acc; the sums are copied to out when the sample ends.
        boolean fused = layers > 1 && membrane && !neurons && sc.wa[last] != null;
        for (int s = 0; s < samples; s++) {
            for (int m = 0; m < 2; m++) {
                for (int l = 0; l < layers; l++) {
                    java.util.Arrays.fill(sc.v[m][l], 0f);
                }
                if (fused) {
                    java.util.Arrays.fill(sc.acc[m], 0f);
                }
            }
            // Layer 1's perturbation depends only on the input: once per sample for both members,
            // which differ only in its sign; all steps at once, so each row of B is loaded once for
            // several steps.
            if (lowRank) {
                for (int t = 0; t < steps; t++) {
                    if (u0 != null) {
                        System.arraycopy(u0, ((s * steps + t) * pairCount + pair - firstPair) * r, sc.u0, t * r, r);
                    } else {
                        project(ops, sc.factorA[0], r, idx, batch.start(s, t), batch.end(s, t), sc.u);
                        System.arraycopy(sc.u, 0, sc.u0, t * r, r);
                    }
                }
                ops.expandFrames(sc.u0, r, steps, sc.factorBt[0], r, n0, sc.p0, 0, n0);
            } else {
                for (int t = 0; t < steps; t++) {
                    perturbation(sc, false, 0, r, n0, idx, batch.start(s, t), batch.end(s, t), sc.p0, t * n0);
                }
            }
            float[] e0 = es.biasNoise() ? sc.biasNoise[0] : null;
            int plusOff = ((2 * pair - memberOffset) * samples + s) * classes;
            int minusOff = ((2 * pair + 1 - memberOffset) * samples + s) * classes;
            boolean allSteps = layers == 1 && !membrane && !neurons;
            if (allSteps) {
                // A single spike-count layer: all steps of both members in one call.
                ops.lifStepCountPairFrames(base0, s * steps * n0, n0, sc.p0, 0, n0, steps, scaleR, e0, sigma,
                        sc.v[0][0], sc.v[1][0], n0, decay, theta, out, plusOff, out, minusOff);
            }
            for (int t = 0; t < steps && !allSteps; t++) {
                int off = (s * steps + t) * n0;
                // Layer 1 for both members in one pass (member 2k has sign +1, 2k+1 sign -1), unless it
                // is a membrane readout.
                int first = 0;
                if (layers > 1 && !neurons) {
                    ops.lifStepPair(base0, off, sc.p0, t * n0, scaleR, e0, sigma, sc.v[0][0], sc.v[1][0], n0, decay,
                            theta, sc.in[0], sc.in[1], sc.count0);
                    first = 1;
                    if (fused && layers == 2) {
                        // Both members' readout step in one call: the signs as the member loop forms them.
                        float sp = Generation.sign(2 * pair);
                        float sm = Generation.sign(2 * pair + 1);
                        ops.readoutStepPair(sc.wa[1], p.bias(1), cfg.fanOut(1), r, sc.factorBt[1],
                                es.biasNoise() ? sc.biasNoise[1] : null, decay,
                                sc.in[0], sc.count0[0], sp * scaleR, sp * sigma, sc.v[0][1], sc.acc[0],
                                sc.in[1], sc.count0[1], sm * scaleR, sm * sigma, sc.v[1][1], sc.acc[1],
                                sc.cur, sc.proj, sc.u);
                        continue;
                    }
                }
                for (int m = 0; m < 2; m++) {
                    int member = 2 * pair + m;
                    float sg = Generation.sign(member);
                    float ss = sg * scaleR;
                    float sb = sg * sigma;
                    int scoreOff = ((member - memberOffset) * samples + s) * classes;
                    float[] cur = sc.cur;
                    int[] in = sc.in[m];
                    int c = first == 1 ? sc.count0[m] : 0;
                    for (int l = first; l < layers; l++) {
                        int n = cfg.fanOut(l);
                        if (fused && l == last) {
                            ops.readoutStep(sc.wa[l], p.bias(l), n, r, in, c, sc.factorBt[l], ss,
                                    es.biasNoise() ? sc.biasNoise[l] : null, sb, sc.v[m][l], decay, sc.acc[m], cur,
                                    sc.proj, sc.u);
                            continue;
                        }
                        float[] base = base0;
                        int baseOff = off;
                        float[] pert = sc.p0;
                        int pertOff = t * n0;
                        if (l > 0) {
                            System.arraycopy(p.bias(l), 0, cur, 0, n);
                            if (sc.wa[l] != null) {
                                // x [W | A] in one pass: the same sums as x W and x A, each from its start
                                java.util.Arrays.fill(cur, n, n + r, 0f);
                                ops.addRows(sc.wa[l], n + r, in, 0, c, cur, 0);
                                System.arraycopy(cur, n, sc.u, 0, r);
                                ops.expand(sc.u, sc.factorBt[l], r, n, sc.proj, 0);
                            } else {
                                ops.addRows(p.weights(l), n, in, 0, c, cur, 0);
                                perturbation(sc, lowRank, l, r, n, in, 0, c, sc.proj, 0);
                            }
                            base = cur;
                            baseOff = 0;
                            pert = sc.proj;
                            pertOff = 0;
                        }
                        float[] e = es.biasNoise() ? sc.biasNoise[l] : null;
                        float[] v = sc.v[m][l];
                        if (neurons) {
                            // Evolved neuron parameters: each member's own decays and thresholds.
                            c = neuronStep(sc, m, l, l == layers - 1, membrane, base, baseOff, pert, pertOff, ss, e, sb,
                                    v, n, in, out, scoreOff);
                        } else if (l == layers - 1) {
                            if (membrane) {
                                ops.integrate(base, baseOff, pert, pertOff, ss, e, sb, v, n, decay, out, scoreOff);
                            } else {
                                ops.lifStepCount(base, baseOff, pert, pertOff, ss, e, sb, v, n, decay, theta, out,
                                        scoreOff);
                            }
                        } else {
                            c = ops.lifStep(base, baseOff, pert, pertOff, ss, e, sb, v, n, decay, theta, in);
                        }
                    }
                }
            }
            for (int m = 0; m < 2; m++) {
                int scoreOff = ((2 * pair + m - memberOffset) * samples + s) * classes;
                if (fused) {
                    System.arraycopy(sc.acc[m], 0, out, scoreOff, classes);
                }
                float[] vl = sc.v[m][layers - 1];
                for (int j = 0; j < classes; j++) {
                    out[scoreOff + j] = membrane ? out[scoreOff + j] / steps
                            : out[scoreOff + j] + vl[j] / (neurons ? sc.theta[m][layers - 1][j] : theta);
                }
            }
        }
    }

    /**
     * One layer's step of member m with its own decays and thresholds ({@link PairScratch#neuronParams}):
     * the last layer adds to the readout at {@code out[scoreOff ..]} (returns 0), a hidden layer
     * writes its spikes to {@code in} and returns their number.
     */
    private int neuronStep(PairScratch sc, int m, int l, boolean last, boolean membrane, float[] base, int baseOff,
                           float[] pert, int pertOff, float ss, float[] e, float sb, float[] v, int n, int[] in,
                           float[] out, int scoreOff) {
        float[] beta = sc.beta[m][l];
        if (last && membrane) {
            ops.integrateNeurons(base, baseOff, pert, pertOff, ss, e, sb, v, n, beta, out, scoreOff);
        } else if (last) {
            ops.lifStepCountNeurons(base, baseOff, pert, pertOff, ss, e, sb, v, n, beta, sc.theta[m][l], out,
                    scoreOff);
        } else {
            return ops.lifStepNeurons(base, baseOff, pert, pertOff, ss, e, sb, v, n, beta, sc.theta[m][l], in);
        }
        return 0;
    }

    /**
     * A pair's noise of weight layer l ({@code m x n}): EGGROLL's A ({@code m x r}) into {@code a} (none
     * when {@code a} is null) and B transposed ({@code r x n}, the layout of the expand) into
     * {@code bt} (through {@code bTmp}), or full rank's E into {@code a}; the bias noise into
     * {@code bias} when biases are perturbed.
     */
    static void layerNoise(Generation g, int pair, int l, int m, int n, float[] a, float[] bt, float[] bTmp,
                           float[] bias) {
        EsConfig es = g.es();
        NoiseKind noise = es.noise();
        int r = es.rank();
        if (es.mode() == EsMode.EGGROLL) {
            if (a != null) {
                Eggroll.factorA(g.seed(), pair, g.index(), l, noise, m, r, a);
            }
            Eggroll.factorB(g.seed(), pair, g.index(), l, noise, n, r, bTmp);
            for (int j = 0; j < n; j++) {
                for (int q = 0; q < r; q++) {
                    bt[q * n + j] = bTmp[j * r + q];
                }
            }
        } else {
            Eggroll.fullNoise(g.seed(), pair, g.index(), l, noise, m, n, a);
        }
        if (es.biasNoise()) {
            Eggroll.biasNoise(g.seed(), pair, g.index(), l, noise, n, bias);
        }
    }

    /**
     * {@code u = x A} (the sums of {@link Eggroll#project}, from 0 in active-input order): for
     * r >= 4 one masked vector row per active input, below that the scalar loop. Shared with
     * {@link ConvPath}.
     */
    static void project(VectorOps ops, float[] a, int r, int[] active, int from, int to, float[] u) {
        if (r < 4) {
            Eggroll.project(a, r, active, from, to, u);
            return;
        }
        java.util.Arrays.fill(u, 0, r, 0f);
        ops.addRows(a, r, active, from, to, u, 0);
    }

    /** The unscaled perturbation of a layer's current: {@code (x A) B^T} or {@code x E}. */
    private void perturbation(PairScratch sc, boolean lowRank, int l, int r, int n, int[] active, int from,
                              int to, float[] dst, int off) {
        if (lowRank) {
            project(ops, sc.factorA[l], r, active, from, to, sc.u);
            ops.expand(sc.u, sc.factorBt[l], r, n, dst, off);
        } else {
            java.util.Arrays.fill(dst, off, off + n, 0f);
            ops.addRows(sc.factorA[l], n, active, from, to, dst, off);
        }
    }

    private static void checkPairs(EsConfig es, int firstPair, int pairCount) {
        if (firstPair < 0 || pairCount < 0 || firstPair + pairCount > es.pairs()) {
            throw new IllegalArgumentException("pairs [" + firstPair + ", " + (firstPair + pairCount)
                    + ") out of range for population " + es.population());
        }
    }

    private static void checkBatch(SnnConfig cfg, SpikeBatch batch) {
        if (batch.inputs() != cfg.inputs()) {
            throw new IllegalArgumentException("batch has " + batch.inputs() + " inputs but the network expects "
                    + cfg.inputs());
        }
    }

    // ---------------------------------------------------------------- update

    @Override
    public void update(Generation g, float[] shapedFitness, int effectivePopulation, float learningRate) {
        ModelState st = requireState();
        SnnConfig cfg = st.network();
        EsConfig es = g.es();
        if (shapedFitness.length != es.population()) {
            throw new IllegalArgumentException("shaped fitness has " + shapedFitness.length + " entries, population is "
                    + es.population());
        }
        float[] d = Eggroll.pairWeights(shapedFitness);
        int[] live = livePairs(d); // pairs whose weight is 0 add nothing to any sum
        float[][] tensors = st.params().tensors();
        float[][] grads = new float[tensors.length][];
        boolean lowRank = es.mode() == EsMode.EGGROLL;
        float wScale = Eggroll.gradientScale(es, effectivePopulation, lowRank);
        float bScale = Eggroll.gradientScale(es, effectivePopulation, false);
        for (int l = 0; l < cfg.layers(); l++) {
            int m = cfg.fanIn(l);
            int n = cfg.fanOut(l);
            float[] gw = lowRank ? lowRankSum(g, l, m, n, d, live) : fullRankSum(g, l, m, n, d, live);
            scale(gw, wScale);
            grads[2 * l] = gw;
            grads[2 * l + 1] = es.biasNoise() ? vectorGradient(g, l, Noise.KIND_BIAS, n, d, live, bScale)
                    : new float[n];
        }
        Params p = st.params();
        for (int l = 0; l < cfg.layers(); l++) {
            int n = cfg.fanOut(l);
            if (cfg.evolveThreshold()) {
                grads[p.thresholdTensor(l)] = cfg.thresholdActs(l)
                        ? vectorGradient(g, l, Noise.KIND_THRESHOLD, n, d, live, bScale) : new float[n];
            }
            if (cfg.evolveDecay()) {
                grads[p.decayTensor(l)] = vectorGradient(g, l, Noise.KIND_DECAY, n, d, live, bScale);
            }
        }
        applyOptimizer(st, tensors, grads, es.biasNoise(), learningRate);
    }

    /**
     * {@code scale sum_k d_k e_k} over the live pairs' noise vectors e_k of one per-neuron kind
     * (bias, threshold, decay) of layer l, pairs in increasing order from 0.
     */
    private float[] vectorGradient(Generation g, int l, int kind, int n, float[] d, int[] live, float scale) {
        float[] sum = new float[n];
        float[] e = new float[n];
        for (int k : live) {
            Eggroll.vectorNoise(g.seed(), k, g.index(), l, kind, g.es().noise(), n, e);
            ops.axpy(d[k], e, 0, sum, 0, n);
        }
        scale(sum, scale);
        return sum;
    }

    private void scale(float[] x, float s) {
        parallel.forRanges(x.length, 1 << 16, (w, from, to) -> ops.scale(x, s, from, to));
    }

    /**
     * {@code A_cat diag(d) B_cat^T} for one layer: one (m x P r)(P r x n) product over the P pairs
     * whose weight is not 0 (the others add nothing), in fixed blocks of pairs. Every element sums
     * its terms in column order (pairs increasing, then q), so neither the blocking nor the thread
     * count changes the bits.
     */
    private float[] lowRankSum(Generation g, int l, int m, int n, float[] d, int[] live) {
        EsConfig es = g.es();
        int r = es.rank();
        float[] sum = new float[m * n];
        for (int k0 = 0; k0 < live.length; k0 += UPDATE_PAIR_BLOCK) {
            int kn = Math.min(live.length, k0 + UPDATE_PAIR_BLOCK) - k0;
            int q = kn * r;
            float[] aCat = new float[m * q];  // m x (kn r)
            float[] bCat = new float[q * n];  // (kn r) x n, already scaled by d_k
            int base = k0;
            float[][] aBuf = new float[parallel.threads()][];
            float[][] bBuf = new float[parallel.threads()][];
            parallel.forEach(kn, (w, kk) -> {
                int k = live[base + kk];
                float[] a = aBuf[w] == null ? (aBuf[w] = new float[m * r]) : aBuf[w];
                float[] b = bBuf[w] == null ? (bBuf[w] = new float[n * r]) : bBuf[w];
                Eggroll.factorA(g.seed(), k, g.index(), l, es.noise(), m, r, a);
                Eggroll.factorB(g.seed(), k, g.index(), l, es.noise(), n, r, b);
                for (int i = 0; i < m; i++) {
                    System.arraycopy(a, i * r, aCat, i * q + kk * r, r);
                }
                float dk = d[k];
                for (int c = 0; c < r; c++) {
                    int row = (kk * r + c) * n;
                    for (int j = 0; j < n; j++) {
                        bCat[row + j] = dk * b[j * r + c];
                    }
                }
            });
            // Row tasks: each owns its rows of the sum, and runs the register-blocked kernel over
            // column panels of B_cat that stay in cache across its rows.
            // Two row tasks per thread: long enough to reuse each cached panel of B_cat over many rows.
            int rowsPerTask = Math.max(UPDATE_ROW_ALIGN,
                    Math.ceilDiv(Math.ceilDiv(m, 2 * parallel.threads()), UPDATE_ROW_ALIGN) * UPDATE_ROW_ALIGN);
            parallel.forRanges(m, rowsPerTask, (w, from, to) -> {
                for (int j0 = 0; j0 < n; j0 += COLUMN_TILE) {
                    ops.gemmAccumulate(aCat, bCat, sum, q, n, from, to, j0, Math.min(n, j0 + COLUMN_TILE));
                }
            });
        }
        return sum;
    }

    /** Indices of the pairs whose weight is not 0, in increasing order. */
    private static int[] livePairs(float[] d) {
        int count = 0;
        for (float x : d) {
            count += x != 0f ? 1 : 0;
        }
        int[] live = new int[count];
        for (int k = 0, c = 0; k < d.length; k++) {
            if (d[k] != 0f) {
                live[c++] = k;
            }
        }
        return live;
    }

    /** {@code sum_k d_k E_k} for one layer, one weight row at a time (rows are random-access). */
    private float[] fullRankSum(Generation g, int l, int m, int n, float[] d, int[] live) {
        EsConfig es = g.es();
        float[] sum = new float[m * n];
        float[][] rowBuf = new float[parallel.threads()][];
        int stream = io.eggroll.rng.Noise.stream(l, io.eggroll.rng.Noise.KIND_FULL);
        parallel.forEach(m, (w, i) -> {
            float[] e = rowBuf[w];
            if (e == null) {
                e = rowBuf[w] = new float[n];
            }
            int out = i * n;
            for (int k : live) {
                io.eggroll.rng.Noise.fill(g.seed(), k, g.index(), stream, es.noise(), (long) i * n, n, e, 0);
                ops.axpy(d[k], e, 0, sum, out, n);
            }
        });
        return sum;
    }

    private void applyOptimizer(ModelState st, float[][] tensors, float[][] grads, boolean trainBias,
                                float learningRate) {
        OptimizerConfig oc = st.optimizer();
        long t = st.optimizerState().step() + 1;
        st.optimizerState().setStep(t);
        float[][] m = st.optimizerState().first();
        float[][] v = st.optimizerState().second();
        for (int i = 0; i < tensors.length; i++) {
            if (!trainBias && st.params().isBias(i) || !st.params().trains(i)) {
                continue;
            }
            float[] theta = tensors[i];
            float[] gi = grads[i];
            float[] mi = m[i];
            float[] vi = v[i];
            parallel.forRanges(theta.length, 1 << 15, (w, from, to) -> Optimizer.apply(oc, learningRate, t, theta, gi, mi, vi, from, to));
        }
    }

    @Override
    public void close() {
        parallel.close();
    }
}
