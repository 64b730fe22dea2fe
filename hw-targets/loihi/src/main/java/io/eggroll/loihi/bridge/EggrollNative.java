package io.eggroll.loihi.bridge;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.eggroll.snn.fixed.FixedLayer;
import io.eggroll.snn.fixed.FixedNetwork;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * FFM bindings for {@code native/include/eggroll_native.h}, in the shape jextract generates: one
 * downcall handle per C function, looked up once from the shared library. Regenerate with
 * {@code jextract -l eggroll_native native/include/eggroll_native.h} if the header grows; the
 * functions bound here are all of it.
 *
 * <p>The library is loaded from the system property {@code eggroll.native.lib} when it is set, else
 * only from this installation's own places: next to this module's jar, or, running from a checkout
 * ({@code hw-targets/loihi/target/}), that checkout's {@code native/target/build/}. The working
 * directory and its parents are never searched, so a library planted there is not loaded.
 */
public final class EggrollNative {

    public static final String PROPERTY = "eggroll.native.lib";
    static final String FILE = System.mapLibraryName("eggroll_native");
    static final String BUILD_PATH = "native/target/build/" + FILE;

    private static volatile Object loaded;

    final MethodHandle version;
    final MethodHandle lastError;
    final MethodHandle philox4x32;
    final MethodHandle philoxBlock;
    final MethodHandle noiseFill;
    final MethodHandle fxLifStep;
    final MethodHandle fxRun;
    final MethodHandle h5Create;
    final MethodHandle h5Open;
    final MethodHandle h5Close;
    final MethodHandle h5Group;
    final MethodHandle h5Write;
    final MethodHandle h5WriteStrings;
    final MethodHandle h5Info;
    final MethodHandle h5Read;
    final MethodHandle h5ReadStrings;
    final MethodHandle h5List;
    private final Path path;

