package io.eggroll.backend.cpu;

import io.eggroll.es.EsConfig;
import io.eggroll.es.EsMode;
import io.eggroll.es.Generation;
import io.eggroll.simd.VectorOps;
import io.eggroll.snn.ConvGeometry;
import io.eggroll.snn.Params;
import io.eggroll.snn.Readout;
import io.eggroll.snn.SnnConfig;
import io.eggroll.snn.SpikeBatch;
import io.eggroll.util.Parallel;
import java.util.Arrays;

/**
 * The cpu backend's forward for networks with convolutional layers (conv layers first, then dense):
 * the same operations as {@code io.eggroll.es.Definition}'s conv current, in the same float order.
 *
 * <ul>
 *   <li>im2col by scatter: each active input (in increasing order) is appended to the patch lists of
 *       the output positions that see it, so every list is in increasing kernel-row order, as
 *       {@link ConvGeometry#patches} gives it, at a cost of spikes x (kernel / stride)^2.</li>
 *   <li>Every position is then a dense layer on its patch: {@code b + x_patch K} and
 *       {@code (x_patch A) B^T} through the {@link VectorOps} row gather and expand, the kernel
 *       matrix K ({@code patch x channels}) playing W, so {@code K + sigma_r A B^T} is never formed.</li>
 *   <li>Layer 1 sees the same input for every member: its im2col and base current are formed once
 *       per generation, and its perturbation once per antithetic pair (the two members differ in sign).</li>
 *   <li>Currents are formed position-major and transposed to the neuron layout (channel, y, x) before
 *       the LIF step, which takes the bias noise expanded to one value per neuron.</li>
 * </ul>
 */
final class ConvPath {

    private static final int PAD = CpuBackend.PAD;

    private final Parallel parallel;
    private final VectorOps ops;

    ConvPath(Parallel parallel, VectorOps ops) {
        this.parallel = parallel;
        this.ops = ops;
    }

    /**
     * im2col of one frame: {@code lists[pos * patch ..]} gets the kernel rows of position pos,
     * {@code counts[pos]} how many; returns nothing else.
     */
    static void im2col(ConvGeometry g, int[] active, int from, int to, int[] counts, int[] lists) {
        int positions = g.positions();
        Arrays.fill(counts, 0, positions, 0);
        int h = g.inHeight();
        int w = g.inWidth();
        int k = g.kernel();
        int s = g.stride();
        int oh = g.outHeight();
        int ow = g.outWidth();
        int patch = g.patch();
        for (int a = from; a < to; a++) {
            int i = active[a];
            int c = i / (h * w);
            int y = i / w % h;
            int x = i % w;
            int oy0 = y >= k ? Math.ceilDiv(y - k + 1, s) : 0;
            int oy1 = Math.min(y / s, oh - 1);
            int ox0 = x >= k ? Math.ceilDiv(x - k + 1, s) : 0;
            int ox1 = Math.min(x / s, ow - 1);
            for (int oy = oy0; oy <= oy1; oy++) {
                int rowBase = (c * k + y - oy * s) * k + x;
                for (int ox = ox0; ox <= ox1; ox++) {
                    int pos = oy * ow + ox;
                    lists[pos * patch + counts[pos]++] = rowBase - ox * s;
                }
            }
        }
    }

    /** One worker's buffers for one network shape. */
    private static final class Scratch {
        final ConvGeometry[] conv;
        final int[] counts;
        final int[] lists;
        final float[] posCur;   // position-major current of a conv layer
        final float[] posProj;  // position-major perturbation of a conv layer
        final float[] cur;      // a layer's current in neuron order
        final float[] proj;     // a layer's perturbation in neuron order
        final float[] u;
        final int[][] in;
        final float[][][] v;
        final float[][] factorA;
        final float[][] factorBt;
        final float[] bTmp;
        final float[][] biasNoise;  // per weight column (channel)
        final float[][] neuronNoise; // per neuron: the channel's value for every position of a conv layer
        final float[] p0;
        final int[] count0 = new int[2];

