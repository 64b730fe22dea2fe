package io.eggroll.bench;

import io.eggroll.backend.Backend;
import io.eggroll.backend.ModelState;
import io.eggroll.backend.cpu.CpuBackend;
import io.eggroll.es.EsConfig;
import io.eggroll.es.EsMode;
import io.eggroll.es.Eggroll;
import io.eggroll.es.Generation;
import io.eggroll.simd.VectorOps;
import io.eggroll.simd.VectorizationProvider;
import io.eggroll.snn.Params;
import io.eggroll.snn.Readout;
import io.eggroll.snn.SnnConfig;
import io.eggroll.snn.SpikeBatch;
import io.eggroll.util.Parallel;
import java.util.Arrays;

/**
 * Full-rank ES as the seed paper describes it, a contender of {@code eggroll bench --suite
 * throughput} and nothing else: each member materialises its dense perturbed weights
 * {@code W + s sigma E} (E the full-rank noise stream, {@link Eggroll#fullNoise}, the same as the
 * cpu backend's FULL_RANK mode) and runs a dense product, layer by layer over every frame of the
 * batch: the binary input frames as a dense 0/1 matrix ({@code B T x m}) times the {@code m x n}
 * perturbed matrix with {@link VectorOps#gemmAccumulate} onto the bias, then the LIF over time
 * gives the next layer's dense 0/1 input. The perturbed matrix is materialised one contiguous
 * column panel at a time, just before the product uses it, and the LIF of the panel's neurons
 * follows at once (neurons are independent), so both find their data in cache. Readouts follow the cpu backend's conventions; they
 * agree with it up to float rounding (the sums run in another order), not bit for bit.
 *
 * <p>The update is the existing full-rank update: {@link CpuBackend} in FULL_RANK mode, to which
 * this backend delegates {@link #update}, {@link #infer} and the resident state.
 */
public final class DenseFullRank implements Backend {

    /**
     * Columns of W + s sigma E materialised at a time, contiguous (the usual packing of a matrix
     * product): the product then reads this panel from cache instead of rows n floats apart.
     */
    static final int PANEL = 192;

    /** Frames per {@code gemmAccumulate} call: this block of the 0/1 input matrix stays in cache across the panel. */
    static final int FRAME_BLOCK = 128;

    /** Scratch arrays are this much longer than their data (the vector ops' masked tails stay in the array). */
    static final int PAD = 64;

    private final CpuBackend cpu;
    private final Parallel parallel;
    private final VectorOps ops;
    private ModelState state;

    /** The contender with the vector operations {@link VectorizationProvider} chooses. */
    public DenseFullRank(int threads) {
        this(threads, VectorizationProvider.ops());
    }

    public DenseFullRank(int threads, VectorOps ops) {
        this.cpu = new CpuBackend(threads, ops);
        this.parallel = new Parallel(threads, "dense-full-rank");
        this.ops = ops;
    }

    @Override
    public String name() {
        return "dense-full-rank";
    }

    @Override
    public String device() {
        return "dense full rank (paper) on " + cpu.device();
    }

    @Override
    public void load(ModelState s) {
        s.network().requireDense("dense-full-rank bench"); // conv layers: cpu and loihi-sim only, for now
        cpu.load(s);
        state = s.copy();
    }

    @Override
    public ModelState state() {
        return cpu.state();
    }

    /** The resident state for evaluation: the copy made at load, or (after an update) the cpu backend's. */
    private ModelState resident() {
        if (state == null) {
            state = cpu.state();
        }
        return state;
    }

    @Override
    public float[] infer(SpikeBatch batch) {
        return cpu.infer(batch);
    }

    @Override
    public void update(Generation g, float[] shapedFitness, int effectivePopulation, float learningRate) {
        if (g.es().mode() != EsMode.FULL_RANK) {
            throw new IllegalArgumentException("the dense full-rank contender runs es.mode FULL_RANK only, got "
                    + g.es().mode());
        }
        cpu.update(g, shapedFitness, effectivePopulation, learningRate);
        state = null;
    }

