package io.eggroll.es;

import io.eggroll.rng.Noise;
import io.eggroll.snn.ConvGeometry;
import io.eggroll.snn.Neurons;
import io.eggroll.snn.Params;
import io.eggroll.snn.Readout;
import io.eggroll.snn.SnnConfig;
import io.eggroll.snn.SpikeBatch;

/**
 * The method, written plainly: one member, one sample, simple loops. Every backend is tested
 * against it (the conformance suite); the cpu backend matches it bit for bit, because both follow
 * the float operation order below. Read it as the math (after HyperscaleES
 * {@code noiser/eggroll.py}):
 *
 * <pre>
 *   noise       A_l (m x r), B_l (n x r), e_l (n)  from the key (seed, pair, generation, layer, kind)
 *   forward     I_l = b_l + x W_l + (s sigma/sqrt r) (x A_l) B_l^T + (s sigma) e_l,   s = +1 / -1
 *   LIF         v = beta v + I;  spike where v >= theta, then v = 0
 *   neurons     evolved theta_l, beta_l (per neuron): theta + (s sigma) e_theta, beta + (s sigma) e_beta,
 *               clamped as io.eggroll.snn.Neurons says; their gradients are those of the biases
 *   update      d_k = f_2k - f_2k+1
 *               G_l = 1/(N sigma sqrt r) A_cat diag(d) B_cat^T    g_b = 1/(N sigma) sum_k d_k e_k
 *               theta &lt;- optimizer(theta, G)
 * </pre>
 *
 * <p>Float order (the contract with every fast path): sums start from {@code 0f} and add terms
 * in increasing index order, products and sums are separate roundings (never a fused
 * multiply-add), and scale factors are rounded to float once before use. The full-rank baseline
 * replaces {@code (x A) B^T} by {@code x E} and {@code sigma/sqrt r} by {@code sigma}.
 *
 * <p>Fitness shaping ({@link FitnessShaping}) runs before {@link #update}; excluded members carry
 * shaped fitness 0 and are not counted in {@code effectivePopulation}.
 */
public final class Definition {

    private Definition() {}

    // ---------------------------------------------------------------- noise from the key

    /**
     * The noise of one member for one generation, per weight layer: the low-rank factors
     * {@code A} ({@code m x r}) and {@code B} ({@code n x r}), or the full-rank {@code E}
     * ({@code m x n}), all row-major, and the bias noise {@code e} (null when biases are not
     * perturbed). The antithetic partners {@code 2k} and {@code 2k+1} share it; only the sign differs.
     * {@code threshold} and {@code decay} are the noise of evolved neuron parameters ({@link Neurons}),
     * null when they are not evolved (a layer's threshold noise is null where its thresholds do not act).
     */
    public record Perturbation(SnnConfig net, EsConfig es, float sign, float[][] a, float[][] b, float[][] full,
                               float[][] bias, float[][] threshold, float[][] decay) {

        /** The scale of the weight term: {@code s sigma/sqrt r} (EGGROLL) or {@code s sigma} (full rank). */
        public float weightScale() {
            return sign * (es.mode() == EsMode.EGGROLL ? es.sigmaLowRank() : es.sigma());
        }

        /** The scale of the bias term: {@code s sigma}. */
        public float biasScale() {
            return sign * es.sigma();
        }
    }