        Scratch(SnnConfig cfg, EsConfig es, int steps) {
            int layers = cfg.layers();
            conv = cfg.conv();
            int maxPatchList = 0;
            int maxPos = 0;
            int maxPosN = 0;
            int maxN = 0;
            for (int l = 0; l < layers; l++) {
                ConvGeometry g = conv[l];
                maxN = Math.max(maxN, cfg.fanOut(l));
                if (g != null) {
                    maxPatchList = Math.max(maxPatchList, Math.multiplyExact(g.positions(), g.patch()));
                    maxPos = Math.max(maxPos, g.positions());
                    maxPosN = Math.max(maxPosN, g.neurons());
                }
            }
            counts = new int[maxPos];
            lists = new int[maxPatchList];
            posCur = new float[maxPosN + PAD];
            posProj = new float[maxPosN + PAD];
            int width = cfg.maxWidth();
            cur = new float[width + PAD];
            proj = new float[width + PAD];
            int r = es == null ? 1 : Math.max(1, es.rank());
            u = new float[r + PAD];
            in = new int[][] {new int[width + PAD], new int[width + PAD]};
            v = new float[2][layers][];
            factorA = new float[layers][];
            factorBt = new float[layers][];
            biasNoise = new float[layers][];
            neuronNoise = new float[layers][];
            for (int l = 0; l < layers; l++) {
                int m = cfg.fanIn(l);
                int n = cfg.fanOut(l);
                if (es == null) {
                    // inference: no noise
                } else if (es.mode() == EsMode.EGGROLL) {
                    factorA[l] = new float[m * r + PAD];
                    factorBt[l] = new float[n * r + PAD];
                } else {
                    factorA[l] = new float[Math.addExact(Math.multiplyExact(m, n), PAD)];
                }
                biasNoise[l] = new float[n + PAD];
                neuronNoise[l] = new float[cfg.neurons(l) + PAD];
                v[0][l] = new float[cfg.neurons(l) + PAD];
                v[1][l] = new float[cfg.neurons(l) + PAD];
            }
            bTmp = new float[maxN * r];
            p0 = es == null ? null : new float[Math.multiplyExact(steps, cfg.neurons(0)) + PAD];
        }
    }

    // ---------------------------------------------------------------- conv current

    /**
     * A conv layer's current {@code b + x_patch K} in neuron order into {@code sc.cur}, and, when
     * {@code factors} (the layer index's noise is in {@code sc}), its unscaled perturbation into
     * {@code sc.proj}. The patch lists are made from {@code in[from .. to)} unless {@code listsReady}.
     */
    private void convCurrent(Scratch sc, ConvGeometry g, float[] kernel, float[] bias, int[] in, int from, int to,
                             boolean factors, boolean lowRank, int l, int r, float[] cur, int curOff, float[] proj,
                             int projOff) {
        im2col(g, in, from, to, sc.counts, sc.lists);
        int positions = g.positions();
        int n = g.outChannels();
        int patch = g.patch();
        for (int pos = 0; pos < positions; pos++) {
            int lf = pos * patch;
            int lt = lf + sc.counts[pos];
            if (cur != null) {
                System.arraycopy(bias, 0, sc.posCur, pos * n, n);
                ops.addRows(kernel, n, sc.lists, lf, lt, sc.posCur, pos * n);
            }
            if (factors) {
                if (lowRank) {
                    CpuBackend.project(ops, sc.factorA[l], r, sc.lists, lf, lt, sc.u);
                    ops.expand(sc.u, sc.factorBt[l], r, n, sc.posProj, pos * n);
                } else {
                    Arrays.fill(sc.posProj, pos * n, pos * n + n, 0f);
                    ops.addRows(sc.factorA[l], n, sc.lists, lf, lt, sc.posProj, pos * n);
                }
            }
        }
        if (cur != null) {
            transpose(sc.posCur, positions, n, cur, curOff);
        }
        if (factors) {
            transpose(sc.posProj, positions, n, proj, projOff);
        }
    }

    /** {@code dst[o * positions + pos] = src[pos * n + o]}. */
    private static void transpose(float[] src, int positions, int n, float[] dst, int off) {
        for (int pos = 0; pos < positions; pos++) {
            int row = pos * n;
            for (int o = 0; o < n; o++) {
                dst[off + o * positions + pos] = src[row + o];
            }
        }
    }