    @Override
    public float[] evaluate(SpikeBatch batch, Generation g, int firstPair, int pairCount) {
        EsConfig es = g.es();
        if (es.mode() != EsMode.FULL_RANK) {
            throw new IllegalArgumentException("the dense full-rank contender runs es.mode FULL_RANK only, got "
                    + es.mode());
        }
        ModelState st = resident();
        SnnConfig cfg = st.network();
        es.validateFor(cfg);
        if (batch.inputs() != cfg.inputs()) {
            throw new IllegalArgumentException("batch has " + batch.inputs() + " inputs but the network expects "
                    + cfg.inputs());
        }
        if (firstPair < 0 || pairCount < 0 || firstPair + pairCount > es.pairs()) {
            throw new IllegalArgumentException("pairs [" + firstPair + ", " + (firstPair + pairCount)
                    + ") out of range for population " + es.population());
        }
        int frames = batch.samples() * batch.timesteps();
        float[] x0 = denseFrames(batch);
        float[] out = new float[2 * pairCount * batch.samples() * cfg.outputs()];
        Scratch[] scratch = new Scratch[parallel.threads()];
        parallel.forEach(pairCount, (worker, k) -> {
            Scratch sc = scratch[worker];
            if (sc == null) {
                sc = scratch[worker] = new Scratch(cfg, frames);
            }
            evaluatePair(sc, cfg, st.params(), g, batch, x0, firstPair + k, 2 * firstPair, out);
        });
        return out;
    }

    /** The batch's binary frames as a dense row-major 0/1 matrix, frame {@code s T + t} per row. */
    static float[] denseFrames(SpikeBatch batch) {
        int m = batch.inputs();
        int steps = batch.timesteps();
        float[] x = new float[Math.multiplyExact(batch.samples() * steps, m) + PAD];
        int[] idx = batch.indices();
        for (int s = 0; s < batch.samples(); s++) {
            for (int t = 0; t < steps; t++) {
                int row = (s * steps + t) * m;
                for (int e = batch.start(s, t); e < batch.end(s, t); e++) {
                    x[row + idx[e]] = 1f;
                }
            }
        }
        return x;
    }

    /** Per-worker buffers: a pair's E of every layer, one column panel of W + s sigma E and of the currents. */
    private static final class Scratch {
        final float[][] e;         // E_l, m x n
        final float[][] biasNoise; // e_l, n
        final float[] panel;       // columns [j0, j0 + w) of W_l + s sigma E_l, m x w
        final float[] current;     // the same columns of every frame's current, frames x w
        final float[][] hidden;    // a hidden layer's spikes as a dense frames x n 0/1 matrix; two, alternating
        final float[] e0;          // columns [j0, j0 + w) of e_l
        final float[] v;           // the panel's neurons of one member and sample
        final int[] spikes;

        Scratch(SnnConfig cfg, int frames) {
            int layers = cfg.layers();
            e = new float[layers][];
            biasNoise = new float[layers][];
            int maxM = 0;
            for (int l = 0; l < layers; l++) {
                e[l] = new float[Math.addExact(Math.multiplyExact(cfg.fanIn(l), cfg.fanOut(l)), PAD)];
                biasNoise[l] = new float[cfg.fanOut(l) + PAD];
                maxM = Math.max(maxM, cfg.fanIn(l));
            }
            int hiddenWidth = 0;
            for (int l = 0; l < layers - 1; l++) {
                hiddenWidth = Math.max(hiddenWidth, cfg.fanOut(l));
            }
            panel = new float[Math.multiplyExact(maxM, PANEL) + PAD];
            current = new float[Math.multiplyExact(frames, PANEL) + PAD];
            hidden = new float[][] {new float[Math.multiplyExact(frames, hiddenWidth) + PAD],
                    new float[Math.multiplyExact(frames, hiddenWidth) + PAD]};
            e0 = new float[PANEL + PAD];
            v = new float[PANEL + PAD];
            spikes = new int[PANEL];
        }
    }

