package io.eggroll.opencl;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** An in-order {@code cl_command_queue}: blocking transfers, kernel launches, {@code finish}. */
public final class ClQueue implements AutoCloseable {

    private final ClContext context;
    private MemorySegment handle;

    ClQueue(ClContext context) {
        this.context = context;
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment err = tmp.allocate(JAVA_INT);
            MemorySegment h = OpenCL.clCreateCommandQueue(context.handle(), context.device().handle(), 0, err);
            ClException.check(err.get(JAVA_INT, 0), "clCreateCommandQueue(" + context.device().fullName() + ")");
            handle = h;
        }
    }

    MemorySegment handle() {
        if (handle == null) {
            throw new IllegalStateException("OpenCL queue is closed");
        }
        return handle;
    }

    /** Writes {@code data[0..count)} to the buffer at float offset {@code at}, blocking. */
    public void write(ClBuffer buf, long at, float[] data, int count) {
        checkRange(buf, at * 4, count * 4L);
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment src = tmp.allocate(JAVA_FLOAT, Math.max(1, count));
            MemorySegment.copy(data, 0, src, JAVA_FLOAT, 0, count);
            ClException.check(OpenCL.clEnqueueWriteBuffer(handle(), buf.handle(), OpenCL.CL_TRUE, at * 4, count * 4L, src,
                    0, MemorySegment.NULL, MemorySegment.NULL), "writing " + buf.what());
        }
    }

    public void write(ClBuffer buf, float[] data) {
        write(buf, 0, data, data.length);
    }

    public void write(ClBuffer buf, int[] data) {
        checkRange(buf, 0, data.length * 4L);
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment src = tmp.allocate(JAVA_INT, Math.max(1, data.length));
            MemorySegment.copy(data, 0, src, JAVA_INT, 0, data.length);
            ClException.check(OpenCL.clEnqueueWriteBuffer(handle(), buf.handle(), OpenCL.CL_TRUE, 0, data.length * 4L,
                    src, 0, MemorySegment.NULL, MemorySegment.NULL), "writing " + buf.what());
        }
    }

    /** Reads {@code count} floats from float offset {@code at} into {@code out[0..count)}, blocking. */
    public void read(ClBuffer buf, long at, float[] out, int count) {
        checkRange(buf, at * 4, count * 4L);
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment dst = tmp.allocate(JAVA_FLOAT, Math.max(1, count));
            ClException.check(OpenCL.clEnqueueReadBuffer(handle(), buf.handle(), OpenCL.CL_TRUE, at * 4, count * 4L, dst,
                    0, MemorySegment.NULL, MemorySegment.NULL), "reading " + buf.what());
            MemorySegment.copy(dst, JAVA_FLOAT, 0, out, 0, count);
        }
    }

    /** Sets {@code bytes} bytes from {@code offset} to zero. */
    public void zero(ClBuffer buf, long offset, long bytes) {
        checkRange(buf, offset, bytes);
        try (Arena tmp = Arena.ofConfined()) {
            ClException.check(OpenCL.clEnqueueFillBuffer(handle(), buf.handle(), tmp.allocateFrom(JAVA_INT, 0), 4,
                    offset, bytes, 0, MemorySegment.NULL, MemorySegment.NULL), "clearing " + buf.what());
        }
    }

    /** Launches a 1-D range; {@code local} 0 lets the driver choose. */
    public void run(ClKernel kernel, long global, long local) {
        if (global == 0) {
            return;
        }
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment g = tmp.allocateFrom(JAVA_LONG, global);
            MemorySegment l = local > 0 ? tmp.allocateFrom(JAVA_LONG, local) : MemorySegment.NULL;
            ClException.check(OpenCL.clEnqueueNDRangeKernel(handle(), kernel.handle(), 1, MemorySegment.NULL, g, l, 0,
                    MemorySegment.NULL, MemorySegment.NULL), "launching " + kernel.name() + " (" + global + " work-items"
                    + (local > 0 ? ", work-groups of " + local : "") + ") on " + context.device().fullName());
        }
    }

    public void finish() {
        ClException.check(OpenCL.clFinish(handle()), "clFinish(" + context.device().fullName() + ")");
    }

    private static void checkRange(ClBuffer buf, long offset, long bytes) {
        if (offset < 0 || bytes < 0 || offset + bytes > buf.bytes()) {
            throw new IndexOutOfBoundsException(buf.what() + ": bytes [" + offset + ", " + (offset + bytes)
                    + ") outside a buffer of " + buf.bytes());
        }
    }

    @Override
    public void close() {
        if (handle != null) {
            OpenCL.clReleaseCommandQueue(handle);
            handle = null;
        }
    }
}