    private EggrollNative(Path path) {
        this.path = path;
        SymbolLookup lib = SymbolLookup.libraryLookup(path, Arena.global());
        Linker linker = Linker.nativeLinker();
        version = handle(linker, lib, "egg_native_version", FunctionDescriptor.of(ADDRESS));
        lastError = handle(linker, lib, "egg_native_last_error", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        philox4x32 = handle(linker, lib, "egg_native_philox4x32",
                FunctionDescriptor.ofVoid(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        philoxBlock = handle(linker, lib, "egg_native_philox_block",
                FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        noiseFill = handle(linker, lib, "egg_native_noise_fill", FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        fxLifStep = handle(linker, lib, "egg_native_fx_lif_step", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS,
                ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        fxRun = handle(linker, lib, "egg_native_fx_run", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS,
                ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS,
                ADDRESS, ADDRESS, ADDRESS));
        h5Create = handle(linker, lib, "egg_h5_create", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        h5Open = handle(linker, lib, "egg_h5_open", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        h5Close = handle(linker, lib, "egg_h5_close", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
        h5Group = handle(linker, lib, "egg_h5_group", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS));
        h5Write = handle(linker, lib, "egg_h5_write", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT,
                JAVA_INT, ADDRESS, ADDRESS));
        h5WriteStrings = handle(linker, lib, "egg_h5_write_strings", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS,
                JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        h5Info = handle(linker, lib, "egg_h5_info", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS));
        h5Read = handle(linker, lib, "egg_h5_read", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT,
                ADDRESS, JAVA_LONG));
        h5ReadStrings = handle(linker, lib, "egg_h5_read_strings", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS,
                ADDRESS, JAVA_LONG));
        h5List = handle(linker, lib, "egg_h5_list", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS,
                JAVA_LONG));
    }

    private static MethodHandle handle(Linker linker, SymbolLookup lib, String name, FunctionDescriptor fd) {
        MemorySegment sym = lib.find(name).orElseThrow(() -> new NativeUnavailableException(
                "libeggroll_native lacks the symbol " + name + " (stale build? rebuild native/)"));
        return linker.downcallHandle(sym, fd);
    }

    /** The library, loaded once; throws {@link NativeUnavailableException} naming what is missing. */
    public static EggrollNative get() {
        Object l = loaded;
        if (l == null) {
            synchronized (EggrollNative.class) {
                l = loaded;
                if (l == null) {
                    try {
                        l = new EggrollNative(locate());
                    } catch (NativeUnavailableException e) {
                        l = e;
                    } catch (RuntimeException e) {
                        l = new NativeUnavailableException("cannot load libeggroll_native: " + e.getMessage(), e);
                    }
                    loaded = l;
                }
            }
        }
        if (l instanceof NativeUnavailableException e) {
            throw new NativeUnavailableException(e.getMessage(), e);
        }
        return (EggrollNative) l;
    }

    /** Empty when the library loads; else why not. */
    public static Optional<String> unavailableReason() {
        try {
            get();
            return Optional.empty();
        } catch (NativeUnavailableException e) {
            return Optional.of(e.getMessage());
        }
    }

    static Path locate() {
        return locate(System.getProperty(PROPERTY), codeSource());
    }

    /**
     * Where the library is loaded from: {@code property} (the value of {@code -Deggroll.native.lib})
     * when set, else the first existing {@link #candidates candidate} of the installation that
     * {@code codeSource} (this class's jar or classes directory) belongs to. Nothing else is searched:
     * not the working directory, not any parent, so a library planted there is never loaded.
     */
    static Path locate(String property, Path codeSource) {
        if (property != null && !property.isBlank()) {
            return existing(Path.of(property), "system property " + PROPERTY);
        }
        List<Path> tried = candidates(codeSource);
        for (Path c : tried) {
            if (Files.isRegularFile(c)) {
                return c;
            }
        }
        throw new NativeUnavailableException("libeggroll_native is not built: not found where this installation keeps it ("
                + (tried.isEmpty() ? "no jar or classes location known" : "looked at " + tried) + "). Build it with "
                + "'mvn -pl native install' (needs cmake, gcc and libhdf5-dev: apt-get install -y cmake gcc libhdf5-dev), "
                + "or point -D" + PROPERTY + " at the library.");
    }

    /**
     * The installation's own places for the library, given this module's jar or classes directory:
     * next to the jar (a distribution's {@code lib/}), and, when the location is a checkout's
     * {@code hw-targets/loihi/target/(jar|classes)}, that checkout's {@code native/target/build/}.
     */
    static List<Path> candidates(Path codeSource) {
        List<Path> c = new ArrayList<>();
        if (codeSource == null) {
            return c;
        }
        Path loc = codeSource.toAbsolutePath().normalize();
        Path dir = loc.getParent();
        if (dir == null) {
            return c;
        }
        if (!Files.isDirectory(loc)) {
            c.add(dir.resolve(FILE)); // the jar's sibling
        }
        // <root>/hw-targets/loihi/target/{classes,eggroll-loihi-*.jar}: three levels above target/ is the checkout root
        Path hwTargets = dir.getParent() == null ? null : dir.getParent().getParent();
        if (named(dir, "target") && named(hwTargets, "hw-targets") && hwTargets.getParent() != null) {
            c.add(hwTargets.getParent().resolve(BUILD_PATH));
        }
        return c;
    }

    private static boolean named(Path p, String name) {
        return p != null && p.getFileName() != null && p.getFileName().toString().equals(name);
    }

    private static Path codeSource() {
        try {
            var src = EggrollNative.class.getProtectionDomain().getCodeSource();
            return src == null ? null : Path.of(src.getLocation().toURI());
        } catch (Exception ignored) {
            return null; // no code source (e.g. a custom class loader): only the property can name the library
        }
    }

    private static Path existing(Path p, String source) {
        if (!Files.isRegularFile(p)) {
            throw new NativeUnavailableException(source + " names " + p + ", which does not exist");
        }
        return p.toAbsolutePath();
    }

    public Path path() {
        return path;
    }

    /** E.g. {@code eggroll_native 0.1.0 (HDF5 1.10.8)}. */
    public String version() {
        try {
            return ((MemorySegment) version.invokeExact()).reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** This thread's last error message from the library. */
    String lastError() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(2048);
            int n = (int) lastError.invokeExact(buf, 2048);
            return n == 0 ? "unknown error" : buf.getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    // ------------------------------------------------------------------ rng

    /** Philox4x32 with {@code rounds} rounds (in place on the 4 counter words). */
    public int[] philox4x32(int rounds, int[] counter, int k0, int k1) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = a.allocateFrom(JAVA_INT, counter);
            philox4x32.invokeExact(rounds, c, k0, k1);
            return c.toArray(JAVA_INT);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** C's egg_philox_block: Philox4x32-10 of (block, pair, generation, stream) keyed by the seed. */
    public int[] philoxBlock(long seed, int block, int pair, int generation, int stream) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_INT, 4);
            philoxBlock.invokeExact(seed, block, pair, generation, stream, out);
            return out.toArray(JAVA_INT);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** C's egg_noise_fill: elements [first, first + count) of a noise stream. */
    public float[] noise(long seed, int pair, int generation, int stream, boolean gaussian, int first, int count) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_FLOAT, Math.max(1, count));
            noiseFill.invokeExact(seed, pair, generation, stream, gaussian ? 1 : 0, first, count, out);
            return count == 0 ? new float[0] : out.asSlice(0, 4L * count).toArray(JAVA_FLOAT);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ------------------------------------------------------------------ fixed point

    /** C's LIF step on copies of u and v; returns {u', v', spikes} (spikes trimmed to the count). */
    public int[][] lifStep(int[] u, int[] v, int[] a, int du, int dv, int vth, int[] biasMant, int biasExp) {
        int n = u.length;
        try (Arena ar = Arena.ofConfined()) {
            MemorySegment su = ar.allocateFrom(JAVA_INT, u);
            MemorySegment sv = ar.allocateFrom(JAVA_INT, v);
            MemorySegment sa = ar.allocateFrom(JAVA_INT, a);
            MemorySegment sb = biasMant == null ? MemorySegment.NULL : ar.allocateFrom(JAVA_INT, biasMant);
            MemorySegment ss = ar.allocate(JAVA_INT, Math.max(1, n));
            int count = (int) fxLifStep.invokeExact(n, su, sv, sa, du, dv, vth, sb, biasExp, ss);
            int[] spikes = new int[count];
            MemorySegment.copy(ss, JAVA_INT, 0, spikes, 0, count);
            return new int[][] {su.toArray(JAVA_INT), sv.toArray(JAVA_INT), spikes};
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** C's egg_native_fx_run: one sample through the network, with the same arguments as {@link FixedNetwork#trace}. */
    public FixedNetwork.Trace run(FixedNetwork net, int[] offsets, int base, int[] indices, int stepsIn, int stepsTotal) {
        List<FixedLayer> ls = net.layers();
        int layers = ls.size();
        int neurons = net.neurons();
        int[] wexp = new int[layers];
        int[] bexp = new int[layers];
        int[] du = new int[layers];
        int[] dv = new int[layers];
        int[] vth = new int[layers];
        int weightCount = 0;
        for (int l = 0; l < layers; l++) {
            FixedLayer f = ls.get(l);
            if (f.perNeuron()) {
                throw new IllegalArgumentException("layer " + l + " has per-neuron thresholds and decays (evolved "
                        + "neuron parameters); the native fixed-point kernel takes one per layer: run it in Java "
                        + "(FixedNetwork.trace)");
            }
            wexp[l] = f.weightExp();
            bexp[l] = f.biasExp();
            du[l] = f.du();
            dv[l] = f.dv();
            vth[l] = f.vth();
            weightCount += f.weights().length;
        }
        int[] w = new int[weightCount];
        int[] b = new int[neurons];
        int wo = 0;
        int bo = 0;
        for (FixedLayer f : ls) {
            System.arraycopy(f.weights(), 0, w, wo, f.weights().length);
            System.arraycopy(f.biasMant(), 0, b, bo, f.fanOut());
            wo += f.weights().length;
            bo += f.fanOut();
        }
        int[] off = new int[stepsIn + 1];
        for (int t = 0; t <= stepsIn; t++) {
            off[t] = offsets[base + t] - offsets[base];
        }
        int[] idx = java.util.Arrays.copyOfRange(indices, offsets[base], offsets[base + stepsIn]);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment raster = a.allocate(JAVA_BYTE, Math.max(1, (long) stepsTotal * neurons));
            MemorySegment u = a.allocate(JAVA_INT, neurons);
            MemorySegment v = a.allocate(JAVA_INT, neurons);
            int rc = (int) fxRun.invokeExact(layers, a.allocateFrom(JAVA_INT, net.sizes()), a.allocateFrom(JAVA_INT, w),
                    a.allocateFrom(JAVA_INT, wexp), a.allocateFrom(JAVA_INT, b), a.allocateFrom(JAVA_INT, bexp),
                    a.allocateFrom(JAVA_INT, du), a.allocateFrom(JAVA_INT, dv), a.allocateFrom(JAVA_INT, vth),
                    net.denseDelay() ? 1 : 0, stepsIn, stepsTotal, a.allocateFrom(JAVA_INT, off),
                    a.allocateFrom(JAVA_INT, idx.length == 0 ? new int[1] : idx), raster, u, v);
            if (rc != 0) {
                throw new IllegalArgumentException(lastError());
            }
            byte[] r = stepsTotal * neurons == 0 ? new byte[0] : raster.asSlice(0, (long) stepsTotal * neurons).toArray(JAVA_BYTE);
            return new FixedNetwork.Trace(stepsTotal, neurons, r, u.toArray(JAVA_INT), v.toArray(JAVA_INT));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