    /** A layer's current in neuron order into {@code sc.cur} (and perturbation into {@code sc.proj}). */
    private void layerCurrent(Scratch sc, SnnConfig cfg, Params p, int l, int[] in, int count, boolean factors,
                              boolean lowRank, int r) {
        ConvGeometry g = sc.conv[l];
        if (g != null) {
            convCurrent(sc, g, p.weights(l), p.bias(l), in, 0, count, factors, lowRank, l, r, sc.cur, 0, sc.proj, 0);
            return;
        }
        int n = cfg.fanOut(l);
        System.arraycopy(p.bias(l), 0, sc.cur, 0, n);
        ops.addRows(p.weights(l), n, in, 0, count, sc.cur, 0);
        if (!factors) {
            return;
        }
        if (lowRank) {
            CpuBackend.project(ops, sc.factorA[l], r, in, 0, count, sc.u);
            ops.expand(sc.u, sc.factorBt[l], r, n, sc.proj, 0);
        } else {
            Arrays.fill(sc.proj, 0, n, 0f);
            ops.addRows(sc.factorA[l], n, in, 0, count, sc.proj, 0);
        }
    }

    // ---------------------------------------------------------------- inference

    float[] infer(SnnConfig cfg, Params p, SpikeBatch batch) {
        int c = cfg.outputs();
        float[] out = new float[batch.samples() * c];
        int layers = cfg.layers();
        int steps = batch.timesteps();
        boolean membrane = cfg.readout() == Readout.MEMBRANE;
        float decay = cfg.decay();
        float theta = cfg.threshold();
        Scratch[] scratch = new Scratch[parallel.threads()];
        parallel.forEach(batch.samples(), (worker, s) -> {
            Scratch sc = scratch[worker] == null ? (scratch[worker] = new Scratch(cfg, null, steps)) : scratch[worker];
            for (float[] vl : sc.v[0]) {
                Arrays.fill(vl, 0f);
            }
            int scoreOff = s * c;
            int[] in = sc.in[0];
            for (int t = 0; t < steps; t++) {
                int from = batch.start(s, t);
                int count = batch.end(s, t) - from;
                System.arraycopy(batch.indices(), from, in, 0, count);
                for (int l = 0; l < layers; l++) {
                    int n = cfg.neurons(l);
                    layerCurrent(sc, cfg, p, l, in, count, false, false, 0);
                    float[] vl = sc.v[0][l];
                    if (l == layers - 1 && membrane) {
                        ops.integrate(sc.cur, 0, null, 0, 0f, null, 0f, vl, n, decay, out, scoreOff);
                        continue;
                    }
                    count = ops.lifStep(sc.cur, 0, null, 0, 0f, null, 0f, vl, n, decay, theta, in);
                    if (l == layers - 1) {
                        for (int k = 0; k < count; k++) {
                            out[scoreOff + in[k]] += 1f;
                        }
                    }
                }
            }
            finish(out, scoreOff, sc.v[0][layers - 1], c, membrane, steps, theta);
        });
        return out;
    }

    private static void finish(float[] out, int off, float[] v, int c, boolean membrane, int steps, float theta) {
        for (int j = 0; j < c; j++) {
            out[off + j] = membrane ? out[off + j] / steps : out[off + j] + v[j] / theta;
        }
    }

    // ---------------------------------------------------------------- evaluation

    float[] evaluate(SnnConfig cfg, Params p, SpikeBatch batch, Generation g, int firstPair, int pairCount) {
        EsConfig es = g.es();
        int samples = batch.samples();
        int steps = batch.timesteps();
        ConvGeometry g0 = cfg.conv(0);
        int n0 = cfg.neurons(0);
        // Layer 1's base current b + x_patch K, once for all members.
        float[] base0 = new float[Math.multiplyExact(samples * steps, n0) + PAD];
        Scratch[] baseScratch = new Scratch[parallel.threads()];
        parallel.forEach(samples, (worker, s) -> {
            Scratch sc = baseScratch[worker] == null ? (baseScratch[worker] = new Scratch(cfg, null, steps))
                    : baseScratch[worker];
            for (int t = 0; t < steps; t++) {
                convCurrent(sc, g0, p.weights(0), p.bias(0), batch.indices(), batch.start(s, t), batch.end(s, t), false,
                        false, 0, 0, base0, (s * steps + t) * n0, null, 0);
            }
        });
        float[] out = new float[2 * pairCount * samples * cfg.outputs()];
        Scratch[] scratch = new Scratch[parallel.threads()];
        parallel.forEach(pairCount, (worker, k) -> {
            Scratch sc = scratch[worker] == null ? (scratch[worker] = new Scratch(cfg, es, steps)) : scratch[worker];
            evaluatePair(sc, cfg, p, g, batch, base0, firstPair + k, 2 * firstPair, out);
        });
        return out;
    }

