package io.eggroll.opencl;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** A {@code cl_kernel}; arguments are set by index, with the type of the kernel parameter. */
public final class ClKernel implements AutoCloseable {

    private final ClProgram program;
    private final String name;
    private MemorySegment handle;

    ClKernel(ClProgram program, MemorySegment handle, String name) {
        this.program = program;
        this.handle = handle;
        this.name = name;
    }

    public String name() {
        return name;
    }

    MemorySegment handle() {
        if (handle == null) {
            throw new IllegalStateException("OpenCL kernel " + name + " is closed");
        }
        return handle;
    }

    private ClKernel set(int index, long size, MemorySegment value) {
        ClException.check(OpenCL.clSetKernelArg(handle(), index, size, value), "clSetKernelArg(" + name + ", " + index + ")");
        return this;
    }

    public ClKernel arg(int index, ClBuffer buffer) {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment v = tmp.allocate(ADDRESS);
            v.set(ADDRESS, 0, buffer.handle());
            return set(index, ADDRESS.byteSize(), v);
        }
    }

    /** An {@code int} or {@code uint} parameter. */
    public ClKernel arg(int index, int value) {
        try (Arena tmp = Arena.ofConfined()) {
            return set(index, 4, tmp.allocateFrom(JAVA_INT, value));
        }
    }

    /** A {@code long} or {@code ulong} parameter. */
    public ClKernel arg(int index, long value) {
        try (Arena tmp = Arena.ofConfined()) {
            return set(index, 8, tmp.allocateFrom(JAVA_LONG, value));
        }
    }

    public ClKernel arg(int index, float value) {
        try (Arena tmp = Arena.ofConfined()) {
            return set(index, 4, tmp.allocateFrom(JAVA_FLOAT, value));
        }
    }

    /** A {@code __local} buffer of {@code bytes}. */
    public ClKernel localArg(int index, long bytes) {
        return set(index, Math.max(4, bytes), MemorySegment.NULL);
    }

    /** {@code reqd_work_group_size} the kernel was compiled with (0 when it has none). */
    public long compileWorkGroupSize() {
        return workGroupInfo(OpenCL.CL_KERNEL_COMPILE_WORK_GROUP_SIZE, 3 * 8);
    }

    /** The largest work-group this kernel can run with on the device. */
    public long maxWorkGroupSize() {
        return workGroupInfo(OpenCL.CL_KERNEL_WORK_GROUP_SIZE, 8);
    }

    private long workGroupInfo(int param, long bytes) {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment buf = tmp.allocate(bytes);
            ClException.check(OpenCL.clGetKernelWorkGroupInfo(handle(), program.context().device().handle(), param, bytes,
                    buf, MemorySegment.NULL), "clGetKernelWorkGroupInfo(" + name + ")");
            return buf.get(JAVA_LONG, 0);
        }
    }

    @Override
    public void close() {
        if (handle != null) {
            OpenCL.clReleaseKernel(handle);
            handle = null;
        }
    }
}
