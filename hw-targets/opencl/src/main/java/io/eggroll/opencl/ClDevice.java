package io.eggroll.opencl;

import java.lang.foreign.MemorySegment;
import java.util.Locale;

/**
 * One OpenCL device as found by {@link ClDevices#list()}: its handle (valid for the life of the
 * process) and the properties the backend and {@code eggroll devices} use.
 *
 * @param index    position in the list over all platforms, as {@code --device} takes it
 * @param handle   the {@code cl_device_id}
 * @param type     {@code CL_DEVICE_TYPE_*} bits
 * @param correctlyRoundedDivideSqrt whether {@code -cl-fp32-correctly-rounded-divide-sqrt} is supported
 */
public record ClDevice(int index, MemorySegment handle, String platform, String name, String vendor, long type,
                       int computeUnits, long globalMemory, long maxAlloc, long localMemory, long maxWorkGroupSize,
                       String deviceVersion, String openclCVersion, String driverVersion,
                       boolean correctlyRoundedDivideSqrt) {

    /** {@code GPU}, {@code CPU}, {@code ACCELERATOR} (FPGAs), ... */
    public String typeName() {
        if ((type & OpenCL.CL_DEVICE_TYPE_GPU) != 0) {
            return "GPU";
        }
        if ((type & OpenCL.CL_DEVICE_TYPE_CPU) != 0) {
            return "CPU";
        }
        if ((type & OpenCL.CL_DEVICE_TYPE_ACCELERATOR) != 0) {
            return "ACCELERATOR";
        }
        return (type & OpenCL.CL_DEVICE_TYPE_CUSTOM) != 0 ? "CUSTOM" : "DEVICE";
    }

    public boolean isGpu() {
        return (type & OpenCL.CL_DEVICE_TYPE_GPU) != 0;
    }

    /** {@code platform / name}: what {@code --device} substrings are matched against. */
    public String fullName() {
        return platform + " / " + name;
    }

    /** One line for {@code eggroll devices}. */
    public String describe() {
        return String.format(Locale.ROOT, "%s (%s), %d compute units, %s global memory (max buffer %s), %s local, %s",
                fullName(), typeName(), computeUnits, bytes(globalMemory), bytes(maxAlloc), bytes(localMemory),
                openclCVersion);
    }

    static String bytes(long b) {
        if (b >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", b / (double) (1L << 30));
        }
        if (b >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", b / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.0f KiB", b / 1024.0);
    }
}
