package io.eggroll.snn.fixed;

import io.eggroll.snn.Neurons;
import io.eggroll.snn.Params;
import io.eggroll.snn.Readout;
import io.eggroll.snn.SnnConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps the float LIF network onto Loihi 2 fixed point (docs/DESIGN.md section 6.2, docs/FORMATS.md section 3.6,
 * generalised to a scale per layer).
 *
 * <p>Layer l gets a scale {@code s = 2^p}: a float weight w becomes the even integer
 * {@code 2 rint(w s / 2)} clamped to [-256, 254] (8-bit mixed-sign mantissa times 2, the grid a
 * NetX file stores and Lava's Dense keeps exactly), the threshold theta becomes
 * {@code vth = rint(theta s)} (spike when {@code v > vth << 6}), a bias b becomes
 * {@code rint(b s)} clamped to 13 bits with {@code bias_exp = 6}. Every term of the membrane
 * equation is multiplied by the same {@code s 2^6}, so the float and integer networks differ only
 * by rounding, saturation and the strict {@code >}. p is the largest integer in [0, 16] with
 * {@code max|W| s <= 254}, {@code max|b| s <= 4095} and {@code theta s <= 131071}: the finest grid
 * that holds the layer's weights (on the chip this is a shared weight exponent of {@code -p}
 * relative to the threshold; the file keeps {@code weight_exp = 0} and carries the scale in
 * {@code vThMant}). Decays: {@code du = 4095} (the current holds one step's input, so CUBA
 * reduces to the plain LIF), {@code dv = rint((1 - beta) 4096)}.
 *
 * <p>Evolved neuron parameters ({@link Neurons}): each neuron gets its own {@code vth} and
 * {@code dv} by the same rules from its threshold and decay as they act (clamped), on the layer's
 * scale; the scale's threshold bound takes the layer's largest threshold. The layer's shared
 * {@code vth} and {@code dv} (what a per-layer format such as NetX stores) are the rounded means.
 */
public final class LoihiQuantizer {

    public static final int MIN_WEIGHT = -256;
    public static final int MAX_WEIGHT = 254;
    public static final int BIAS_EXP = 6;
    public static final int MAX_SCALE_EXP = 16;
    /** {@code du} that clears the current every step (iDecay 4096 in NetX). */
    public static final int DU_NO_MEMORY = FixedLif.MAX_DECAY;

    private LoihiQuantizer() {}

    /** Rejects what Loihi's LIF cannot run; the message names the setting. */
    public static void checkExpressible(SnnConfig cfg) {
        if (cfg.readout() != Readout.SPIKE_COUNT) {
            throw new IllegalArgumentException("Loihi fixed point needs network.readout = SPIKE_COUNT; "
                    + cfg.readout() + " (a non-spiking membrane readout) has no Loihi LIF equivalent; train the run with "
                    + "--precision loihi (which chooses SPIKE_COUNT) or --readout SPIKE_COUNT");
        }
        if (Math.rint(cfg.threshold()) > FixedLif.MAX_VTH) {
            throw new IllegalArgumentException("network.threshold = " + cfg.threshold()
                    + " exceeds the 17-bit threshold mantissa even at scale 1");
        }
    }

    /** {@code dv} for a float decay beta: {@code rint((1 - beta) 4096)}. */
    public static int voltageDecay(float beta) {
        return (int) Math.clamp(Math.rint((1.0f - beta) * (double) FixedLif.DECAY_UNITY), 0, FixedLif.MAX_DECAY);
    }

    /** The scale exponent p of a layer (see the class comment). */
    public static int scaleExponent(float[] weights, float[] bias, float threshold) {
        double maxW = maxAbs(weights);
        double maxB = maxAbs(bias);
        for (int p = MAX_SCALE_EXP; p > 0; p--) {
            double s = Math.scalb(1.0, p);
            if (maxW * s <= MAX_WEIGHT && maxB * s <= FixedLif.MAX_BIAS_MANT && Math.rint(threshold * s) <= FixedLif.MAX_VTH) {
                return p;
            }
        }
        return 0;
    }

    private static double maxAbs(float[] x) {
        double m = 0;
        for (float f : x) {
            m = Math.max(m, Math.abs(f));
        }
        return m;
    }

    /** The integer weight for float w at scale exponent p. */
    public static int weight(float w, int p) {
        double q = 2 * Math.rint(Math.scalb((double) w, p - 1));
        return (int) Math.clamp(q, MIN_WEIGHT, MAX_WEIGHT);
    }

    /** The bias mantissa for float b at scale exponent p. */
    public static int biasMantissa(float b, int p) {
        return (int) Math.clamp(Math.rint(Math.scalb((double) b, p)), FixedLif.MIN_BIAS_MANT, FixedLif.MAX_BIAS_MANT);
    }

    /** The threshold mantissa for float theta at scale exponent p. */
    public static int thresholdMantissa(float theta, int p) {
        return (int) Math.clamp(Math.rint(Math.scalb((double) theta, p)), 0, FixedLif.MAX_VTH);
    }

    /** Quantises every weight of a layer into {@code out} (m x n, same layout). */
    public static void weights(float[] w, int p, int[] out) {
        for (int i = 0; i < w.length; i++) {
            out[i] = weight(w[i], p);
        }
    }

