package io.eggroll.simd;

/**
 * The hot integer loops of the {@code loihi-sim} backend: Lava's bit-accurate Dense and CUBA LIF
 * and the quantisation of a perturbed weight row. {@link ScalarFixedOps} is the definition (it runs
 * {@link io.eggroll.snn.fixed.FixedLif} and {@link io.eggroll.snn.fixed.LoihiQuantizer} as they
 * are); {@link PanamaFixedOps} gives the same bits for every input with the Panama Vector API.
 * {@link FixedOpsProvider} chooses one at start-up, under the same switch as {@link VectorizationProvider}.
 *
 * <p>No method allocates.
 */
public interface FixedOps {

    /** Short name for logs: {@code "scalar"} or {@code "panama"}. */
    String name();

    /** {@link io.eggroll.snn.fixed.FixedLif#dense}: the Dense sum of the active rows, shifted by {@code wexp}. */
    void dense(int[] w, int n, int[] active, int count, int wexp, int[] a, int aOff);

    /**
     * Prepares {@link #denseHalves} for a layer of width n: {@code h[i] = w[i] / 2} for
     * {@code i < w.length}, when every weight is even and in [-256, 254] (what the quantiser makes)
     * and this implementation is faster on halves for width n. Returns false otherwise
     * ({@code h} then unspecified): run {@link #dense} on {@code w}.
     */
    boolean halve(int[] w, int n, short[] h);

    /** {@link #dense} over the weights {@code 2 h[i]}: the same sums, from half the memory. */
    void denseHalves(short[] h, int n, int[] active, int count, int wexp, int[] a, int aOff);

    /**
     * {@link io.eggroll.snn.fixed.FixedLif#step(int, int[], int[], int, int[], int, int, int, int[], int, int[])}:
     * one CUBA LIF step of n neurons; the spiking neurons' indices, increasing, go to {@code spikes}.
     */
    int lifStep(int n, int[] u, int[] v, int off, int[] a, int du, int dv, int vth, int[] biasMant, int biasExp,
                int[] spikes);

    /**
     * {@link io.eggroll.snn.fixed.FixedLif#stepNeurons}: {@link #lifStep} with each neuron's own
     * {@code dv[j]} and {@code vth[j]} (evolved neuron parameters).
     */
    int lifStepNeurons(int n, int[] u, int[] v, int off, int[] a, int du, int[] dv, int[] vth, int[] biasMant,
                       int biasExp, int[] spikes);

    /**
     * One perturbed weight row on the integer grid:
     * {@code out[outOff + j] = LoihiQuantizer.weight(w[wOff + j] + s x[xOff + j], p)} for {@code j < n},
     * the float sum formed as multiply, then add.
     */
    void quantizeRow(float[] w, int wOff, float s, float[] x, int xOff, int p, int[] out, int outOff, int n);
}
