package io.eggroll.simd;

/**
 * The hot float loops of the cpu backend, in one small interface (Lucene's
 * {@code VectorizationProvider} pattern). {@link ScalarOps} is the definition: plain loops in the
 * reference operation order of docs/ENGINE.md. {@link PanamaOps} computes the same values with the
 * Panama Vector API; every operation is lanewise multiply then add (never a fused multiply-add),
 * in the same per-element order, so both give the same bits.
 *
 * <p>Arrays are row-major; {@code off} arguments are element offsets. No method allocates.
 */
public interface VectorOps {

    /** Short name for logs and {@code eggroll devices}: {@code "scalar"} or {@code "panama"}. */
    String name();

    /**
     * {@code out[off + j] += Σ_k mat[rows[k] * n + j]} for {@code k} in {@code [from, to)}, added one
     * row at a time in increasing {@code k}: the sum of the weight rows selected by binary spikes.
     */
    void addRows(float[] mat, int n, int[] rows, int from, int to, float[] out, int off);

    /**
     * {@code p = u Bᵀ} with B stored transposed ({@code r × n}, row q contiguous):
     * {@code p_j = 0 + u_0 bt[j] + u_1 bt[n + j] + ...} in increasing q; for {@code r == 1}
     * {@code p_j = u_0 bt[j]} (no leading zero).
     */
    void expand(float[] u, float[] bt, int r, int n, float[] p, int off);

    /**
     * {@link #expand} for {@code frames} vectors u at once: frame f reads
     * {@code u[f uStride ..]} and writes {@code p[pOff + f pStride ..]}. Every element gets the
     * same sums as one {@link #expand} call per frame; a fast path may load each row of B once for
     * several frames.
     */
    void expandFrames(float[] u, int uStride, int frames, float[] bt, int r, int n, float[] p, int pOff, int pStride);

    /**
     * {@link #lifStep} for a spike-count readout: instead of listing the spikes, adds 1 to
     * {@code counts[countOff + j]} for each neuron j that spikes.
     */
    void lifStepCount(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb, float[] v, int n,
                      float decay, float threshold, float[] counts, int countOff);

    /**
     * One LIF step of a perturbed layer for one member: {@code I_j = base_j + ss p_j}, then
     * {@code I_j += sb e_j} when {@code e} is not null, then {@code v_j = decay v_j + I_j}; a neuron
     * with {@code v_j >= threshold} spikes and resets to 0. Writes the spiking neurons' indices in
     * increasing order into {@code spikes} and returns their number; {@code spikes} must have room
     * for {@code n + 64} entries (a fast path may write a whole vector past the last spike). A null {@code p} means an
     * unperturbed layer: {@code I_j = base_j}.
     */
    int lifStep(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb, float[] v, int n,
                float decay, float threshold, int[] spikes);

    /**
     * {@link #lifStep} for the two members of an antithetic pair, which see the same base current,
     * perturbation and bias noise with opposite signs: the first with {@code (ss, sb)}, the second
     * with {@code (-ss, -sb)}. Writes each member's spike count to {@code counts[0]} and
     * {@code counts[1]}. A fast path loads the shared inputs once for both.
     */
    void lifStepPair(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb, float[] vPlus,
                     float[] vMinus, int n, float decay, float threshold, int[] spikesPlus, int[] spikesMinus,
                     int[] counts);

    /** {@link #lifStepCount} for both members of a pair, as {@link #lifStepPair} does for {@link #lifStep}. */
    void lifStepCountPair(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb,
                          float[] vPlus, float[] vMinus, int n, float decay, float threshold, float[] countsPlus,
                          int offPlus, float[] countsMinus, int offMinus);

    /**
     * {@link #lifStepCountPair} over {@code frames} consecutive steps: step t reads
     * {@code base[baseOff + t baseStride ..]} and {@code p[pOff + t pStride ..]}. The same per-element
     * operations in the same order as one call per step; a fast path keeps each neuron's membrane
     * and counts in registers across the steps.
     */
    void lifStepCountPairFrames(float[] base, int baseOff, int baseStride, float[] p, int pOff, int pStride,
                                int frames, float ss, float[] e, float sb, float[] vPlus, float[] vMinus, int n,
                                float decay, float threshold, float[] countsPlus, int offPlus, float[] countsMinus,
                                int offMinus);

    /**
     * The non-spiking readout's step: the same current as {@link #lifStep}, {@code v_j = decay v_j + I_j},
     * then {@code acc[accOff + j] += v_j}.
     */
    void integrate(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb, float[] v, int n,
                   float decay, float[] acc, int accOff);

