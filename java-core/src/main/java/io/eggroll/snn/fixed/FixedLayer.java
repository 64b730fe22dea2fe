package io.eggroll.snn.fixed;

/**
 * One Dense + CUBA LIF layer in Loihi 2 fixed point.
 *
 * @param fanIn     m
 * @param fanOut    n
 * @param weights   effective integer weights, {@code m x n} row-major (row i = synapses of input i),
 *                  the values a NetX file stores: even integers in [-256, 254]
 * @param weightExp Dense {@code weight_exp}: the synaptic sum is shifted by it
 * @param biasMant  bias mantissas, n values in [-4096, 4095]
 * @param biasExp   bias exponent: the bias added to v each step is {@code biasMant << biasExp}
 * @param du        current decay, 0..4095 (Lava: effective decay (du + 1) / 4096)
 * @param dv        voltage decay, 0..4095
 * @param vth       threshold mantissa, 0..131071 (spike when {@code v > vth << 6})
 * @param scaleExp  the layer's scale p: a float weight w is the integer {@code w 2^p}, the float
 *                  threshold theta is {@code vth = theta 2^p} (dequantise with {@code 2^-p})
 * @param dvs       per-neuron voltage decays (evolved neuron parameters), n values, or null when
 *                  every neuron has {@code dv}; given together with {@code vths}
 * @param vths      per-neuron threshold mantissas, n values, or null when every neuron has {@code vth};
 *                  where given, {@code dv} and {@code vth} are the per-layer values a format without
 *                  per-neuron values takes ({@link #perNeuron})
 */
public record FixedLayer(int fanIn, int fanOut, int[] weights, int weightExp, int[] biasMant, int biasExp, int du,
                         int dv, int vth, int scaleExp, int[] dvs, int[] vths) {

    /** A layer whose neurons share {@code dv} and {@code vth}. */
    public FixedLayer(int fanIn, int fanOut, int[] weights, int weightExp, int[] biasMant, int biasExp, int du,
                      int dv, int vth, int scaleExp) {
        this(fanIn, fanOut, weights, weightExp, biasMant, biasExp, du, dv, vth, scaleExp, null, null);
    }

    public FixedLayer {
        if (fanIn < 1 || fanOut < 1) {
            throw new IllegalArgumentException("layer shape must be positive, got " + fanIn + " x " + fanOut);
        }
        if (weights.length != fanIn * fanOut) {
            throw new IllegalArgumentException("layer " + fanIn + " x " + fanOut + " needs " + fanIn * fanOut
                    + " weights, got " + weights.length);
        }
        if (biasMant.length != fanOut) {
            throw new IllegalArgumentException("layer with " + fanOut + " neurons needs " + fanOut + " bias values, got "
                    + biasMant.length);
        }
        check("du", du, 0, FixedLif.MAX_DECAY);
        check("dv", dv, 0, FixedLif.MAX_DECAY);
        check("vth", vth, 0, FixedLif.MAX_VTH);
        for (int j = 0; j < fanOut; j++) {
            check("bias mantissa of neuron " + j, biasMant[j], FixedLif.MIN_BIAS_MANT, FixedLif.MAX_BIAS_MANT);
        }
        if ((dvs == null) != (vths == null) || dvs != null && (dvs.length != fanOut || vths.length != fanOut)) {
            throw new IllegalArgumentException("per-neuron dv and vth must both be given, " + fanOut
                    + " values each, or neither");
        }
        for (int j = 0; dvs != null && j < fanOut; j++) {
            check("dv of neuron " + j, dvs[j], 0, FixedLif.MAX_DECAY);
            check("vth of neuron " + j, vths[j], 0, FixedLif.MAX_VTH);
        }
    }

    /** Whether each neuron has its own {@code dv} and {@code vth} ({@link #dvs}, {@link #vths}). */
    public boolean perNeuron() {
        return vths != null;
    }

    /** Neuron j's threshold mantissa. */
    public int vth(int j) {
        return vths == null ? vth : vths[j];
    }

    /** Neuron j's voltage decay. */
    public int dv(int j) {
        return dvs == null ? dv : dvs[j];
    }

    private static void check(String what, int value, int lo, int hi) {
        if (value < lo || value > hi) {
            throw new IllegalArgumentException(what + " = " + value + " is outside the hardware range [" + lo + ", "
                    + hi + "]");
        }
    }

    /** The float value of one integer weight step: {@code 2^-p}. */
    public double weightStep() {
        return Math.scalb(1.0, -scaleExp);
    }
}
