package io.eggroll.tornado;

import io.eggroll.backend.BackendUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds TornadoVM and its devices. TornadoVM is not a Maven dependency at run time: its modules
 * come from {@code $TORNADOVM_HOME} through {@code java @$TORNADOVM_HOME/tornado-argfile}. Without
 * that, this class says so instead of failing with a linkage error; nothing here touches a
 * TornadoVM class before {@link #unavailableReason()} has found it.
 *
 * <p>Devices are named {@code backend:device} by TornadoVM's indices ({@code tornado --devices}
 * shows the same), and a selector is either such a pair, a position in {@link #list()}, or a
 * case-insensitive substring of the device description.
 */
public final class TornadoDevices {

    /** Where users get TornadoVM. */
    public static final String HOW_TO_GET = "install TornadoVM 5.2.0 for JDK 25 (github.com/beehive-lab/TornadoVM, "
            + "INSTALL_FROM_SOURCE.md), set TORNADOVM_HOME to its SDK directory and run through ./eggroll, which adds "
            + "java @$TORNADOVM_HOME/tornado-argfile";

    private static final String RUNTIME_PROPERTY = "tornado.load.runtime.implementation";
    private static final String BAILOUT_PROPERTY = "tornado.recover.bailout";
    /** TornadoVM's FMA phase fuses {@code a * b + c}; Java (and the cpu reference) never does. */
    static final String FMA_PROPERTY = "tornado.enable.fma";

    /** One TornadoVM device: its backend and device indices and what TornadoVM says about it. */
    public record Device(int backend, int index, String backendName, String name, String type, long globalMemory,
                         long maxAlloc, int computeUnits) {

        public String id() {
            return backend + ":" + index;
        }

        public String describe() {
            return String.format(Locale.ROOT, "%s %s: %s (%s, %d compute units, %s global memory, max buffer %s)", id(),
                    backendName, name, type, computeUnits, bytes(globalMemory), bytes(maxAlloc));
        }

        public boolean isCpu() {
            return type.toUpperCase(Locale.ROOT).contains("CPU");
        }
    }

    private static volatile Optional<String> reason;

    private TornadoDevices() {}

    /** Empty when TornadoVM is loaded and has at least one device; else why not and what to do. */
    public static Optional<String> unavailableReason() {
        Optional<String> r = reason;
        if (r == null) {
            r = probe();
            reason = r;
        }
        return r;
    }

    private static Optional<String> probe() {
        try {
            Class.forName("uk.ac.manchester.tornado.api.TornadoExecutionPlan", false,
                    TornadoDevices.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.of("TornadoVM is not loaded (its tornado.api module is not on the module path); "
                    + HOW_TO_GET);
        }
        if (System.getProperty(RUNTIME_PROPERTY) == null) {
            return Optional.of("the JVM was not started with TornadoVM's arguments (no -D" + RUNTIME_PROPERTY + "); "
                    + HOW_TO_GET);
        }
        // KernelContext kernels are wrong when run sequentially: a failed compilation must be an
        // error, not TornadoVM's silent fallback to the Java method.
        if (System.getProperty(BAILOUT_PROPERTY) == null) {
            System.setProperty(BAILOUT_PROPERTY, "False");
        }
        // Both are read once, when TornadoVM's runtime starts (below, unless something started it
        // earlier: ./eggroll and the tests also pass them on the command line).
        if (System.getProperty(FMA_PROPERTY) == null) {
            System.setProperty(FMA_PROPERTY, "False");
        }
        if (!"false".equalsIgnoreCase(System.getProperty(FMA_PROPERTY))) {
            return Optional.of("-D" + FMA_PROPERTY + "=" + System.getProperty(FMA_PROPERTY) + " lets TornadoVM fuse a * b + c "
                    + "into fma, which changes results against the cpu reference; run with -D" + FMA_PROPERTY + "=False");
        }
        try {
            if (Native.devices().isEmpty()) {
                return Optional.of("TornadoVM found no device (check the backends in $TORNADOVM_HOME/etc/tornado.backend "
                        + "and that their drivers are installed: 'tornado --devices')");
            }
        } catch (RuntimeException | LinkageError e) {
            return Optional.of("TornadoVM failed to start: " + e);
        }
        return Optional.empty();
    }

    /** Every device of every TornadoVM backend; empty when TornadoVM is unavailable. */
    public static List<Device> list() {
        return unavailableReason().isPresent() ? List.of() : Native.devices();
    }

    /**
     * The device a selector names: {@code null} or blank = TornadoVM's default device (backend 0,
     * device 0); {@code b:d}; a position in {@link #list()}; or a substring of a description.
     */
    public static Device select(String selector) {
        unavailableReason().ifPresent(r -> {
            throw new BackendUnavailableException("backend 'tornado' is unavailable: " + r);
        });
        List<Device> all = Native.devices();
        String s = selector == null ? "" : selector.strip();
        if (s.isEmpty()) {
            return all.getFirst();
        }
        if (s.matches("\\d+:\\d+")) {
            int b = Integer.parseInt(s.substring(0, s.indexOf(':')));
            int d = Integer.parseInt(s.substring(s.indexOf(':') + 1));
            return all.stream().filter(x -> x.backend() == b && x.index() == d).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--device " + s + ": TornadoVM has no device "
                            + "backend:device = " + s + "; devices: " + listing(all)));
        }
        if (s.matches("\\d+")) {
            int i = Integer.parseInt(s);
            if (i >= all.size()) {
                throw new IllegalArgumentException("--device " + s + ": no TornadoVM device with that index; devices: "
                        + listing(all));
            }
            return all.get(i);
        }
        String want = s.toLowerCase(Locale.ROOT);
        return all.stream().filter(x -> x.describe().toLowerCase(Locale.ROOT).contains(want)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--device '" + s + "' matches no TornadoVM device; "
                        + "devices: " + listing(all)));
    }

    private static String listing(List<Device> all) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < all.size(); i++) {
            b.append(i == 0 ? "" : "; ").append('[').append(i).append("] ").append(all.get(i).describe());
        }
        return b.toString();
    }

    static String bytes(long n) {
        if (n >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", n / (double) (1L << 30));
        }
        if (n >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", n / (double) (1L << 20));
        }
        return n + " B";
    }

    /** The part that links against TornadoVM: loaded only after the probe found its classes. */
    static final class Native {

        private static List<Device> cached;

        private Native() {}

        static synchronized List<Device> devices() {
            if (cached == null) {
                var map = uk.ac.manchester.tornado.api.TornadoExecutionPlan.getTornadoDeviceMap();
                List<Device> out = new ArrayList<>();
                var backends = map.getAllBackends();
                for (int b = 0; b < backends.size(); b++) {
                    var backend = backends.get(b);
                    for (int d = 0; d < backend.getNumDevices(); d++) {
                        var dev = backend.getDevice(d);
                        var phys = dev.getPhysicalDevice();
                        out.add(new Device(b, d, String.valueOf(backend.getBackendType()), phys.getDeviceName().strip(),
                                String.valueOf(dev.getDeviceType()), phys.getDeviceGlobalMemorySize(),
                                phys.getDeviceMaxAllocationSize(), phys.getDeviceMaxComputeUnits()));
                    }
                }
                cached = List.copyOf(out);
            }
            return cached;
        }

        static uk.ac.manchester.tornado.api.common.TornadoDevice device(Device d) {
            return uk.ac.manchester.tornado.api.TornadoExecutionPlan.getDevice(d.backend(), d.index());
        }
    }
}
