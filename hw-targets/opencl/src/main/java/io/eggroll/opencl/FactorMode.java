package io.eggroll.opencl;

import java.util.Locale;

/**
 * Where {@code egg_evaluate} and the update get each pair's perturbation factors (A, B or E, and the
 * bias noise): materialised once per generation in device memory by {@code egg_factor}, or
 * regenerated from Philox wherever a kernel needs a value. Both give the same values, so the same
 * bits; they differ in speed and memory only.
 *
 * <p>Chosen with {@code BackendOptions.factors}, else {@value #PROPERTY}, else {@value #ENV}
 * ({@code auto}, {@code materialise} or {@code regenerate}); {@link #AUTO} materialises when one
 * pair's factors fit in {@link #budget(ClDevice)}.
 */
public enum FactorMode {
    /** Materialise when one pair's factors fit in the device's factor budget, else regenerate. */
    AUTO,
    /** Always materialise (an error when one pair's factors exceed the largest buffer). */
    MATERIALISE,
    /** Regenerate every factor value from Philox where it is used (no factor memory). */
    REGENERATE;

    /** System property that selects the mode when the backend options do not. */
    public static final String PROPERTY = "eggroll.opencl.factors";
    /** Environment variable that selects the mode when neither the options nor the property do. */
    public static final String ENV = "EGGROLL_OPENCL_FACTORS";

    /** {@code auto}, {@code materialise} (or {@code materialize}) or {@code regenerate}, any case. */
    public static FactorMode parse(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "materialise", "materialize" -> MATERIALISE;
            case "regenerate" -> REGENERATE;
            default -> throw new IllegalArgumentException("factors must be auto, materialise or regenerate, got '" + s
                    + "'");
        };
    }

    /** {@code option} if given, else the {@value #PROPERTY} property, else {@value #ENV}, else {@link #AUTO}. */
    public static FactorMode resolve(String option) {
        String s = option;
        if (s == null || s.isBlank()) {
            s = System.getProperty(PROPERTY);
        }
        if (s == null || s.isBlank()) {
            s = System.getenv(ENV);
        }
        return s == null || s.isBlank() ? AUTO : parse(s);
    }

    /**
     * Bytes of device memory the materialised factors of one launch may take: a quarter of the
     * global memory, at most the largest buffer.
     */
    public static long budget(ClDevice device) {
        return Math.min(device.maxAlloc(), device.globalMemory() / 4);
    }

    /** Whether factors of {@code bytesPerPair} per pair are materialised under a factor budget. */
    boolean materialises(long bytesPerPair, long budget) {
        return switch (this) {
            case REGENERATE -> false;
            case MATERIALISE -> true;
            case AUTO -> bytesPerPair <= budget;
        };
    }

    /** The policy in words, for {@code eggroll devices} and the backend's description. */
    public String describe(ClDevice device) {
        return switch (this) {
            case AUTO -> "factors materialised in device memory when a pair's fit in " + ClDevice.bytes(budget(device))
                    + " (auto), else regenerated";
            case MATERIALISE -> "factors materialised in device memory (forced)";
            case REGENERATE -> "factors regenerated on the fly (forced)";
        };
    }

    public String cliName() {
        return this == MATERIALISE ? "materialise" : name().toLowerCase(Locale.ROOT);
    }
}