    /** Member {@code member}'s noise in generation {@code g}, regenerated from the key. */
    public static Perturbation perturbation(SnnConfig cfg, Generation g, int member) {
        EsConfig es = g.es();
        int pair = Generation.pair(member);
        int layers = cfg.layers();
        boolean lowRank = es.mode() == EsMode.EGGROLL;
        float[][] a = new float[layers][];
        float[][] b = new float[layers][];
        float[][] full = new float[layers][];
        float[][] bias = es.biasNoise() ? new float[layers][] : null;
        int r = es.rank();
        for (int l = 0; l < layers; l++) {
            int m = cfg.fanIn(l);
            int n = cfg.fanOut(l);
            if (lowRank) {
                a[l] = noise(g, pair, l, Noise.KIND_A, m * r);
                b[l] = noise(g, pair, l, Noise.KIND_B, n * r);
            } else {
                full[l] = noise(g, pair, l, Noise.KIND_FULL, Math.multiplyExact(m, n));
            }
            if (bias != null) {
                bias[l] = noise(g, pair, l, Noise.KIND_BIAS, n);
            }
        }
        float[][] threshold = cfg.evolveThreshold() ? new float[layers][] : null;
        float[][] decay = cfg.evolveDecay() ? new float[layers][] : null;
        for (int l = 0; l < layers; l++) {
            if (threshold != null && cfg.thresholdActs(l)) {
                threshold[l] = noise(g, pair, l, Noise.KIND_THRESHOLD, cfg.fanOut(l));
            }
            if (decay != null) {
                decay[l] = noise(g, pair, l, Noise.KIND_DECAY, cfg.fanOut(l));
            }
        }
        return new Perturbation(cfg, es, Generation.sign(member), a, b, full, bias, threshold, decay);
    }

    /** Elements {@code 0 .. count-1} of the stream (pair, generation, layer, kind), one at a time. */
    static float[] noise(Generation g, int pair, int layer, int kind, int count) {
        float[] out = new float[count];
        for (int e = 0; e < count; e++) {
            out[e] = Noise.at(g.seed(), pair, g.index(), Noise.stream(layer, kind), g.es().noise(), e);
        }
        return out;
    }

    // ---------------------------------------------------------------- forward, without forming W + A B^T

    /** Member {@code member}'s readout of one sample: {@code C} class scores. */
    public static float[] perturbedForward(SnnConfig cfg, Params params, Generation g, int member, SpikeBatch batch,
                                           int sample) {
        return perturbedForward(cfg, params, perturbation(cfg, g, member), batch, sample);
    }

    /**
     * The readout of one sample through the perturbed network: spike count plus the final
     * membrane residue {@code count + v_T / theta} ({@link Readout#SPIKE_COUNT}), or the mean
     * membrane of a non-spiking last layer ({@link Readout#MEMBRANE}).
     */
    public static float[] perturbedForward(SnnConfig cfg, Params params, Perturbation z, SpikeBatch batch,
                                           int sample) {
        int layers = cfg.layers();
        int last = layers - 1;
        boolean membrane = cfg.readout() == Readout.MEMBRANE;
        float[][] v = new float[layers][];
        for (int l = 0; l < layers; l++) {
            v[l] = new float[cfg.neurons(l)];
        }
        float[][] theta = new float[layers][];
        float[][] beta = new float[layers][];
        for (int l = 0; l < layers; l++) {
            theta[l] = new float[cfg.neurons(l)];
            beta[l] = new float[cfg.neurons(l)];
            Neurons.thresholds(params, l, z.threshold() == null ? null : z.threshold()[l], z.biasScale(), theta[l]);
            Neurons.decays(params, l, z.decay() == null ? null : z.decay()[l], z.biasScale(), beta[l]);
        }
        float[] score = new float[cfg.outputs()];
        int steps = batch.timesteps();
        for (int t = 0; t < steps; t++) {
            int[] x = java.util.Arrays.copyOfRange(batch.indices(), batch.start(sample, t), batch.end(sample, t));
            for (int l = 0; l < layers; l++) {
                float[] current = layerCurrent(params, z, l, x);
                if (l == last && membrane) {
                    integrate(v[l], current, beta[l]);
                    for (int j = 0; j < score.length; j++) {
                        score[j] += v[l][j];
                    }
                } else {
                    x = fire(v[l], current, beta[l], theta[l]);
                    if (l == last) {
                        for (int j : x) {
                            score[j] += 1f;
                        }
                    }
                }
            }
        }
        for (int j = 0; j < score.length; j++) {
            score[j] = membrane ? score[j] / steps : score[j] + v[last][j] / theta[last][j];
        }
        return score;
    }

