package io.eggroll.opencl;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * A {@code cl_context} on one device, owning the arena its native resources are tied to. Closing
 * it releases the context; programs, queues and buffers made from it are closed by their owners
 * first.
 */
public final class ClContext implements AutoCloseable {

    private final ClDevice device;
    private final Arena arena;
    private MemorySegment handle;

    public ClContext(ClDevice device) {
        this.device = device;
        this.arena = Arena.ofShared();
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment devices = tmp.allocate(ADDRESS);
            devices.set(ADDRESS, 0, device.handle());
            MemorySegment err = tmp.allocate(JAVA_INT);
            MemorySegment h = OpenCL.clCreateContext(MemorySegment.NULL, 1, devices, MemorySegment.NULL,
                    MemorySegment.NULL, err);
            ClException.check(err.get(JAVA_INT, 0), "clCreateContext(" + device.fullName() + ")");
            handle = h;
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public ClDevice device() {
        return device;
    }

    MemorySegment handle() {
        if (handle == null) {
            throw new IllegalStateException("OpenCL context is closed");
        }
        return handle;
    }

    Arena arena() {
        return arena;
    }

    public ClQueue createQueue() {
        return new ClQueue(this);
    }

    /** Allocates a read-write device buffer of {@code bytes} (at least 1). */
    public ClBuffer buffer(long bytes, String what) {
        return new ClBuffer(this, Math.max(4, bytes), what);
    }

    /** Compiles a program from source; a failure throws with the build log. */
    public ClProgram buildFromSource(String source, String options) {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment src = tmp.allocateFrom(source, StandardCharsets.UTF_8);
            MemorySegment strings = tmp.allocate(ADDRESS);
            strings.set(ADDRESS, 0, src);
            MemorySegment err = tmp.allocate(JAVA_INT);
            MemorySegment p = OpenCL.clCreateProgramWithSource(handle(), 1, strings, MemorySegment.NULL, err);
            ClException.check(err.get(JAVA_INT, 0), "clCreateProgramWithSource");
            return ClProgram.build(this, p, options, "building the OpenCL program from source for " + device.fullName());
        }
    }

    /**
     * Loads a prebuilt program ({@code CL_PROGRAM_BINARIES} of an earlier build, or an FPGA
     * bitstream such as {@code .aocx} / {@code .xclbin}) with {@code clCreateProgramWithBinary}.
     */
    public ClProgram buildFromBinary(byte[] binary, String options, String origin) {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment devices = tmp.allocate(ADDRESS);
            devices.set(ADDRESS, 0, device.handle());
            MemorySegment lengths = tmp.allocate(JAVA_LONG);
            lengths.set(JAVA_LONG, 0, binary.length);
            MemorySegment bin = tmp.allocate(Math.max(1, binary.length));
            MemorySegment.copy(binary, 0, bin, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, binary.length);
            MemorySegment binaries = tmp.allocate(ADDRESS);
            binaries.set(ADDRESS, 0, bin);
            MemorySegment status = tmp.allocate(JAVA_INT);
            MemorySegment err = tmp.allocate(JAVA_INT);
            MemorySegment p = OpenCL.clCreateProgramWithBinary(handle(), 1, devices, lengths, binaries, status, err);
            int rc = err.get(JAVA_INT, 0);
            if (rc == OpenCL.CL_SUCCESS) {
                rc = status.get(JAVA_INT, 0);
            }
            if (rc != OpenCL.CL_SUCCESS) {
                throw new ClException(rc, "loading program binary " + origin + " (" + binary.length
                        + " bytes) for " + device.fullName() + ": not a program binary for this device and driver");
            }
            return ClProgram.build(this, p, options, "building program binary " + origin + " for " + device.fullName());
        }
    }

    @Override
    public void close() {
        if (handle != null) {
            OpenCL.clReleaseContext(handle);
            handle = null;
            arena.close();
        }
    }
}
