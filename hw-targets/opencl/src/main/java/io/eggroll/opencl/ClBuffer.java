package io.eggroll.opencl;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** A read-write {@code cl_mem} buffer; reads and writes go through a {@link ClQueue}. */
public final class ClBuffer implements AutoCloseable {

    private final long bytes;
    private final String what;
    private MemorySegment handle;

    ClBuffer(ClContext ctx, long bytes, String what) {
        this.bytes = bytes;
        this.what = what;
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment err = tmp.allocate(JAVA_INT);
            MemorySegment h = OpenCL.clCreateBuffer(ctx.handle(), OpenCL.CL_MEM_READ_WRITE, bytes, MemorySegment.NULL, err);
            int rc = err.get(JAVA_INT, 0);
            if (rc != OpenCL.CL_SUCCESS) {
                throw new ClException(rc, "allocating " + ClDevice.bytes(bytes) + " for " + what + " on "
                        + ctx.device().fullName());
            }
            handle = h;
        }
    }

    public long bytes() {
        return bytes;
    }

    /** What the buffer holds, for error messages. */
    public String what() {
        return what;
    }

    MemorySegment handle() {
        if (handle == null) {
            throw new IllegalStateException("OpenCL buffer " + what + " is closed");
        }
        return handle;
    }

    @Override
    public void close() {
        if (handle != null) {
            OpenCL.clReleaseMemObject(handle);
            handle = null;
        }
    }
}