    private void evaluatePair(Scratch sc, SnnConfig cfg, Params p, Generation g, SpikeBatch batch, float[] x0,
                              int pair, int memberOffset, float[] out) {
        EsConfig es = g.es();
        int layers = cfg.layers();
        for (int l = 0; l < layers; l++) {
            Eggroll.fullNoise(g.seed(), pair, g.index(), l, es.noise(), cfg.fanIn(l), cfg.fanOut(l), sc.e[l]);
            if (es.biasNoise()) {
                Eggroll.biasNoise(g.seed(), pair, g.index(), l, es.noise(), cfg.fanOut(l), sc.biasNoise[l]);
            }
        }
        int samples = batch.samples();
        int steps = batch.timesteps();
        int frames = samples * steps;
        int classes = cfg.outputs();
        boolean membrane = cfg.readout() == Readout.MEMBRANE;
        float decay = cfg.decay();
        float theta = cfg.threshold();
        for (int half = 0; half < 2; half++) {
            int member = 2 * pair + half;
            float ss = Generation.sign(member) * es.sigma();  // the weight term's scale and the bias term's: s sigma
            int outBase = (member - memberOffset) * samples * classes;
            float[] x = x0;
            for (int l = 0; l < layers; l++) {
                int m = cfg.fanIn(l);
                int n = cfg.fanOut(l);
                boolean last = l == layers - 1;
                float[] next = sc.hidden[l & 1];
                if (!last) {
                    Arrays.fill(next, 0, frames * n, 0f);
                }
                float[] w = p.weights(l);
                float[] el = sc.e[l];
                float[] cur = sc.current;
                for (int j0 = 0; j0 < n; j0 += PANEL) {
                    int pw = Math.min(PANEL, n - j0);
                    // Columns [j0, j0 + pw) of W + s sigma E, contiguous.
                    for (int k = 0; k < m; k++) {
                        System.arraycopy(w, k * n + j0, sc.panel, k * pw, pw);
                        ops.axpy(ss, el, k * n + j0, sc.panel, k * pw, pw);
                    }
                    // Their current in every frame: bias, plus the frame's dense 0/1 row times the panel.
                    for (int f = 0; f < frames; f++) {
                        System.arraycopy(p.bias(l), j0, cur, f * pw, pw);
                    }
                    for (int f0 = 0; f0 < frames; f0 += FRAME_BLOCK) {
                        ops.gemmAccumulate(x, sc.panel, cur, m, pw, f0, Math.min(frames, f0 + FRAME_BLOCK), 0, pw);
                    }
                    float[] e = null;
                    if (es.biasNoise()) {
                        System.arraycopy(sc.biasNoise[l], j0, sc.e0, 0, pw);
                        e = sc.e0;
                    }
                    // The LIF of these neurons over time (neurons are independent).
                    for (int s = 0; s < samples; s++) {
                        Arrays.fill(sc.v, 0, pw, 0f);
                        int scoreOff = outBase + s * classes + j0;
                        for (int t = 0; t < steps; t++) {
                            int f = s * steps + t;
                            if (!last) {
                                int c = ops.lifStep(cur, f * pw, null, 0, 0f, e, ss, sc.v, pw, decay, theta,
                                        sc.spikes);
                                for (int k = 0; k < c; k++) {
                                    next[f * n + j0 + sc.spikes[k]] = 1f;
                                }
                            } else if (membrane) {
                                ops.integrate(cur, f * pw, null, 0, 0f, e, ss, sc.v, pw, decay, out, scoreOff);
                            } else {
                                ops.lifStepCount(cur, f * pw, null, 0, 0f, e, ss, sc.v, pw, decay, theta, out,
                                        scoreOff);
                            }
                        }
                        if (last) {
                            for (int j = 0; j < pw; j++) {
                                out[scoreOff + j] = membrane ? out[scoreOff + j] / steps
                                        : out[scoreOff + j] + sc.v[j] / theta;
                            }
                        }
                    }
                }
                x = next;
            }
        }
    }

    @Override
    public void close() {
        cpu.close();
        parallel.close();
    }
}
