package io.eggroll.opencl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built {@code eggroll.cl} program on one device and its kernels: from source (headers of
 * {@code eggroll-kernels} inlined where the file includes them) or from a prebuilt binary.
 */
public final class EggrollProgram implements AutoCloseable {

    /** Classpath folder of the kernel sources (module {@code kernels/}). */
    public static final String RESOURCE_DIR = "io/eggroll/kernels/";
    public static final String MAIN_SOURCE = "eggroll.cl";
    /** Environment variable that overrides the work-group size of {@code egg_evaluate}. */
    public static final String LWS_ENV = "EGGROLL_OPENCL_LWS";
    /** Environment variable that overrides the vector width (neurons per work-item step). */
    public static final String VEC_ENV = "EGGROLL_OPENCL_VEC";

    private static final Pattern INCLUDE = Pattern.compile("(?m)^\\s*#include\\s+\"([^\"]+)\"\\s*$");

    private final ClProgram program;
    private final int workGroupSize;
    private final int vectorWidth;
    final ClKernel base;
    final ClKernel factor;
    final ClKernel evaluate;
    final ClKernel noiseSum;
    final ClKernel scaleB;
    final ClKernel lowRank;
    final ClKernel optimizer;
    final ClKernel noiseDump;

    private EggrollProgram(ClProgram program) {
        this.program = program;
        base = program.kernel("egg_base");
        factor = program.kernel("egg_factor");
        evaluate = program.kernel("egg_evaluate");
        noiseSum = program.kernel("egg_noise_sum");
        scaleB = program.kernel("egg_scale_b");
        lowRank = program.kernel("egg_lowrank");
        optimizer = program.kernel("egg_optimizer");
        noiseDump = program.kernel("egg_noise_dump");
        long lws = evaluate.compileWorkGroupSize();
        if (lws <= 0) {
            throw new IllegalStateException("egg_evaluate in this program has no reqd_work_group_size; build it from "
                    + "eggroll.cl with -DEGG_LWS=<size> (hw-targets/opencl/README.md)");
        }
        workGroupSize = (int) lws;
        vectorWidth = buildInfo(program)[1];
    }

    /** What {@code egg_build_info} reports: EGG_LWS and EGG_VEC of the built program. */
    private static int[] buildInfo(ClProgram program) {
        ClContext ctx = program.context();
        try (ClKernel k = program.kernel("egg_build_info"); ClBuffer b = ctx.buffer(8, "build info");
             ClQueue q = ctx.createQueue()) {
            k.arg(0, b);
            q.run(k, 1, 1);
            float[] out = new float[2];
            q.read(b, 0, out, 2);
            return new int[] {(int) out[0], (int) out[1]};
        }
    }

    /**
     * Compiles {@code eggroll.cl} for the context's device with work-groups of {@code lws} and the
     * device's {@link #defaultVectorWidth}.
     */
    public static EggrollProgram fromSource(ClContext ctx, int lws) {
        return fromSource(ctx, lws, 0);
    }

    /** As {@link #fromSource(ClContext, int)} with {@code EGG_VEC = vec} (0: the device's default). */
    public static EggrollProgram fromSource(ClContext ctx, int lws, int vec) {
        return new EggrollProgram(ctx.buildFromSource(source(), buildOptions(ctx.device(), lws, vec)));
    }

    /** Loads a program binary saved by {@code eggroll kernels build} or made by an FPGA compiler. */
    public static EggrollProgram fromBinary(ClContext ctx, Path file) {
        byte[] bin;
        try {
            bin = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("program binary " + file + " does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read program binary " + file, e);
        }
        if (bin.length == 0) {
            throw new IllegalArgumentException("program binary " + file + " is empty");
        }
        return new EggrollProgram(ctx.buildFromBinary(bin, fpOptions(ctx.device()), file.toString()));
    }

