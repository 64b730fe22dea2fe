package io.eggroll.opencl;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/** A built {@code cl_program}: hands out kernels and its device binary. */
public final class ClProgram implements AutoCloseable {

    private final ClContext context;
    private MemorySegment handle;

    private ClProgram(ClContext context, MemorySegment handle) {
        this.context = context;
        this.handle = handle;
    }

    static ClProgram build(ClContext ctx, MemorySegment p, String options, String what) {
        ClProgram program = new ClProgram(ctx, p);
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment devices = tmp.allocate(ADDRESS);
            devices.set(ADDRESS, 0, ctx.device().handle());
            int rc = OpenCL.clBuildProgram(p, 1, devices, tmp.allocateFrom(options == null ? "" : options),
                    MemorySegment.NULL, MemorySegment.NULL);
            if (rc != OpenCL.CL_SUCCESS) {
                String log = program.buildLog();
                program.close();
                throw new ClException(rc, what + " (options: " + options + ")", log);
            }
        }
        return program;
    }

    MemorySegment handle() {
        if (handle == null) {
            throw new IllegalStateException("OpenCL program is closed");
        }
        return handle;
    }

    public ClContext context() {
        return context;
    }

    /** The device compiler's log of the last build (warnings, or the errors of a failed build). */
    public String buildLog() {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment size = tmp.allocate(JAVA_LONG);
            MemorySegment dev = context.device().handle();
            if (OpenCL.clGetProgramBuildInfo(handle(), dev, OpenCL.CL_PROGRAM_BUILD_LOG, 0, MemorySegment.NULL, size)
                    != OpenCL.CL_SUCCESS) {
                return "";
            }
            MemorySegment buf = tmp.allocate(Math.max(1, size.get(JAVA_LONG, 0)));
            if (OpenCL.clGetProgramBuildInfo(handle(), dev, OpenCL.CL_PROGRAM_BUILD_LOG, buf.byteSize(), buf,
                    MemorySegment.NULL) != OpenCL.CL_SUCCESS) {
                return "";
            }
            return ClDevices.cString(buf);
        }
    }

    /** The program's device binary ({@code CL_PROGRAM_BINARIES}), loadable with {@link ClContext#buildFromBinary}. */
    public byte[] binary() {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment sizes = tmp.allocate(JAVA_LONG);
            ClException.check(OpenCL.clGetProgramInfo(handle(), OpenCL.CL_PROGRAM_BINARY_SIZES, JAVA_LONG.byteSize(),
                    sizes, MemorySegment.NULL), "clGetProgramInfo(CL_PROGRAM_BINARY_SIZES)");
            long n = sizes.get(JAVA_LONG, 0);
            if (n <= 0) {
                throw new IllegalStateException("the OpenCL driver of " + context.device().fullName()
                        + " returned no program binary (CL_PROGRAM_BINARY_SIZES = 0)");
            }
            MemorySegment bin = tmp.allocate(n);
            MemorySegment ptrs = tmp.allocate(ADDRESS);
            ptrs.set(ADDRESS, 0, bin);
            ClException.check(OpenCL.clGetProgramInfo(handle(), OpenCL.CL_PROGRAM_BINARIES, ADDRESS.byteSize(), ptrs,
                    MemorySegment.NULL), "clGetProgramInfo(CL_PROGRAM_BINARIES)");
            return bin.toArray(JAVA_BYTE);
        }
    }

    public ClKernel kernel(String name) {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment err = tmp.allocate(JAVA_INT);
            MemorySegment k = OpenCL.clCreateKernel(handle(), tmp.allocateFrom(name, StandardCharsets.UTF_8), err);
            ClException.check(err.get(JAVA_INT, 0), "clCreateKernel(" + name + ")");
            return new ClKernel(this, k, name);
        }
    }

    @Override
    public void close() {
        if (handle != null) {
            OpenCL.clReleaseProgram(handle);
            handle = null;
        }
    }
}