    /**
     * Layer {@code l}'s input current: {@link #current} for a dense layer. For a conv layer
     * ({@link ConvGeometry}) every output position gets the dense current of its patch, the kernel
     * matrix {@code K} ({@code patch x channels}) playing {@code W}: {@code b + x_patch K + (s sigma_r)
     * (x_patch A) B^T + (s sigma) e}, with A ({@code patch x r}) and B ({@code channels x r}) the layer's
     * factors and b, e per channel; so {@code K + sigma_r A B^T} is never formed. The result is laid out
     * (channel, y, x).
     */
    static float[] layerCurrent(Params params, Perturbation z, int l, int[] x) {
        ConvGeometry g = z.net().conv(l);
        if (g == null) {
            return current(params, z, l, x);
        }
        int[][] patches = g.patches(x, x.length);
        int positions = g.positions();
        float[] out = new float[g.neurons()];
        for (int pos = 0; pos < positions; pos++) {
            float[] c = current(params, z, l, patches[pos]);
            for (int o = 0; o < c.length; o++) {
                out[o * positions + pos] = c[o];
            }
        }
        return out;
    }

    /**
     * Layer {@code l}'s input current for the active inputs {@code x} (increasing):
     * {@code b + x W}, then {@code + (s sigma_r) p} with {@code p} the {@link #perturbation}
     * term, then {@code + (s sigma) e} when biases are perturbed.
     */
    static float[] current(Params params, Perturbation z, int l, int[] x) {
        float[] w = params.weights(l);
        float[] current = params.bias(l).clone();
        int n = current.length;
        for (int a : x) {
            for (int j = 0; j < n; j++) {
                current[j] += w[a * n + j];
            }
        }
        float[] p = perturbation(z, l, x);
        float ws = z.weightScale();
        for (int j = 0; j < n; j++) {
            current[j] += ws * p[j];
        }
        if (z.bias() != null) {
            float bs = z.biasScale();
            for (int j = 0; j < n; j++) {
                current[j] += bs * z.bias()[l][j];
            }
        }
        return current;
    }

    /**
     * The unscaled perturbation of layer {@code l}'s current for the active inputs {@code x}:
     * {@code p = (x A) B^T}, or {@code x E} for full rank. For a single input {@code i} it is row
     * {@code i} of the materialised {@code A B^T} (or {@code E}).
     */
    public static float[] perturbation(Perturbation z, int l, int[] x) {
        int n = z.net().fanOut(l);
        if (z.es().mode() != EsMode.EGGROLL) {
            return rowSum(z.full()[l], n, x);
        }
        int r = z.es().rank();
        float[] a = z.a()[l];
        float[] b = z.b()[l];
        float[] u = new float[r];                 // u = x A
        for (int i : x) {
            for (int q = 0; q < r; q++) {
                u[q] += a[i * r + q];
            }
        }
        float[] p = new float[n];                 // p = u B^T
        for (int j = 0; j < n; j++) {
            p[j] = dot(u, b, j * r, r);
        }
        return p;
    }

    /**
     * {@code sum_q u_q B[j, q]}. A rank-1 product is its single term {@code u_0 B[j, 0]}, with no
     * {@code 0f +} in front (so a {@code -0} product stays {@code -0}, as in every backend).
     */
    static float dot(float[] u, float[] b, int row, int r) {
        if (r == 1) {
            return u[0] * b[row];
        }
        float sum = 0f;
        for (int q = 0; q < r; q++) {
            sum += u[q] * b[row + q];
        }
        return sum;
    }

    /** {@code x M}: the sum of the rows of {@code M} ({@code m x n}) the active inputs select, from 0f. */
    static float[] rowSum(float[] mat, int n, int[] x) {
        float[] out = new float[n];
        for (int i : x) {
            for (int j = 0; j < n; j++) {
                out[j] += mat[i * n + j];
            }
        }
        return out;
    }

