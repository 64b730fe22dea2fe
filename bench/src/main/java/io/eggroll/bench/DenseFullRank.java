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
 * perturbed matrix in one {@link VectorOps#gemmAccumulate} onto the bias, then the LIF over time
 * gives the next layer's dense 0/1 input. Readouts follow the cpu backend's conventions; they
 * agree with it up to float rounding (the sums run in another order), not bit for bit.
 *
 * <p>The update is the existing full-rank update: {@link CpuBackend} in FULL_RANK mode, to which
 * this backend delegates {@link #update}, {@link #infer} and the resident state.
 */
public final class DenseFullRank implements Backend {

    /** Frames per {@code gemmAccumulate} call: this block of the 0/1 input matrix stays in L2 across B's panels. */
    static final int FRAME_BLOCK = 64;

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
    public void update(Generation g, float[] shapedFitness, int effectivePopulation) {
        if (g.es().mode() != EsMode.FULL_RANK) {
            throw new IllegalArgumentException("the dense full-rank contender runs es.mode FULL_RANK only, got "
                    + g.es().mode());
        }
        cpu.update(g, shapedFitness, effectivePopulation);
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

    /** Per-worker buffers: a pair's E of every layer, one perturbed matrix, one layer's currents and spikes. */
    private static final class Scratch {
        final float[][] e;        // E_l, m x n
        final float[][] biasNoise; // e_l, n
        final float[] perturbed;  // W_l + s sigma E_l, m x n
        final float[] current;    // frames x n
        final float[] hidden;     // a hidden layer's spikes as a dense frames x n 0/1 matrix
        final float[] v;
        final int[] spikes;

        Scratch(SnnConfig cfg, int frames) {
            int layers = cfg.layers();
            e = new float[layers][];
            biasNoise = new float[layers][];
            int maxMn = 0;
            for (int l = 0; l < layers; l++) {
                int mn = Math.multiplyExact(cfg.fanIn(l), cfg.fanOut(l));
                maxMn = Math.max(maxMn, mn);
                e[l] = new float[mn + PAD];
                biasNoise[l] = new float[cfg.fanOut(l) + PAD];
            }
            int width = cfg.maxWidth();
            perturbed = new float[maxMn + PAD];
            current = new float[Math.multiplyExact(frames, width) + PAD];
            hidden = new float[Math.multiplyExact(frames, width) + PAD];
            v = new float[width + PAD];
            spikes = new int[width];
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
            float sg = Generation.sign(member);
            float ss = sg * es.sigma();    // the weight term's scale and the bias term's: s sigma
            int outBase = (member - memberOffset) * samples * classes;
            float[] x = x0;
            for (int l = 0; l < layers; l++) {
                int m = cfg.fanIn(l);
                int n = cfg.fanOut(l);
                int mn = m * n;
                // W + s sigma E, dense.
                System.arraycopy(p.weights(l), 0, sc.perturbed, 0, mn);
                ops.axpy(ss, sc.e[l], 0, sc.perturbed, 0, mn);
                // Every frame's current: bias, plus the dense product of its 0/1 row with W + s sigma E.
                float[] cur = sc.current;
                for (int f = 0; f < frames; f++) {
                    System.arraycopy(p.bias(l), 0, cur, f * n, n);
                }
                for (int f0 = 0; f0 < frames; f0 += FRAME_BLOCK) {
                    ops.gemmAccumulate(x, sc.perturbed, cur, m, n, f0, Math.min(frames, f0 + FRAME_BLOCK), 0, n);
                }
                float[] e = es.biasNoise() ? sc.biasNoise[l] : null;
                boolean last = l == layers - 1;
                if (!last) {
                    Arrays.fill(sc.hidden, 0, frames * n, 0f);
                }
                for (int s = 0; s < samples; s++) {
                    Arrays.fill(sc.v, 0, n, 0f);
                    int scoreOff = outBase + s * classes;
                    for (int t = 0; t < steps; t++) {
                        int row = (s * steps + t) * n;
                        if (!last) {
                            int c = ops.lifStep(cur, row, null, 0, 0f, e, ss, sc.v, n, decay, theta, sc.spikes);
                            for (int k = 0; k < c; k++) {
                                sc.hidden[row + sc.spikes[k]] = 1f;
                            }
                        } else if (membrane) {
                            ops.integrate(cur, row, null, 0, 0f, e, ss, sc.v, n, decay, out, scoreOff);
                        } else {
                            ops.lifStepCount(cur, row, null, 0, 0f, e, ss, sc.v, n, decay, theta, out, scoreOff);
                        }
                    }
                    if (last) {
                        for (int j = 0; j < classes; j++) {
                            out[scoreOff + j] = membrane ? out[scoreOff + j] / steps
                                    : out[scoreOff + j] + sc.v[j] / theta;
                        }
                    }
                }
                x = sc.hidden;
            }
        }
    }

    @Override
    public void close() {
        cpu.close();
        parallel.close();
    }
}
