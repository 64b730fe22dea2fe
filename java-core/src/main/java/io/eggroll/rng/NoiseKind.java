package io.eggroll.rng;

/** The distribution of perturbation noise. */
public enum NoiseKind {
    /** Standard normal through the shared inverse-CDF table (bit-exact in Java, C and OpenCL). */
    GAUSSIAN,
    /** +1 or -1 with equal probability: one random bit per value; the hardware-friendly mode. */
    RADEMACHER;

    /** Values produced by one Philox block. */
    public int perBlock() {
        return this == GAUSSIAN ? 8 : 128;
    }

    /** log2 of {@link #perBlock()}. */
    public int blockShift() {
        return this == GAUSSIAN ? 3 : 7;
    }
}