    /** One LIF step with neuron j's decay and threshold; returns the neurons that spiked, in increasing order. */
    static int[] fire(float[] v, float[] current, float[] decay, float[] threshold) {
        int[] spikes = new int[v.length];
        int count = 0;
        for (int j = 0; j < v.length; j++) {
            v[j] = decay[j] * v[j] + current[j];
            if (v[j] >= threshold[j]) {
                spikes[count++] = j;
                v[j] = 0f;
            }
        }
        return java.util.Arrays.copyOf(spikes, count);
    }

    /** One step of the non-spiking leaky integrator of the membrane readout. */
    static void integrate(float[] v, float[] current, float[] decay) {
        for (int j = 0; j < v.length; j++) {
            v[j] = decay[j] * v[j] + current[j];
        }
    }

    // ---------------------------------------------------------------- update

    /** The antithetic pair weights {@code d_k = f_2k - f_2k+1}. */
    public static float[] pairWeights(float[] shaped) {
        float[] d = new float[shaped.length / 2];
        for (int k = 0; k < d.length; k++) {
            d[k] = shaped[2 * k] - shaped[2 * k + 1];
        }
        return d;
    }

    /**
     * The gradient estimate for every tensor of {@link Params#tensors()} (W0, b0, W1, ..., then the
     * evolved thresholds and decays): {@code G_l = A_cat diag(d) B_cat^T / (N sigma sqrt r)} (or
     * {@code sum_k d_k E_k / (N sigma)}), and {@code sum_k d_k e_k / (N sigma)} for the biases (zero
     * when biases are not perturbed) and for the neuron parameters with their own noise e (zero for
     * thresholds that do not act).
     * {@code N} is {@code effectivePopulation}; no members means a zero estimate.
     */
    public static float[][] gradient(SnnConfig cfg, Generation g, float[] shaped, int effectivePopulation) {
        EsConfig es = g.es();
        if (shaped.length != es.population()) {
            throw new IllegalArgumentException("shaped fitness has " + shaped.length + " entries, population is "
                    + es.population());
        }
        boolean lowRank = es.mode() == EsMode.EGGROLL;
        float[] d = pairWeights(shaped);
        float weightScale = inverse(effectivePopulation, es.sigma(), lowRank ? Math.sqrt(es.rank()) : 1);
        float biasScale = inverse(effectivePopulation, es.sigma(), 1);
        float[][] grads = new float[2 * cfg.layers() + neuronTensors(cfg)][];
        for (int l = 0; l < cfg.layers(); l++) {
            int m = cfg.fanIn(l);
            int n = cfg.fanOut(l);
            float[] gw = lowRank ? lowRankSum(g, l, m, n, d) : fullRankSum(g, l, m, n, d);
            grads[2 * l] = times(gw, weightScale);
            float[] gb = new float[n];
            if (es.biasNoise()) {
                gb = times(noiseSum(g, l, Noise.KIND_BIAS, n, d), biasScale);
            }
            grads[2 * l + 1] = gb;
        }
        for (int l = 0, i = 2 * cfg.layers(); l < cfg.layers(); l++) {
            int n = cfg.fanOut(l);
            if (cfg.evolveThreshold()) {
                grads[i + l] = cfg.thresholdActs(l) ? times(noiseSum(g, l, Noise.KIND_THRESHOLD, n, d), biasScale)
                        : new float[n];
            }
            if (cfg.evolveDecay()) {
                grads[i + (cfg.evolveThreshold() ? cfg.layers() : 0) + l] =
                        times(noiseSum(g, l, Noise.KIND_DECAY, n, d), biasScale);
            }
        }
        return grads;
    }

    /** The number of evolved neuron parameter tensors: L for thresholds, L for decays. */
    static int neuronTensors(SnnConfig cfg) {
        return ((cfg.evolveThreshold() ? 1 : 0) + (cfg.evolveDecay() ? 1 : 0)) * cfg.layers();
    }