    /**
     * One step of a membrane readout above the first layer, fused: with {@code wa = [W | A]}
     * ({@code fanIn × (n + r)}, the layout of {@code CpuBackend}'s narrow layers) and the spikes
     * {@code in[0 .. c)} of the layer below, it is exactly
     * <pre>
     * cur[0..n) = bias, cur[n..n+r) = 0;  addRows(wa, n + r, in, 0, c, cur, 0);
     * u = cur[n..n+r);  expand(u, bt, r, n, proj, 0);
     * integrate(cur, 0, proj, 0, ss, e, sb, v, n, decay, acc, 0);
     * </pre>
     * and this default runs those ops. {@code cur}, {@code proj}, {@code u}, {@code v}, {@code acc},
     * {@code e}, {@code bt} and {@code wa} must reach at least 16 floats (a 512-bit vector) past
     * their last used element; lanes of {@code v} and {@code acc} from n on may be overwritten with
     * values of no meaning (a fast path works on whole vectors there), so a caller reads only
     * {@code [0, n)} of them.
     */
    default void readoutStep(float[] wa, float[] bias, int n, int r, int[] in, int c, float[] bt, float ss, float[] e,
                             float sb, float[] v, float decay, float[] acc, float[] cur, float[] proj, float[] u) {
        System.arraycopy(bias, 0, cur, 0, n);
        java.util.Arrays.fill(cur, n, n + r, 0f);
        addRows(wa, n + r, in, 0, c, cur, 0);
        System.arraycopy(cur, n, u, 0, r);
        expand(u, bt, r, n, proj, 0);
        integrate(cur, 0, proj, 0, ss, e, sb, v, n, decay, acc, 0);
    }

    /**
     * {@link #readoutStep} for both members of a pair, each with its own spikes, signs and state:
     * exactly member + ({@code inPlus}, {@code ssPlus}, {@code sbPlus}, {@code vPlus}, {@code accPlus})
     * then member − (the same with {@code Minus}). The fast path interleaves the two members' sums,
     * whose additions are two independent dependency chains.
     */
    default void readoutStepPair(float[] wa, float[] bias, int n, int r, float[] bt, float[] e, float decay,
                                 int[] inPlus, int cPlus, float ssPlus, float sbPlus, float[] vPlus, float[] accPlus,
                                 int[] inMinus, int cMinus, float ssMinus, float sbMinus, float[] vMinus,
                                 float[] accMinus, float[] cur, float[] proj, float[] u) {
        readoutStep(wa, bias, n, r, inPlus, cPlus, bt, ssPlus, e, sbPlus, vPlus, decay, accPlus, cur, proj, u);
        readoutStep(wa, bias, n, r, inMinus, cMinus, bt, ssMinus, e, sbMinus, vMinus, decay, accMinus, cur, proj, u);
    }

    /**
     * {@link #lifStep} with neuron j's own {@code decay[j]} and {@code threshold[j]} (evolved neuron
     * parameters, {@code io.eggroll.snn.Neurons}): {@code v_j = decay_j v_j + I_j}, spike where
     * {@code v_j >= threshold_j}. {@code decay} and {@code threshold} are padded as {@code v} is.
     */
    int lifStepNeurons(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb, float[] v,
                       int n, float[] decay, float[] threshold, int[] spikes);

    /** {@link #lifStepCount} with per-neuron decays and thresholds, as {@link #lifStepNeurons}. */
    void lifStepCountNeurons(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb,
                             float[] v, int n, float[] decay, float[] threshold, float[] counts, int countOff);

    /** {@link #integrate} with per-neuron decays, as {@link #lifStepNeurons}. */
    void integrateNeurons(float[] base, int baseOff, float[] p, int pOff, float ss, float[] e, float sb, float[] v,
                          int n, float[] decay, float[] acc, int accOff);

    /**
     * The rank-q update block {@code C[m × n] += A[m × q] · Bm[q × n]}: each element adds its terms
     * {@code a[i q + c] * b[c n + j]} in increasing c (multiply, then add), for rows
     * {@code [rowFrom, rowTo)} and columns {@code [colFrom, colTo)}. A term whose product is zero
     * leaves the element unchanged (the sum never becomes -0), so rows of A that are zero may be
     * skipped or not without changing the bits.
     */
    void gemmAccumulate(float[] a, float[] b, float[] c, int q, int n, int rowFrom, int rowTo, int colFrom,
                        int colTo);

    /** {@code y[yOff + j] += s x[xOff + j]} for {@code j < len} (multiply, then add). */
    void axpy(float s, float[] x, int xOff, float[] y, int yOff, int len);

    /** {@code x[j] *= s} for {@code j} in {@code [from, to)}. */
    void scale(float[] x, float s, int from, int to);
}
