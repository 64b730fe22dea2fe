package io.eggroll.snn;

/**
 * A plain, single-network forward pass over explicit weights: the definition the fast paths are
 * tested against. Input currents are accumulated as bias plus the rows of W selected by the
 * spiking inputs, in increasing input order.
 */
public final class LifNetwork {

    private LifNetwork() {}

    /** Scores of one sample: spike counts or mean membrane of the last layer, length = classes. */
    public static float[] forward(SnnConfig cfg, float[][] weights, float[][] biases, SpikeBatch batch, int sample) {
        float[][] theta = new float[cfg.layers()][];
        float[][] beta = new float[cfg.layers()][];
        for (int l = 0; l < cfg.layers(); l++) {
            theta[l] = new float[cfg.neurons(l)];
            beta[l] = new float[cfg.neurons(l)];
            java.util.Arrays.fill(theta[l], cfg.threshold());
            java.util.Arrays.fill(beta[l], cfg.decay());
        }
        return forward(cfg, weights, biases, theta, beta, batch, sample);
    }

    /** {@link #forward} of {@code params}, with its evolved neuron parameters as they act ({@link Neurons}). */
    public static float[] forward(Params params, SpikeBatch batch, int sample) {
        SnnConfig cfg = params.config();
        int layers = cfg.layers();
        float[][] w = new float[layers][];
        float[][] b = new float[layers][];
        float[][] theta = new float[layers][];
        float[][] beta = new float[layers][];
        for (int l = 0; l < layers; l++) {
            w[l] = params.weights(l);
            b[l] = params.bias(l);
            theta[l] = new float[cfg.neurons(l)];
            beta[l] = new float[cfg.neurons(l)];
            Neurons.thresholds(params, l, null, 0f, theta[l]);
            Neurons.decays(params, l, null, 0f, beta[l]);
        }
        return forward(cfg, w, b, theta, beta, batch, sample);
    }

    /** {@link #forward} with the decay {@code beta[l][j]} and threshold {@code theta[l][j]} of each neuron. */
    static float[] forward(SnnConfig cfg, float[][] weights, float[][] biases, float[][] theta, float[][] beta,
                           SpikeBatch batch, int sample) {
        int layers = cfg.layers();
        int width = cfg.maxWidth();
        float[][] v = new float[layers][];
        for (int l = 0; l < layers; l++) {
            v[l] = new float[cfg.neurons(l)];
        }
        float[] cur = new float[width];
        int[] in = new int[width];
        int[] out = new int[width];
        int outs = cfg.outputs();
        float[] score = new float[outs];
        boolean membrane = cfg.readout() == Readout.MEMBRANE;
        for (int t = 0; t < batch.timesteps(); t++) {
            int count = batch.end(sample, t) - batch.start(sample, t);
            System.arraycopy(batch.indices(), batch.start(sample, t), in, 0, count);
            for (int l = 0; l < layers; l++) {
                int n = cfg.neurons(l);
                ConvGeometry g = cfg.conv(l);
                if (g == null) {
                    current(weights[l], biases[l], n, in, count, cur);
                } else {
                    convCurrent(g, weights[l], biases[l], in, count, cur);
                }
                boolean last = l == layers - 1;
                if (last && membrane) {
                    Lif.integrate(v[l], cur, n, beta[l]);
                    for (int j = 0; j < n; j++) {
                        score[j] += v[l][j];
                    }
                } else {
                    count = Lif.step(v[l], cur, n, beta[l], theta[l], out);
                    if (last) {
                        for (int k = 0; k < count; k++) {
                            score[out[k]] += 1f;
                        }
                    }
                    int[] swap = in;
                    in = out;
                    out = swap;
                }
            }
        }
        float[] vl = v[layers - 1];
        for (int j = 0; j < outs; j++) {
            score[j] = membrane ? score[j] / batch.timesteps() : score[j] + vl[j] / theta[layers - 1][j];
        }
        return score;
    }

    /**
     * A conv layer's current, laid out (channel, y, x): at every output position {@link #current}
     * of its patch ({@link ConvGeometry#patches}) with the kernel matrix as W.
     */
    public static void convCurrent(ConvGeometry g, float[] kernel, float[] b, int[] active, int count, float[] cur) {
        int[][] patches = g.patches(active, count);
        int positions = g.positions();
        int channels = g.outChannels();
        float[] c = new float[channels];
        for (int pos = 0; pos < positions; pos++) {
            current(kernel, b, channels, patches[pos], patches[pos].length, c);
            for (int o = 0; o < channels; o++) {
                cur[o * positions + pos] = c[o];
            }
        }
    }

    /** {@code cur = b + sum over active i of W[i, :]}, rows added in the order given. */
    public static void current(float[] w, float[] b, int n, int[] active, int count, float[] cur) {
        System.arraycopy(b, 0, cur, 0, n);
        for (int k = 0; k < count; k++) {
            int row = active[k] * n;
            for (int j = 0; j < n; j++) {
                cur[j] += w[row + j];
            }
        }
    }
}