    private static void noise(Scratch sc, SnnConfig cfg, Generation g, int pair) {
        for (int l = 0; l < cfg.layers(); l++) {
            int n = cfg.fanOut(l);
            CpuBackend.layerNoise(g, pair, l, cfg.fanIn(l), n, sc.factorA[l], sc.factorBt[l], sc.bTmp, sc.biasNoise[l]);
            if (g.es().biasNoise()) {
                ConvGeometry cg = sc.conv[l];
                int positions = cg == null ? 1 : cg.positions();
                for (int o = 0; o < n; o++) {
                    Arrays.fill(sc.neuronNoise[l], o * positions, (o + 1) * positions, sc.biasNoise[l][o]);
                }
            }
        }
    }

    private void evaluatePair(Scratch sc, SnnConfig cfg, Params p, Generation g, SpikeBatch batch, float[] base0,
                              int pair, int memberOffset, float[] out) {
        EsConfig es = g.es();
        noise(sc, cfg, g, pair);
        boolean lowRank = es.mode() == EsMode.EGGROLL;
        int layers = cfg.layers();
        int r = es.rank();
        int samples = batch.samples();
        int steps = batch.timesteps();
        ConvGeometry g0 = cfg.conv(0);
        int n0 = cfg.neurons(0);
        float scaleR = lowRank ? es.sigmaLowRank() : es.sigma();
        float sigma = es.sigma();
        int classes = cfg.outputs();
        boolean membrane = cfg.readout() == Readout.MEMBRANE;
        float decay = cfg.decay();
        float theta = cfg.threshold();
        float[] e0 = es.biasNoise() ? sc.neuronNoise[0] : null;
        for (int s = 0; s < samples; s++) {
            for (int m = 0; m < 2; m++) {
                for (int l = 0; l < layers; l++) {
                    Arrays.fill(sc.v[m][l], 0f);
                }
            }
            // Layer 1's perturbation depends only on the input: once per sample for both members.
            for (int t = 0; t < steps; t++) {
                convCurrent(sc, g0, null, null, batch.indices(), batch.start(s, t), batch.end(s, t), true, lowRank, 0,
                        r, null, 0, sc.p0, t * n0);
            }
            for (int t = 0; t < steps; t++) {
                int off = (s * steps + t) * n0;
                ops.lifStepPair(base0, off, sc.p0, t * n0, scaleR, e0, sigma, sc.v[0][0], sc.v[1][0], n0, decay,
                        theta, sc.in[0], sc.in[1], sc.count0);
                for (int m = 0; m < 2; m++) {
                    int member = 2 * pair + m;
                    float sg = io.eggroll.es.Generation.sign(member);
                    float ss = sg * scaleR;
                    float sb = sg * sigma;
                    int scoreOff = ((member - memberOffset) * samples + s) * classes;
                    int[] in = sc.in[m];
                    int c = sc.count0[m];
                    for (int l = 1; l < layers; l++) {
                        int n = cfg.neurons(l);
                        layerCurrent(sc, cfg, p, l, in, c, true, lowRank, r);
                        float[] e = es.biasNoise() ? sc.neuronNoise[l] : null;
                        float[] v = sc.v[m][l];
                        if (l == layers - 1) {
                            if (membrane) {
                                ops.integrate(sc.cur, 0, sc.proj, 0, ss, e, sb, v, n, decay, out, scoreOff);
                            } else {
                                ops.lifStepCount(sc.cur, 0, sc.proj, 0, ss, e, sb, v, n, decay, theta, out, scoreOff);
                            }
                        } else {
                            c = ops.lifStep(sc.cur, 0, sc.proj, 0, ss, e, sb, v, n, decay, theta, in);
                        }
                    }
                }
            }
            for (int m = 0; m < 2; m++) {
                finish(out, ((2 * pair + m - memberOffset) * samples + s) * classes, sc.v[m][layers - 1], classes,
                        membrane, steps, theta);
            }
        }
    }
}
