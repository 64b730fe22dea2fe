package io.eggroll.simd;

/**
 * Chooses the {@link FixedOps} implementation alongside {@link VectorizationProvider}: the Panama
 * one wherever the float path runs Panama, the scalar definition wherever it runs scalar (so the
 * one switch, {@code --simd off} or {@value VectorizationProvider#PROPERTY}, turns both off).
 */
public final class FixedOpsProvider {

    private FixedOpsProvider() {}

    /** The implementation for the current setting of the switch. */
    public static FixedOps ops() {
        return forOps(VectorizationProvider.ops());
    }

    /** The scalar definition. */
    public static FixedOps scalar() {
        return ScalarFixedOps.INSTANCE;
    }

    /** The integer implementation that goes with a float one: Panama for Panama, else the scalar definition. */
    public static FixedOps forOps(VectorOps ops) {
        // By name, not instanceof: resolving PanamaOps needs the incubator module, which may be absent.
        return "panama".equals(ops.name()) ? Panama.INSTANCE : ScalarFixedOps.INSTANCE;
    }

    /** Created on first use only, so the scalar path never touches {@code jdk.incubator.vector}. */
    private static final class Panama {
        static final FixedOps INSTANCE = new PanamaFixedOps();
    }
}