    /** The work-group size to compile with on a device: {@value #LWS_ENV}, else 64 (GPU) or 16. */
    public static int defaultWorkGroupSize(ClDevice device) {
        String env = System.getenv(LWS_ENV);
        int want = device.isGpu() || (device.type() & OpenCL.CL_DEVICE_TYPE_ACCELERATOR) != 0 ? 64 : 16;
        if (env != null && !env.isBlank()) {
            try {
                want = Integer.parseInt(env.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(LWS_ENV + " must be a positive integer, got '" + env + "'");
            }
            if (want < 1) {
                throw new IllegalArgumentException(LWS_ENV + " must be a positive integer, got " + want);
            }
        }
        return (int) Math.min(want, Math.max(1, device.maxWorkGroupSize()));
    }

    /**
     * Neurons a work-item handles per step with explicit {@code floatN} operations: {@value #VEC_ENV},
     * else 8 on CPUs (PoCL vectorises no loop that holds another loop, so explicit vectors are what
     * uses the SIMD units) and 1 elsewhere (a GPU's lanes are its work-items).
     */
    public static int defaultVectorWidth(ClDevice device) {
        String env = System.getenv(VEC_ENV);
        if (env != null && !env.isBlank()) {
            int v;
            try {
                v = Integer.parseInt(env.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(VEC_ENV + " must be 1, 2, 4, 8 or 16, got '" + env + "'");
            }
            if (v != 1 && v != 2 && v != 4 && v != 8 && v != 16) {
                throw new IllegalArgumentException(VEC_ENV + " must be 1, 2, 4, 8 or 16, got " + v);
            }
            return v;
        }
        return (device.type() & OpenCL.CL_DEVICE_TYPE_CPU) != 0 ? 8 : 1;
    }

    /**
     * {@code -cl-std=CL1.2 -DEGG_LWS=n -DEGG_VEC=w}, plus correctly rounded divide/sqrt where
     * supported.
     */
    public static String buildOptions(ClDevice device, int lws) {
        return buildOptions(device, lws, 0);
    }

    static String buildOptions(ClDevice device, int lws, int vec) {
        return ("-cl-std=CL1.2 -DEGG_LWS=" + lws + " -DEGG_VEC=" + (vec > 0 ? vec : defaultVectorWidth(device)) + " "
                + fpOptions(device)).strip();
    }

    private static String fpOptions(ClDevice device) {
        return device.correctlyRoundedDivideSqrt() ? "-cl-fp32-correctly-rounded-divide-sqrt" : "";
    }

    /** {@code eggroll.cl} with every {@code #include "..."} of a kernels header inlined (once each). */
    public static String source() {
        return inline(MAIN_SOURCE, new HashSet<>());
    }

    private static String inline(String name, Set<String> seen) {
        String text = resource(name);
        Matcher m = INCLUDE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String inc = m.group(1);
            m.appendReplacement(out, Matcher.quoteReplacement(seen.add(inc)
                    ? "/* ---- " + inc + " ---- */\n" + inline(inc, seen) : ""));
        }
        m.appendTail(out);
        return out.toString();
    }

    static String resource(String name) {
        try (InputStream in = EggrollProgram.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("kernel source " + RESOURCE_DIR + name
                        + " is not on the classpath (is eggroll-kernels missing?)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kernel source " + name, e);
        }
    }

    public ClProgram program() {
        return program;
    }

    /** Work-group size of {@code egg_evaluate} (its {@code reqd_work_group_size}). */
    public int workGroupSize() {
        return workGroupSize;
    }

    /** EGG_VEC of the program: consecutive neurons per work-item step ({@code egg_lowrank}'s strips). */
    public int vectorWidth() {
        return vectorWidth;
    }

    @Override
    public void close() {
        for (ClKernel k : new ClKernel[] {base, factor, evaluate, noiseSum, scaleB, lowRank, optimizer, noiseDump}) {
            k.close();
        }
        program.close();
    }
}
