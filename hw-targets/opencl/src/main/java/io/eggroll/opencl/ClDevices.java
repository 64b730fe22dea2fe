package io.eggroll.opencl;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Platform and device discovery, and {@code --device} selection. */
public final class ClDevices {

    /** Why the loader answered, as users should read it. */
    static final String NO_PLATFORM = "the OpenCL ICD loader found no platform (CL_PLATFORM_NOT_FOUND_KHR): no vendor "
            + "ICD is registered in /etc/OpenCL/vendors (or $OCL_ICD_VENDORS); install pocl-opencl-icd or a GPU "
            + "driver's OpenCL ICD";

    private ClDevices() {}

    /** Empty if at least one device is usable; else the reason OpenCL cannot run here. */
    public static Optional<String> unavailableReason() {
        Optional<String> lib = OpenCL.unavailableReason();
        if (lib.isPresent()) {
            return lib;
        }
        try {
            if (list().isEmpty()) {
                return Optional.of("OpenCL platforms were found but they report no device");
            }
            return Optional.empty();
        } catch (ClException e) {
            return Optional.of(e.code() == OpenCL.CL_PLATFORM_NOT_FOUND_KHR ? NO_PLATFORM : e.getMessage());
        }
    }

    /** Every device of every platform, in platform order. */
    public static List<ClDevice> list() {
        OpenCL.unavailableReason().ifPresent(r -> {
            throw new IllegalStateException(r);
        });
        List<ClDevice> out = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_INT);
            int rc = OpenCL.clGetPlatformIDs(0, MemorySegment.NULL, count);
            if (rc != OpenCL.CL_SUCCESS) {
                throw new ClException(rc, "clGetPlatformIDs");
            }
            int np = count.get(JAVA_INT, 0);
            if (np == 0) {
                throw new ClException(OpenCL.CL_PLATFORM_NOT_FOUND_KHR, "clGetPlatformIDs");
            }
            MemorySegment platforms = arena.allocate(ADDRESS, np);
            ClException.check(OpenCL.clGetPlatformIDs(np, platforms, MemorySegment.NULL), "clGetPlatformIDs");
            for (int p = 0; p < np; p++) {
                MemorySegment platform = platforms.getAtIndex(ADDRESS, p);
                String pname = platformString(platform, OpenCL.CL_PLATFORM_NAME);
                rc = OpenCL.clGetDeviceIDs(platform, OpenCL.CL_DEVICE_TYPE_ALL, 0, MemorySegment.NULL, count);
                if (rc == OpenCL.CL_DEVICE_NOT_FOUND) {
                    continue;
                }
                ClException.check(rc, "clGetDeviceIDs(" + pname + ")");
                int nd = count.get(JAVA_INT, 0);
                MemorySegment devices = arena.allocate(ADDRESS, nd);
                ClException.check(OpenCL.clGetDeviceIDs(platform, OpenCL.CL_DEVICE_TYPE_ALL, nd, devices,
                        MemorySegment.NULL), "clGetDeviceIDs(" + pname + ")");
                for (int d = 0; d < nd; d++) {
                    out.add(describe(out.size(), pname, devices.getAtIndex(ADDRESS, d)));
                }
            }
        }
        return out;
    }

    private static ClDevice describe(int index, String platform, MemorySegment d) {
        long fp = deviceLong(d, OpenCL.CL_DEVICE_SINGLE_FP_CONFIG);
        return new ClDevice(index, d, platform, deviceString(d, OpenCL.CL_DEVICE_NAME),
                deviceString(d, OpenCL.CL_DEVICE_VENDOR), deviceLong(d, OpenCL.CL_DEVICE_TYPE),
                deviceInt(d, OpenCL.CL_DEVICE_MAX_COMPUTE_UNITS), deviceLong(d, OpenCL.CL_DEVICE_GLOBAL_MEM_SIZE),
                deviceLong(d, OpenCL.CL_DEVICE_MAX_MEM_ALLOC_SIZE), deviceLong(d, OpenCL.CL_DEVICE_LOCAL_MEM_SIZE),
                deviceLong(d, OpenCL.CL_DEVICE_MAX_WORK_GROUP_SIZE), deviceString(d, OpenCL.CL_DEVICE_VERSION),
                deviceString(d, OpenCL.CL_DEVICE_OPENCL_C_VERSION), deviceString(d, OpenCL.CL_DRIVER_VERSION),
                (fp & OpenCL.CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0);
    }

    /**
     * Picks a device: {@code null} = the first GPU, else the first device; an integer = that index
     * of {@link #list()}; anything else = the first device whose {@code platform / name} contains
     * it (case-insensitive). Throws naming the selector and listing the devices when none matches.
     */
    public static ClDevice select(String selector) {
        List<ClDevice> all = list();
        if (all.isEmpty()) {
            throw new IllegalStateException("no OpenCL device found");
        }
        if (selector == null || selector.isBlank()) {
            return all.stream().filter(ClDevice::isGpu).findFirst().orElse(all.get(0));
        }
        String s = selector.strip();
        if (s.chars().allMatch(Character::isDigit)) {
            int i = Integer.parseInt(s);
            if (i < all.size()) {
                return all.get(i);
            }
            throw new IllegalArgumentException("--device " + s + ": no OpenCL device with that index; " + listing(all));
        }
        String needle = s.toLowerCase(Locale.ROOT);
        return all.stream().filter(d -> d.fullName().toLowerCase(Locale.ROOT).contains(needle)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--device '" + s + "' matches no OpenCL device; "
                        + listing(all)));
    }

    private static String listing(List<ClDevice> all) {
        StringBuilder b = new StringBuilder("devices:");
        for (ClDevice d : all) {
            b.append(" [").append(d.index()).append("] ").append(d.fullName());
        }
        return b.toString();
    }

    static String platformString(MemorySegment platform, int param) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment size = arena.allocate(JAVA_LONG);
            ClException.check(OpenCL.clGetPlatformInfo(platform, param, 0, MemorySegment.NULL, size), "clGetPlatformInfo");
            MemorySegment buf = arena.allocate(Math.max(1, size.get(JAVA_LONG, 0)));
            ClException.check(OpenCL.clGetPlatformInfo(platform, param, buf.byteSize(), buf, MemorySegment.NULL),
                    "clGetPlatformInfo");
            return cString(buf);
        }
    }

    static String deviceString(MemorySegment device, int param) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment size = arena.allocate(JAVA_LONG);
            ClException.check(OpenCL.clGetDeviceInfo(device, param, 0, MemorySegment.NULL, size), "clGetDeviceInfo");
            MemorySegment buf = arena.allocate(Math.max(1, size.get(JAVA_LONG, 0)));
            ClException.check(OpenCL.clGetDeviceInfo(device, param, buf.byteSize(), buf, MemorySegment.NULL),
                    "clGetDeviceInfo");
            return cString(buf);
        }
    }

    /** A scalar device property of 4 or 8 bytes (cl_uint, cl_ulong, size_t, cl_bitfield). */
    static long deviceLong(MemorySegment device, int param) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(JAVA_LONG);
            MemorySegment size = arena.allocate(JAVA_LONG);
            ClException.check(OpenCL.clGetDeviceInfo(device, param, 8, buf, size), "clGetDeviceInfo");
            return size.get(JAVA_LONG, 0) == 4 ? Integer.toUnsignedLong(buf.get(JAVA_INT, 0)) : buf.get(JAVA_LONG, 0);
        }
    }

    static int deviceInt(MemorySegment device, int param) {
        return (int) deviceLong(device, param);
    }

    static String cString(MemorySegment buf) {
        byte[] b = buf.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8).strip();
    }
}
