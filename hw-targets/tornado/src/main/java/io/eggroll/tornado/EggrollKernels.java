package io.eggroll.tornado;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The EGGROLL kernels as static Java methods that TornadoVM compiles (the same computation as
 * {@code kernels/.../eggroll.cl}, in the float operation order of the cpu backend, docs/ENGINE.md):
 *
 * <ul>
 *   <li>{@link #base}: layer 1's base current {@code x W0 + b0}, once per generation for all
 *       members (one work-item per (frame, neuron)).</li>
 *   <li>{@link #evaluate}: the fused perturbed LIF time loop, one work-group per (member, sample):
 *       factor rows regenerated from Philox, the rank-r term {@code (s sigma/sqrt r)(x A) B^T}, the
 *       LIF step and the readout. {@code u = x A} lives in local memory; the spike list between
 *       layers is compacted behind barriers ({@link KernelContext}).</li>
 *   <li>{@link #catA}, {@link #catB}, {@link #gradientStep}: the update. A_cat and
 *       {@code diag(d) B_cat} of a block of pairs, then per parameter the sum over the block
 *       (low rank: {@code sum_c A_cat[i][c] B_cat[c][j]}; full rank and biases:
 *       {@code sum_k d_k N_k[e]}), carried across blocks in {@code grad}, and after the last block
 *       the optimizer step ({@link io.eggroll.es.Optimizer#apply}). Element-wise: {@code @Parallel}
 *       loops, sized by the host's grid.</li>
 * </ul>
 *
 * <p>No {@code >>>} on ints here: see {@link DeviceNoise#ushr}. Scalars a task graph captures are fixed when the graph is built, so every value that changes
 * between runs (seed, generation, sizes, sigma, ...) travels in small control arrays whose slots
 * are the constants below. Per-layer geometry is in {@code layout}: {@code m, n, weight offset,
 * bias offset} at {@code LAYOUT_STRIDE * l} (float offsets into the packed W0, b0, W1, b1, ...).
 */
public final class EggrollKernels {

    /** Largest rank the fused kernel holds in local memory ({@code u = x A}, one float per rank). */
    public static final int MAX_RANK = 256;

    public static final int LAYOUT_STRIDE = 4;

    public static final int MODE_NONE = 0;
    public static final int MODE_EGGROLL = 1;
    public static final int MODE_FULL = 2;

    // evaluate control (IntArray)
    public static final int E_LAYERS = 0;
    public static final int E_SAMPLES = 1;
    public static final int E_STEPS = 2;
    public static final int E_K0 = 3;
    public static final int E_K1 = 4;
    public static final int E_GENERATION = 5;
    public static final int E_MODE = 6;
    public static final int E_RANK = 7;
    public static final int E_GAUSSIAN = 8;
    public static final int E_BIAS_NOISE = 9;
    public static final int E_MEMBRANE = 10;
    public static final int E_FIRST_MEMBER = 11;
    public static final int E_V_STRIDE = 12;
    public static final int E_LIST_STRIDE = 13;
    public static final int E_LWS = 14;
    public static final int E_GROUPS = 15;
    public static final int E_SIZE = 16;

    // evaluate control (FloatArray)
    public static final int F_SIGMA_R = 0;
    public static final int F_SIGMA = 1;
    public static final int F_DECAY = 2;
    public static final int F_THRESHOLD = 3;
    public static final int F_SIZE = 4;

    // base control (IntArray)
    public static final int B_FRAMES = 0;
    public static final int B_SIZE = 1;

    // update control (IntArray); per layer l: A_cat offset at U_LAYER + 2l, B_cat offset at U_LAYER + 2l + 1
    public static final int U_LAYERS = 0;
    public static final int U_K0 = 1;
    public static final int U_K1 = 2;
    public static final int U_GENERATION = 3;
    public static final int U_MODE = 4;
    public static final int U_RANK = 5;
    public static final int U_GAUSSIAN = 6;
    public static final int U_TRAIN_BIAS = 7;
    public static final int U_PAIR_FIRST = 8;
    public static final int U_PAIR_COUNT = 9;
    public static final int U_FIRST_BLOCK = 10;
    public static final int U_LAST_BLOCK = 11;
    public static final int U_ADAM = 12;
    public static final int U_PARAMS = 13;
    public static final int U_CAT_A = 14;
    public static final int U_CAT_B = 15;
    public static final int U_LAYER = 16;

    // update control (FloatArray)
    public static final int G_W_SCALE = 0;
    public static final int G_B_SCALE = 1;
    public static final int G_LR = 2;
    public static final int G_WD = 3;
    public static final int G_MU = 4;
    public static final int G_B1 = 5;
    public static final int G_B2 = 6;
    public static final int G_EPS = 7;
    public static final int G_C1 = 8;
    public static final int G_C2 = 9;
    public static final int G_SIZE = 10;

    // noise probe control (IntArray)
    public static final int P_K0 = 0;
    public static final int P_K1 = 1;
    public static final int P_PAIR = 2;
    public static final int P_GENERATION = 3;
    public static final int P_STREAM = 4;
    public static final int P_GAUSSIAN = 5;
    public static final int P_COUNT = 6;
    public static final int P_SIZE = 7;

    private static final int KIND_A = 0;
    private static final int KIND_B = 1;
    private static final int KIND_BIAS = 2;
    private static final int KIND_FULL = 4;

    private EggrollKernels() {}

    /**
     * {@code base0[f n0 + j] = b0[j] + sum_{a active in frame f, increasing} W0[a][j]}, one work-item
     * per (frame, neuron); work-items past {@code frames * n0} do nothing.
     */
    public static void base(KernelContext ctx, FloatArray params, IntArray layout, IntArray offsets,
                            IntArray indices, IntArray ctl, FloatArray base0) {
        int id = ctx.globalIdx;
        int n = layout.get(1);
        int wOff = layout.get(2);
        int bOff = layout.get(3);
        if (id < ctl.get(B_FRAMES) * n) {
            int f = id / n;
            int j = id - f * n;
            float cur = params.get(bOff + j);
            int end = offsets.get(f + 1);
            for (int k = offsets.get(f); k < end; k++) {
                cur += params.get(wOff + indices.get(k) * n + j);
            }
            base0.set(id, cur);
        }
    }

    /**
     * The fused kernel. Work-group {@code g} runs member {@code firstMember + g / samples} on sample
     * {@code g % samples} through every step and layer; work-item {@code lid} owns neurons
     * {@code lid, lid + lws, ...} of each layer (their membranes and readout slots). Mode NONE is
     * the unperturbed network ({@code infer}). Readout {@code out[g C + c]}: spike count plus the
     * final {@code v / theta}, or the mean membrane.
     */
    public static void evaluate(KernelContext ctx, FloatArray params, IntArray layout, FloatArray table,
                                FloatArray base0, IntArray offsets, IntArray indices, IntArray ctl, FloatArray fctl,
                                FloatArray scratchV, IntArray scratchI, FloatArray out) {
        float[] u = ctx.allocateFloatLocalArray(MAX_RANK);
        int[] shared = ctx.allocateIntLocalArray(4);
        int group = ctx.groupIdx;
        int lid = ctx.localIdx;
        int lws = ctl.get(E_LWS);
        if (group < ctl.get(E_GROUPS)) {
            int layers = ctl.get(E_LAYERS);
            int samples = ctl.get(E_SAMPLES);
            int steps = ctl.get(E_STEPS);
            int k0 = ctl.get(E_K0);
            int k1 = ctl.get(E_K1);
            int generation = ctl.get(E_GENERATION);
            int mode = ctl.get(E_MODE);
            int rank = ctl.get(E_RANK);
            int gaussian = ctl.get(E_GAUSSIAN);
            int biasNoise = ctl.get(E_BIAS_NOISE);
            int membrane = ctl.get(E_MEMBRANE);
            int vStride = ctl.get(E_V_STRIDE);
            int listStride = ctl.get(E_LIST_STRIDE);
            float decay = fctl.get(F_DECAY);
            float threshold = fctl.get(F_THRESHOLD);
            int member = ctl.get(E_FIRST_MEMBER) + group / samples;
            int s = group % samples;
            int pair = member >> 1; // member >= 0
            float sg = (member & 1) != 0 ? -1.0f : 1.0f;
            float ss = sg * fctl.get(F_SIGMA_R);
            float sb = sg * fctl.get(F_SIGMA);
            int shift = DeviceNoise.wordShift(gaussian);
            int perturbBias = mode != MODE_NONE ? biasNoise : 0; // biasNoise is 0 or 1
            int lastL = LAYOUT_STRIDE * (layers - 1);
            int classes = layout.get(lastL + 1);
            int vBase = group * vStride;
            int flagBase = group * 2 * listStride;
            int listBase = flagBase + listStride;
            int scoreBase = group * classes;
            int n0 = layout.get(1);

            int vOff = 0;
            for (int l = 0; l < layers; l++) {
                int n = layout.get(LAYOUT_STRIDE * l + 1);
                for (int j = lid; j < n; j += lws) {
                    scratchV.set(vBase + vOff + j, 0.0f);
                }
                vOff += n;
            }
            for (int j = lid; j < classes; j += lws) {
                out.set(scoreBase + j, 0.0f);
            }

            for (int t = 0; t < steps; t++) {
                int frame = s * steps + t;
                int first = offsets.get(frame);
                int count = offsets.get(frame + 1) - first;
                vOff = 0;
                for (int l = 0; l < layers; l++) {
                    int n = layout.get(LAYOUT_STRIDE * l + 1);
                    int wOff = layout.get(LAYOUT_STRIDE * l + 2);
                    int bOff = layout.get(LAYOUT_STRIDE * l + 3);
                    int last = l == layers - 1 ? 1 : 0;
                    if (mode == MODE_EGGROLL) {
                        // u = x A: item q sums A[a][q] over the active inputs in increasing order.
                        int streamA = (l << 4) | KIND_A;
                        for (int q = lid; q < rank; q += lws) {
                            float acc = 0.0f;
                            for (int k = 0; k < count; k++) {
                                int a = l == 0 ? indices.get(first + k) : scratchI.get(listBase + k);
                                acc += DeviceNoise.at(table, k0, k1, pair, generation, streamA, gaussian, a * rank + q);
                            }
                            u[q] = acc;
                        }
                        ctx.localBarrier();
                    }
                    for (int j = lid; j < n; j += lws) {
                        float cur;
                        if (l == 0) {
                            cur = base0.get(frame * n0 + j);
                        } else {
                            cur = params.get(bOff + j);
                            for (int k = 0; k < count; k++) {
                                cur += params.get(wOff + scratchI.get(listBase + k) * n + j);
                            }
                        }
                        if (mode == MODE_EGGROLL) {
                            // p_j = sum_q u_q B[j][q]; B[j][q] is element j r + q of the B stream.
                            int streamB = (l << 4) | KIND_B;
                            int e0 = j * rank;
                            float p;
                            if (rank == 1) {
                                p = u[0] * DeviceNoise.at(table, k0, k1, pair, generation, streamB, gaussian, e0);
                            } else {
                                p = 0.0f;
                                int key = -1;
                                int w = 0;
                                for (int q = 0; q < rank; q++) {
                                    int e = e0 + q;
                                    if (DeviceNoise.ushr(e, shift) != key) {
                                        key = DeviceNoise.ushr(e, shift);
                                        w = DeviceNoise.word(k0, k1, pair, generation, streamB, shift, e);
                                    }
                                    p += u[q] * DeviceNoise.fromWord(table, gaussian, w, e);
                                }
                            }
                            cur = cur + ss * p;
                        } else if (mode == MODE_FULL) {
                            int streamE = (l << 4) | KIND_FULL;
                            float p = 0.0f;
                            for (int k = 0; k < count; k++) {
                                int a = l == 0 ? indices.get(first + k) : scratchI.get(listBase + k);
                                p += DeviceNoise.at(table, k0, k1, pair, generation, streamE, gaussian, a * n + j);
                            }
                            cur = cur + ss * p;
                        }
                        if (perturbBias == 1) {
                            cur = cur + sb * DeviceNoise.at(table, k0, k1, pair, generation, (l << 4) | KIND_BIAS,
                                    gaussian, j);
                        }
                        int vi = vBase + vOff + j;
                        if (last * membrane == 1) { // both 0 or 1
                            float v = decay * scratchV.get(vi) + cur;
                            scratchV.set(vi, v);
                            out.set(scoreBase + j, out.get(scoreBase + j) + v);
                        } else {
                            float v = decay * scratchV.get(vi) + cur;
                            int spike = v >= threshold ? 1 : 0;
                            scratchV.set(vi, spike == 1 ? 0.0f : v);
                            if (last == 1) {
                                if (spike == 1) {
                                    out.set(scoreBase + j, out.get(scoreBase + j) + 1.0f);
                                }
                            } else {
                                scratchI.set(flagBase + j, spike);
                            }
                        }
                    }
                    if (last == 0) {
                        // Compact the spike flags into the next layer's increasing active list. The
                        // flags and list are global, the count local: fence both.
                        ctx.globalBarrier();
                        ctx.localBarrier();
                        if (lid == 0) {
                            int c = 0;
                            for (int j = 0; j < n; j++) {
                                if (scratchI.get(flagBase + j) != 0) {
                                    scratchI.set(listBase + c, j);
                                    c++;
                                }
                            }
                            shared[0] = c;
                        }
                        ctx.globalBarrier();
                        ctx.localBarrier();
                        count = shared[0];
                    }
                    vOff += n;
                }
                // u and the list are rewritten next step: everyone must be done reading them.
                ctx.globalBarrier();
                ctx.localBarrier();
            }
            int vLast = vBase + vOff - classes;
            for (int j = lid; j < classes; j += lws) {
                float score = out.get(scoreBase + j);
                if (membrane != 0) {
                    out.set(scoreBase + j, score / (float) steps);
                } else {
                    out.set(scoreBase + j, score + scratchV.get(vLast + j) / threshold);
                }
            }
        }
    }

    /** Which layer a flat index over per-layer sections of {@code per(l) * kn} entries falls in. */
    private static int sectionLayer(IntArray layout, int layers, int col, int kn, int id) {
        int rem = id;
        int layer = -1;
        for (int l = 0; l < layers; l++) {
            int size = layout.get(LAYOUT_STRIDE * l + col) * kn;
            if (layer < 0) {
                if (rem < size) {
                    layer = l;
                } else {
                    rem -= size;
                }
            }
        }
        return layer;
    }

    private static int sectionStart(IntArray layout, int layer, int col, int kn) {
        int start = 0;
        for (int l = 0; l < layer; l++) {
            start += layout.get(LAYOUT_STRIDE * l + col) * kn;
        }
        return start;
    }

    /**
     * {@code A_cat[i][kk r + c] = A_k[i][c]} for the pairs {@code k = first + kk} of the block, zero
     * where {@code d_k = 0}; one item per (layer, pair, input row).
     */
    public static void catA(IntArray layout, FloatArray table, IntArray ctl, FloatArray d, FloatArray aCat) {
        for (@Parallel int id = 0; id < ctl.get(U_CAT_A); id++) {
            int layers = ctl.get(U_LAYERS);
            int kn = ctl.get(U_PAIR_COUNT);
            int r = ctl.get(U_RANK);
            int gaussian = ctl.get(U_GAUSSIAN);
            int shift = DeviceNoise.wordShift(gaussian);
            int l = sectionLayer(layout, layers, 0, kn, id);
            int local = id - sectionStart(layout, l, 0, kn);
            int m = layout.get(LAYOUT_STRIDE * l);
            int kk = local / m;
            int i = local - kk * m;
            int k = ctl.get(U_PAIR_FIRST) + kk;
            int q = kn * r;
            int base = ctl.get(U_LAYER + 2 * l) + i * q + kk * r;
            float dk = d.get(k);
            int key = -1;
            int w = 0;
            for (int c = 0; c < r; c++) {
                float a = 0.0f;
                if (dk != 0.0f) {
                    int e = i * r + c;
                    if (DeviceNoise.ushr(e, shift) != key) {
                        key = DeviceNoise.ushr(e, shift);
                        w = DeviceNoise.word(ctl.get(U_K0), ctl.get(U_K1), k, ctl.get(U_GENERATION),
                                (l << 4) | KIND_A, shift, e);
                    }
                    a = DeviceNoise.fromWord(table, gaussian, w, e);
                }
                aCat.set(base + c, a);
            }
        }
    }

    /**
     * {@code B_cat[kk r + c][j] = d_k B_k[j][c]} for the pairs of the block, zero where
     * {@code d_k = 0}; one item per (layer, pair, output column).
     */
    public static void catB(IntArray layout, FloatArray table, IntArray ctl, FloatArray d, FloatArray bCat) {
        for (@Parallel int id = 0; id < ctl.get(U_CAT_B); id++) {
            int layers = ctl.get(U_LAYERS);
            int kn = ctl.get(U_PAIR_COUNT);
            int r = ctl.get(U_RANK);
            int gaussian = ctl.get(U_GAUSSIAN);
            int shift = DeviceNoise.wordShift(gaussian);
            int l = sectionLayer(layout, layers, 1, kn, id);
            int local = id - sectionStart(layout, l, 1, kn);
            int n = layout.get(LAYOUT_STRIDE * l + 1);
            int kk = local / n;
            int j = local - kk * n;
            int k = ctl.get(U_PAIR_FIRST) + kk;
            int base = ctl.get(U_LAYER + 2 * l + 1);
            float dk = d.get(k);
            int key = -1;
            int w = 0;
            for (int c = 0; c < r; c++) {
                float b = 0.0f;
                if (dk != 0.0f) {
                    int e = j * r + c;
                    if (DeviceNoise.ushr(e, shift) != key) {
                        key = DeviceNoise.ushr(e, shift);
                        w = DeviceNoise.word(ctl.get(U_K0), ctl.get(U_K1), k, ctl.get(U_GENERATION),
                                (l << 4) | KIND_B, shift, e);
                    }
                    b = dk * DeviceNoise.fromWord(table, gaussian, w, e);
                }
                bCat.set(base + (kk * r + c) * n + j, b);
            }
        }
    }

    /**
     * One parameter per item: adds the block's terms of its gradient estimate to {@code grad} (from
     * zero on the first block) and, after the last block, applies the optimizer to
     * {@code theta <- optimizer(theta, scale * G)} exactly as {@link io.eggroll.es.Optimizer#apply}.
     * Biases are left alone when they are not trained.
     */
    public static void gradientStep(IntArray layout, FloatArray table, IntArray ctl, FloatArray fctl, FloatArray d,
                                    FloatArray aCat, FloatArray bCat, FloatArray grad, FloatArray params,
                                    FloatArray m1, FloatArray m2) {
        for (@Parallel int id = 0; id < ctl.get(U_PARAMS); id++) {
            int layers = ctl.get(U_LAYERS);
            int layer = -1;
            int bias = 0;
            int local = 0;
            for (int l = 0; l < layers; l++) {
                int wOff = layout.get(LAYOUT_STRIDE * l + 2);
                int bOff = layout.get(LAYOUT_STRIDE * l + 3);
                int mn = layout.get(LAYOUT_STRIDE * l) * layout.get(LAYOUT_STRIDE * l + 1);
                if (id >= wOff && id < wOff + mn) {
                    layer = l;
                    local = id - wOff;
                }
                if (id >= bOff && id < bOff + layout.get(LAYOUT_STRIDE * l + 1)) {
                    layer = l;
                    bias = 1;
                    local = id - bOff;
                }
            }
            // Flags as int arithmetic, not || / &&: TornadoVM 5.2.0 miscompiles some short-circuit
            // conditions (see the loops below). U_TRAIN_BIAS is 0 or 1.
            int train = layer >= 0 ? 1 - bias * (1 - ctl.get(U_TRAIN_BIAS)) : 0;
            if (train == 1) {
                int k0 = ctl.get(U_K0);
                int k1 = ctl.get(U_K1);
                int generation = ctl.get(U_GENERATION);
                int gaussian = ctl.get(U_GAUSSIAN);
                int firstPair = ctl.get(U_PAIR_FIRST);
                int kn = ctl.get(U_PAIR_COUNT);
                float acc = ctl.get(U_FIRST_BLOCK) != 0 ? 0.0f : grad.get(id);
                // Two loops, of which at most one runs, rather than an if/else that assigns acc in
                // both branches: TornadoVM 5.2.0 resolves that merge wrongly (it keeps the value of
                // the branch not taken).
                int noiseSum = bias == 1 || ctl.get(U_MODE) == MODE_FULL ? 1 : 0;
                int stream = (layer << 4) | (bias == 1 ? KIND_BIAS : KIND_FULL);
                int kEnd = noiseSum == 1 ? firstPair + kn : firstPair;
                for (int k = firstPair; k < kEnd; k++) {
                    float dk = d.get(k);
                    if (dk != 0.0f) {
                        acc += dk * DeviceNoise.at(table, k0, k1, k, generation, stream, gaussian, local);
                    }
                }
                int n = layout.get(LAYOUT_STRIDE * layer + 1);
                int i = local / n;
                int j = local - i * n;
                int q = noiseSum == 1 ? 0 : kn * ctl.get(U_RANK);
                int aBase = ctl.get(U_LAYER + 2 * layer) + i * q;
                int bBase = ctl.get(U_LAYER + 2 * layer + 1);
                for (int c = 0; c < q; c++) {
                    float a = aCat.get(aBase + c);
                    if (a != 0.0f) {
                        acc += a * bCat.get(bBase + c * n + j);
                    }
                }
                if (ctl.get(U_LAST_BLOCK) != 0) {
                    float g = acc * fctl.get(bias == 1 ? G_B_SCALE : G_W_SCALE);
                    float theta = params.get(id);
                    float lr = fctl.get(G_LR);
                    float wd = fctl.get(G_WD);
                    if (ctl.get(U_ADAM) == 0) {
                        float mu = fctl.get(G_MU);
                        if (mu > 0.0f) {
                            float dd = g - wd * theta;
                            float mi = mu * m1.get(id) + dd;
                            m1.set(id, mi);
                            params.set(id, theta + lr * mi);
                        } else {
                            params.set(id, theta + lr * (g - wd * theta));
                        }
                    } else {
                        float b1 = fctl.get(G_B1);
                        float b2 = fctl.get(G_B2);
                        float mi = b1 * m1.get(id) + (1.0f - b1) * g;
                        float vi = b2 * m2.get(id) + (1.0f - b2) * g * g;
                        m1.set(id, mi);
                        m2.set(id, vi);
                        float mh = mi / fctl.get(G_C1);
                        float vh = vi / fctl.get(G_C2);
                        params.set(id, theta + lr * (mh / ((float) Math.sqrt(vh) + fctl.get(G_EPS)) - wd * theta));
                    }
                } else {
                    grad.set(id, acc);
                }
            }
        }
    }

    /** {@code out[i]} = element {@code elements[i]} of one noise stream: the conformance probe. */
    public static void noiseProbe(FloatArray table, IntArray ctl, IntArray elements, FloatArray out) {
        for (@Parallel int i = 0; i < ctl.get(P_COUNT); i++) {
            out.set(i, DeviceNoise.at(table, ctl.get(P_K0), ctl.get(P_K1), ctl.get(P_PAIR), ctl.get(P_GENERATION),
                    ctl.get(P_STREAM), ctl.get(P_GAUSSIAN), elements.get(i)));
        }
    }

    /**
     * A task that moves no data itself: the graphs that upload or read back resident buffers need
     * one task naming them. TornadoVM copies back only what a graph's tasks may write, so it
     * writes (under a condition that never holds: a layout never starts with a negative size) to
     * every buffer it names.
     */
    public static void touch(FloatArray params, FloatArray m1, FloatArray m2, IntArray layout, FloatArray table) {
        if (layout.get(0) < 0) {
            params.set(0, table.get(0));
            m1.set(0, table.get(1));
            m2.set(0, table.get(2));
            table.set(0, params.get(1));
            layout.set(0, 0);
        }
    }
}