    /** One layer at scale exponent p. */
    public static FixedLayer layer(SnnConfig cfg, int l, float[] w, float[] b, int p) {
        int[] wi = new int[w.length];
        weights(w, p, wi);
        return layer(cfg, l, wi, b, p);
    }

    /** One layer at scale exponent p whose weights are already integers (used as given, not copied). */
    public static FixedLayer layer(SnnConfig cfg, int l, int[] wi, float[] b, int p) {
        return layer(cfg, l, wi, b, p, null, null);
    }

    /**
     * {@link #layer(SnnConfig, int, int[], float[], int)} with each neuron's threshold
     * {@code theta[j]} and decay {@code beta[j]} as they act ({@link Neurons}); with null the
     * network's shared values.
     */
    public static FixedLayer layer(SnnConfig cfg, int l, int[] wi, float[] b, int p, float[] theta, float[] beta) {
        int[] bi = new int[b.length];
        for (int j = 0; j < b.length; j++) {
            bi[j] = biasMantissa(b[j], p);
        }
        io.eggroll.snn.ConvGeometry g = cfg.conv(l);
        if (g != null) { // a conv layer runs as its unrolled Dense (FixedConv); its neurons share theta and beta
            return new FixedLayer(g.inputs(), g.neurons(), FixedConv.unroll(g, wi), 0, FixedConv.expandBias(g, bi),
                    BIAS_EXP, DU_NO_MEMORY, voltageDecay(cfg.decay()), thresholdMantissa(cfg.threshold(), p), p);
        }
        if (theta == null) {
            return new FixedLayer(cfg.fanIn(l), cfg.fanOut(l), wi, 0, bi, BIAS_EXP, DU_NO_MEMORY,
                    voltageDecay(cfg.decay()), thresholdMantissa(cfg.threshold(), p), p);
        }
        int n = cfg.fanOut(l);
        int[] vths = new int[n];
        int[] dvs = new int[n];
        for (int j = 0; j < n; j++) {
            vths[j] = thresholdMantissa(theta[j], p);
            dvs[j] = voltageDecay(beta[j]);
        }
        return new FixedLayer(cfg.fanIn(l), n, wi, 0, bi, BIAS_EXP, DU_NO_MEMORY, roundedMean(dvs),
                roundedMean(vths), p, dvs, vths);
    }

    private static int roundedMean(int[] x) {
        long sum = 0;
        for (int v : x) {
            sum += v;
        }
        return (int) Math.round((double) sum / x.length);
    }

    /** Layer l's thresholds and decays as they act, unperturbed ({@link Neurons}): {@code {theta, beta}}. */
    public static float[][] neuronValues(Params params, int l) {
        int n = params.config().neurons(l);
        float[] theta = new float[n];
        float[] beta = new float[n];
        Neurons.thresholds(params, l, null, 0f, theta);
        Neurons.decays(params, l, null, 0f, beta);
        return new float[][] {theta, beta};
    }

    /** The largest threshold of layer l as it acts (the shared one unless evolved): the scale's bound. */
    public static float maxThreshold(Params params, int l) {
        if (!params.config().thresholdActs(l)) {
            return params.config().threshold();
        }
        float max = 0f;
        for (float t : neuronValues(params, l)[0]) {
            max = Math.max(max, t);
        }
        return max;
    }

    /** Post-training quantisation of a float network (each layer at its own scale). */
    public static FixedNetwork quantize(Params params, boolean denseDelay) {
        SnnConfig cfg = params.config();
        checkExpressible(cfg);
        List<FixedLayer> layers = new ArrayList<>();
        for (int l = 0; l < cfg.layers(); l++) {
            float[] w = params.weights(l);
            float[] b = params.bias(l);
            int p = scaleExponent(w, b, maxThreshold(params, l));
            int[] wi = new int[w.length];
            weights(w, p, wi);
            float[][] neurons = cfg.evolvesNeurons() ? neuronValues(params, l) : new float[2][];
            layers.add(layer(cfg, l, wi, b, p, neurons[0], neurons[1]));
        }
        return new FixedNetwork(layers, denseDelay);
    }

    /** The float weights a fixed-point network stands for: {@code w_int 2^-p} (for NIR and float evaluation). */
    public static Params dequantize(FixedNetwork net, SnnConfig cfg) {
        Params p = new Params(cfg);
        for (int l = 0; l < net.layers().size(); l++) {
            FixedLayer layer = net.layers().get(l);
            io.eggroll.snn.ConvGeometry g = cfg.conv(l);
            int[] wInt = g == null ? layer.weights() : FixedConv.fold(g, layer.weights());
            int[] bInt = g == null ? layer.biasMant() : FixedConv.channelBias(g, layer.biasMant());
            float[] w = p.weights(l);
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) Math.scalb((double) wInt[i], -layer.scaleExp());
            }
            float[] b = p.bias(l);
            for (int j = 0; j < b.length; j++) {
                b[j] = (float) Math.scalb(FixedLif.shift(bInt[j], layer.biasExp() - BIAS_EXP), -layer.scaleExp());
                if (cfg.evolveThreshold()) {
                    p.threshold(l)[j] = (float) Math.scalb((double) layer.vth(j), -layer.scaleExp());
                }
                if (cfg.evolveDecay()) {
                    p.decay(l)[j] = 1f - layer.dv(j) / (float) FixedLif.DECAY_UNITY;
                }
            }
        }
        return p;
    }
}
