package io.eggroll.backend.cpu;

import io.eggroll.backend.Backend;
import io.eggroll.backend.ModelState;
import io.eggroll.es.EsConfig;
import io.eggroll.es.EsMode;
import io.eggroll.es.Eggroll;
import io.eggroll.es.Generation;
import io.eggroll.es.Optimizer;
import io.eggroll.es.OptimizerConfig;
import io.eggroll.rng.NoiseKind;
import io.eggroll.snn.Lif;
import io.eggroll.snn.LifNetwork;
import io.eggroll.snn.Params;
import io.eggroll.snn.Readout;
import io.eggroll.snn.SnnConfig;
import io.eggroll.snn.SpikeBatch;
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

    /** Columns per tile of the update product (a tile of B_cat rows stays in L2). */
    static final int COLUMN_TILE = 512;

    private final Parallel parallel;
    private ModelState state;

    public CpuBackend(int threads) {
        this.parallel = new Parallel(threads, "eggroll-cpu");
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String device() {
        return "cpu: " + parallel.threads() + " thread" + (parallel.threads() == 1 ? "" : "s") + ", "
                + System.getProperty("os.arch");
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
        int c = cfg.outputs();
        float[] out = new float[batch.samples() * c];
        float[][] w = new float[cfg.layers()][];
        float[][] b = new float[cfg.layers()][];
        for (int l = 0; l < cfg.layers(); l++) {
            w[l] = st.params().weights(l);
            b[l] = st.params().bias(l);
        }
        parallel.forEach(batch.samples(), (worker, s) ->
                System.arraycopy(LifNetwork.forward(cfg, w, b, batch, s), 0, out, s * c, c));
        return out;
    }

    @Override
    public float[] evaluate(SpikeBatch batch, Generation g, int firstPair, int pairCount) {
        ModelState st = requireState();
        SnnConfig cfg = st.network();
        EsConfig es = g.es();
        es.validateFor(cfg);
        checkBatch(cfg, batch);
        int samples = batch.samples();
        int steps = batch.timesteps();
        int n0 = cfg.fanOut(0);
        Params p = st.params();

        // x W + b for layer 1, once for all members.
        float[] base0 = new float[samples * steps * n0];
        float[] w0 = p.weights(0);
        float[] b0 = p.bias(0);
        parallel.forEach(samples, (worker, s) -> {
            for (int t = 0; t < steps; t++) {
                int off = (s * steps + t) * n0;
                System.arraycopy(b0, 0, base0, off, n0);
                Eggroll.gatherRows(w0, n0, batch.indices(), batch.start(s, t), batch.end(s, t), base0, off);
            }
        });

        if (firstPair < 0 || pairCount < 0 || firstPair + pairCount > es.pairs()) {
            throw new IllegalArgumentException("pairs [" + firstPair + ", " + (firstPair + pairCount)
                    + ") out of range for population " + es.population());
        }
        float[] out = new float[2 * pairCount * samples * cfg.outputs()];
        PairScratch[] scratch = new PairScratch[parallel.threads()];
        parallel.forEach(pairCount, (worker, k) -> {
            PairScratch sc = scratch[worker];
            if (sc == null) {
                sc = scratch[worker] = new PairScratch(cfg, es, samples * steps);
            }
            evaluatePair(sc, cfg, p, g, batch, base0, firstPair + k, 2 * firstPair, out);
        });
        return out;
    }

    /** Per-worker buffers: at most r(m + n) perturbation values per layer in flight. */
    private static final class PairScratch {
        final float[][] factorA;   // EGGROLL: m x r; full rank: m x n (E)
        final float[][] factorBt;  // EGGROLL: B transposed, r x n (contiguous rows for the expand)
        final float[][] biasNoise; // n
        final float[] shared0;     // (x A0) B0^T (or x E0) for every (sample, step): shared by the pair
        final float[][][] v;       // [member of the pair][layer][neuron]
        final float[][] cur;       // [member of the pair][neuron]
        final float[] proj;
        final float[] u;
        final float[] bTmp;
        final int[][] in;
        final int[] out;

        PairScratch(SnnConfig cfg, EsConfig es, int frames) {
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
                    factorA[l] = new float[m * es.rank()];
                    factorBt[l] = new float[n * es.rank()];
                } else {
                    factorA[l] = new float[Math.multiplyExact(m, n)];
                }
                biasNoise[l] = new float[n];
                v[0][l] = new float[n];
                v[1][l] = new float[n];
            }
            shared0 = new float[frames * cfg.fanOut(0)];
            int width = cfg.maxWidth();
            cur = new float[][] {new float[width], new float[width]};
            proj = new float[width];
            u = new float[Math.max(1, es.rank())];
            bTmp = new float[maxN * Math.max(1, es.rank())];
            in = new int[][] {new int[width], new int[width]};
            out = new int[width];
        }
    }

    private static void evaluatePair(PairScratch sc, SnnConfig cfg, Params p, Generation g, SpikeBatch batch,
                                     float[] base0, int pair, int memberOffset, float[] out) {
        EsConfig es = g.es();
        boolean lowRank = es.mode() == EsMode.EGGROLL;
        int layers = cfg.layers();
        int r = es.rank();
        NoiseKind noise = es.noise();
        for (int l = 0; l < layers; l++) {
            int m = cfg.fanIn(l);
            int n = cfg.fanOut(l);
            if (lowRank) {
                Eggroll.factorA(g.seed(), pair, g.index(), l, noise, m, r, sc.factorA[l]);
                Eggroll.factorB(g.seed(), pair, g.index(), l, noise, n, r, sc.bTmp);
                float[] bt = sc.factorBt[l];
                for (int j = 0; j < n; j++) {
                    for (int q = 0; q < r; q++) {
                        bt[q * n + j] = sc.bTmp[j * r + q];
                    }
                }
            } else {
                Eggroll.fullNoise(g.seed(), pair, g.index(), l, noise, m, n, sc.factorA[l]);
            }
            if (es.biasNoise()) {
                Eggroll.biasNoise(g.seed(), pair, g.index(), l, noise, n, sc.biasNoise[l]);
            }
        }
        int samples = batch.samples();
        int steps = batch.timesteps();
        int n0 = cfg.fanOut(0);
        int[] idx = batch.indices();
        // Layer 1's perturbation term depends only on the input: compute it once for both signs.
        for (int s = 0; s < samples; s++) {
            for (int t = 0; t < steps; t++) {
                int off = (s * steps + t) * n0;
                perturbation(sc, lowRank, 0, r, n0, idx, batch.start(s, t), batch.end(s, t), sc.shared0, off);
            }
        }
        float scaleR = lowRank ? es.sigmaLowRank() : es.sigma();
        float sigma = es.sigma();
        int classes = cfg.outputs();
        boolean membrane = cfg.readout() == Readout.MEMBRANE;
        float decay = cfg.decay();
        float theta = cfg.threshold();
        float[] eb0 = es.biasNoise() ? sc.biasNoise[0] : null;
        float[] curP = sc.cur[0];
        float[] curM = sc.cur[1];
        int[] count = new int[2];
        for (int s = 0; s < samples; s++) {
            for (int m = 0; m < 2; m++) {
                for (int l = 0; l < layers; l++) {
                    java.util.Arrays.fill(sc.v[m][l], 0f);
                }
            }
            for (int t = 0; t < steps; t++) {
                int off = (s * steps + t) * n0;
                // Layer 1 for both members in one pass: they differ only in the sign of the
                // perturbation, (base - q) being exactly base + (-scale) p.
                for (int j = 0; j < n0; j++) {
                    float b = base0[off + j];
                    float q = scaleR * sc.shared0[off + j];
                    curP[j] = b + q;
                    curM[j] = b - q;
                }
                if (eb0 != null) {
                    for (int j = 0; j < n0; j++) {
                        float e = sigma * eb0[j];
                        curP[j] += e;
                        curM[j] -= e;
                    }
                }
                for (int m = 0; m < 2; m++) {
                    int member = 2 * pair + m;
                    float sg = Generation.sign(member);
                    int scoreOff = ((member - memberOffset) * samples + s) * classes;
                    float[] cur = sc.cur[m];
                    int[] in = sc.in[m];
                    int c = 0;
                    for (int l = 0; l < layers; l++) {
                        int n = cfg.fanOut(l);
                        if (l > 0) {
                            System.arraycopy(p.bias(l), 0, cur, 0, n);
                            Eggroll.gatherRows(p.weights(l), n, in, 0, c, cur, 0);
                            perturbation(sc, lowRank, l, r, n, in, 0, c, sc.proj, 0);
                            float ss = sg * scaleR;
                            for (int j = 0; j < n; j++) {
                                cur[j] += ss * sc.proj[j];
                            }
                            if (es.biasNoise()) {
                                float sb = sg * sigma;
                                float[] e = sc.biasNoise[l];
                                for (int j = 0; j < n; j++) {
                                    cur[j] += sb * e[j];
                                }
                            }
                        }
                        float[] v = sc.v[m][l];
                        if (l == layers - 1) {
                            if (membrane) {
                                Lif.integrate(v, cur, n, decay);
                                for (int j = 0; j < n; j++) {
                                    out[scoreOff + j] += v[j];
                                }
                            } else {
                                c = Lif.step(v, cur, n, decay, theta, sc.out);
                                for (int k = 0; k < c; k++) {
                                    out[scoreOff + sc.out[k]] += 1f;
                                }
                            }
                        } else {
                            c = Lif.step(v, cur, n, decay, theta, in);
                        }
                    }
                    count[m] = c;
                }
            }
            for (int m = 0; m < 2; m++) {
                int scoreOff = ((2 * pair + m - memberOffset) * samples + s) * classes;
                float[] vl = sc.v[m][layers - 1];
                for (int j = 0; j < classes; j++) {
                    out[scoreOff + j] = membrane ? out[scoreOff + j] / steps : out[scoreOff + j] + vl[j] / theta;
                }
            }
        }
    }

    /** The unscaled perturbation of a layer's current: {@code (x A) B^T} or {@code x E}. */
    private static void perturbation(PairScratch sc, boolean lowRank, int l, int r, int n, int[] active, int from,
                                     int to, float[] dst, int off) {
        if (lowRank) {
            Eggroll.project(sc.factorA[l], r, active, from, to, sc.u);
            Eggroll.expandTransposed(sc.u, sc.factorBt[l], r, n, dst, off);
        } else {
            java.util.Arrays.fill(dst, off, off + n, 0f);
            Eggroll.gatherRows(sc.factorA[l], n, active, from, to, dst, off);
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
        float[][] tensors = st.params().tensors();
        float[][] grads = new float[tensors.length][];
        boolean lowRank = es.mode() == EsMode.EGGROLL;
        float wScale = Eggroll.gradientScale(es, effectivePopulation, lowRank);
        float bScale = Eggroll.gradientScale(es, effectivePopulation, false);
        for (int l = 0; l < cfg.layers(); l++) {
            int m = cfg.fanIn(l);
            int n = cfg.fanOut(l);
            float[] gw = lowRank ? lowRankSum(g, l, m, n, d) : fullRankSum(g, l, m, n, d);
            scale(gw, wScale);
            grads[2 * l] = gw;
            float[] gb = new float[n];
            if (es.biasNoise()) {
                float[] e = new float[n];
                for (int k = 0; k < d.length; k++) {
                    if (d[k] != 0f) {
                        Eggroll.biasNoise(g.seed(), k, g.index(), l, es.noise(), n, e);
                        for (int j = 0; j < n; j++) {
                            gb[j] += d[k] * e[j];
                        }
                    }
                }
                scale(gb, bScale);
            }
            grads[2 * l + 1] = gb;
        }
        applyOptimizer(st, tensors, grads, es.biasNoise(), learningRate);
    }

    private void scale(float[] x, float s) {
        parallel.forRanges(x.length, 1 << 16, (w, from, to) -> {
            for (int i = from; i < to; i++) {
                x[i] *= s;
            }
        });
    }

    /**
     * {@code A_cat diag(d) B_cat^T} for one layer: one (m x N r)(N r x n) product, computed in
     * fixed blocks of pairs; within a block, each output row sums its terms in column order.
     */
    private float[] lowRankSum(Generation g, int l, int m, int n, float[] d) {
        EsConfig es = g.es();
        int r = es.rank();
        float[] sum = new float[m * n];
        int pairs = d.length;
        for (int k0 = 0; k0 < pairs; k0 += UPDATE_PAIR_BLOCK) {
            int kn = Math.min(pairs, k0 + UPDATE_PAIR_BLOCK) - k0;
            int q = kn * r;
            float[] aCat = new float[m * q];  // m x (kn r)
            float[] bCat = new float[q * n];  // (kn r) x n, already scaled by d_k
            int base = k0;
            parallel.forEach(kn, (w, kk) -> {
                int k = base + kk;
                if (d[k] == 0f) {
                    return;
                }
                float[] a = new float[m * r];
                float[] b = new float[n * r];
                Eggroll.factorA(g.seed(), k, g.index(), l, es.noise(), m, r, a);
                Eggroll.factorB(g.seed(), k, g.index(), l, es.noise(), n, r, b);
                for (int i = 0; i < m; i++) {
                    for (int c = 0; c < r; c++) {
                        aCat[i * q + kk * r + c] = a[i * r + c];
                    }
                }
                for (int c = 0; c < r; c++) {
                    int row = (kk * r + c) * n;
                    for (int j = 0; j < n; j++) {
                        bCat[row + j] = d[k] * b[j * r + c];
                    }
                }
            });
            // Column tiles keep a slice of B_cat in cache across the rows of a task; each element
            // still sums its terms in column order, so the bits do not depend on the tiling.
            int tile = Math.min(n, COLUMN_TILE);
            parallel.forRanges(m, Math.max(1, 4096 / Math.max(1, n / 64)), (w, from, to) -> {
                for (int j0 = 0; j0 < n; j0 += tile) {
                    int j1 = Math.min(n, j0 + tile);
                    for (int i = from; i < to; i++) {
                        int out = i * n;
                        for (int c = 0; c < q; c++) {
                            float a = aCat[i * q + c];
                            if (a == 0f) {
                                continue;
                            }
                            int row = c * n;
                            for (int j = j0; j < j1; j++) {
                                sum[out + j] += a * bCat[row + j];
                            }
                        }
                    }
                }
            });
        }
        return sum;
    }

    /** {@code sum_k d_k E_k} for one layer, one weight row at a time (rows are random-access). */
    private float[] fullRankSum(Generation g, int l, int m, int n, float[] d) {
        EsConfig es = g.es();
        float[] sum = new float[m * n];
        float[][] rowBuf = new float[parallel.threads()][];
        parallel.forEach(m, (w, i) -> {
            float[] e = rowBuf[w];
            if (e == null) {
                e = rowBuf[w] = new float[n];
            }
            int out = i * n;
            for (int k = 0; k < d.length; k++) {
                if (d[k] == 0f) {
                    continue;
                }
                io.eggroll.rng.Noise.fill(g.seed(), k, g.index(), io.eggroll.rng.Noise.stream(l,
                        io.eggroll.rng.Noise.KIND_FULL), es.noise(), (long) i * n, n, e, 0);
                float dk = d[k];
                for (int j = 0; j < n; j++) {
                    sum[out + j] += dk * e[j];
                }
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
            if (!trainBias && i % 2 == 1) {
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
