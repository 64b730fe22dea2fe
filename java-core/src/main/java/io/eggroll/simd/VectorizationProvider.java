package io.eggroll.simd;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the {@link VectorOps} implementation at start-up, in the manner of Lucene's
 * {@code VectorizationProvider}: the Panama Vector API implementation when the
 * {@code jdk.incubator.vector} module is in the boot layer (the launcher, Surefire and the
 * benchmarks pass {@code --add-modules jdk.incubator.vector}) and the switch is not off; the
 * scalar definition otherwise. The choice, and why, is logged once and shown by
 * {@code eggroll devices}.
 *
 * <p>The switch is the system property {@value #PROPERTY} ({@code auto}, the default, or
 * {@code off}); {@code eggroll --simd off} sets it.
 */
public final class VectorizationProvider {

    /** System property that turns the fast path off: {@code -Deggroll.simd=off}. */
    public static final String PROPERTY = "eggroll.simd";

    private static final Logger LOG = LoggerFactory.getLogger(VectorizationProvider.class);
    private static final String MODULE = "jdk.incubator.vector";

    /** The outcome of the choice: the implementation and a one-line reason. */
    public record Choice(VectorOps ops, String reason) {}

    private static volatile Choice cached;
    private static volatile String cachedFor;

    private VectorizationProvider() {}

    /** The implementation for the current setting of the switch. */
    public static VectorOps ops() {
        return choice().ops();
    }

    /** The implementation and why it was chosen; logged the first time each setting is seen. */
    public static Choice choice() {
        String setting = System.getProperty(PROPERTY, "auto").trim().toLowerCase(java.util.Locale.ROOT);
        Choice c = cached;
        if (c != null && setting.equals(cachedFor)) {
            return c;
        }
        synchronized (VectorizationProvider.class) {
            if (cached == null || !setting.equals(cachedFor)) {
                cached = choose(setting);
                cachedFor = setting;
                LOG.info("vectorization: {} ({})", cached.ops().name(), cached.reason());
            }
            return cached;
        }
    }

    /** The Panama implementation, or null with the reason it is unavailable in {@code why[0]}. */
    public static VectorOps panama(String[] why) {
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            why[0] = "module " + MODULE + " is not present; start the JVM with --add-modules " + MODULE;
            return null;
        }
        try {
            Class<?> k = Class.forName("io.eggroll.simd.PanamaOps");
            VectorOps ops = (VectorOps) k.getDeclaredConstructor().newInstance();
            int bits = (int) k.getDeclaredMethod("bits").invoke(null);
            if (bits < 128) {
                why[0] = "the preferred vector width is only " + bits + " bits";
                return null;
            }
            why[0] = bits + "-bit vectors (" + (bits / 32) + " floats)";
            return ops;
        } catch (ReflectiveOperationException | LinkageError e) {
            why[0] = "cannot load the Panama implementation: " + e;
            return null;
        }
    }

    /** The scalar definition. */
    public static VectorOps scalar() {
        return ScalarOps.INSTANCE;
    }

    private static Choice choose(String setting) {
        switch (setting) {
            case "off", "false", "scalar" -> {
                return new Choice(ScalarOps.INSTANCE, "turned off by " + PROPERTY + "=" + setting);
            }
            case "auto", "on", "true", "", "panama" -> {
                String[] why = new String[1];
                VectorOps p = panama(why);
                return p != null ? new Choice(p, why[0]) : new Choice(ScalarOps.INSTANCE, why[0]);
            }
            default -> throw new IllegalArgumentException(PROPERTY + " must be 'auto' or 'off', got '" + setting + "'");
        }
    }
}