    /** {@code 1 / (N sigma sqrt_r)}, in double, rounded to float once; 0 when N is 0. */
    static float inverse(int population, float sigma, double sqrtRank) {
        if (population == 0) {
            return 0f;
        }
        double s = population * (double) sigma;
        if (sqrtRank != 1) {
            s *= sqrtRank;
        }
        return (float) (1.0 / s);
    }

    /**
     * {@code A_cat diag(d) B_cat^T} as one contraction over the {@code P r} columns: column
     * {@code c = k r + q} of {@code A_cat} is column q of {@code A_k}, of {@code B_cat} it is
     * {@code d_k} times column q of {@code B_k}. Each element sums its terms {@code a * (d b)} in
     * column order from 0f. The columns of a pair with {@code d_k = 0} stay zero (they add
     * nothing, so its noise is not drawn).
     */
    static float[] lowRankSum(Generation g, int l, int m, int n, float[] d) {
        int r = g.es().rank();
        int cols = d.length * r;
        float[] aCat = new float[m * cols];
        float[] bCat = new float[n * cols];
        for (int k = 0; k < d.length; k++) {
            if (d[k] == 0f) {
                continue;
            }
            float[] a = noise(g, k, l, Noise.KIND_A, m * r);
            float[] b = noise(g, k, l, Noise.KIND_B, n * r);
            for (int q = 0; q < r; q++) {
                int c = k * r + q;
                for (int i = 0; i < m; i++) {
                    aCat[i * cols + c] = a[i * r + q];
                }
                for (int j = 0; j < n; j++) {
                    bCat[j * cols + c] = d[k] * b[j * r + q];
                }
            }
        }
        float[] sum = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                for (int c = 0; c < cols; c++) {
                    s += aCat[i * cols + c] * bCat[j * cols + c];
                }
                sum[i * n + j] = s;
            }
        }
        return sum;
    }

    /** {@code sum_k d_k E_k} for the full-rank baseline, pairs in increasing order from 0f. */
    static float[] fullRankSum(Generation g, int l, int m, int n, float[] d) {
        return noiseSum(g, l, Noise.KIND_FULL, Math.multiplyExact(m, n), d);
    }

    /** {@code sum_k d_k z_k} over the pairs' noise vectors z_k of one kind (length {@code count}). */
    static float[] noiseSum(Generation g, int l, int kind, int count, float[] d) {
        float[] sum = new float[count];
        for (int k = 0; k < d.length; k++) {
            if (d[k] == 0f) {
                continue;
            }
            float[] z = noise(g, k, l, kind, count);
            for (int i = 0; i < count; i++) {
                sum[i] += d[k] * z[i];
            }
        }
        return sum;
    }

    private static float[] times(float[] x, float s) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= s;
        }
        return x;
    }

    /**
     * One ES step on {@code params} and {@code state}, in place: the {@link #gradient}, then the
     * optimizer ({@link Optimizer#apply}) at {@code learningRate} with step number
     * {@code state.step() + 1}. Biases are left alone (weights, moments) when they are not perturbed,
     * and so are thresholds that do not act ({@link SnnConfig#thresholdActs}).
     */
    public static void update(Params params, OptimizerConfig optimizer, OptimizerState state, Generation g,
                              float[] shaped, int effectivePopulation, float learningRate) {
        float[][] grads = gradient(params.config(), g, shaped, effectivePopulation);
        long t = state.step() + 1;
        state.setStep(t);
        float[][] tensors = params.tensors();
        for (int i = 0; i < tensors.length; i++) {
            if (params.isBias(i) && !g.es().biasNoise() || !params.trains(i)) {
                continue;
            }
            Optimizer.apply(optimizer, learningRate, t, tensors[i], grads[i], state.first()[i], state.second()[i], 0,
                    tensors[i].length);
        }
    }
}
