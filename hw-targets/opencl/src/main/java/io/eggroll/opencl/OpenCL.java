package io.eggroll.opencl;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Map;
import java.util.Optional;

/**
 * Bindings for the OpenCL 1.2 subset the opencl backend uses, over the ICD loader
 * {@code libOpenCL.so.1}, in the shape jextract generates: one lazily created downcall
 * {@link MethodHandle} per C function (a holder class each, so a function the loader lacks
 * fails only when called), the {@code #define} constants as static members, every handle type
 * ({@code cl_platform_id}, {@code cl_context}, {@code cl_mem}, ...) as an address.
 *
 * <p>Regenerate with jextract (22+) from the Khronos headers ({@code apt-get install
 * opencl-headers}):
 * <pre>
 * jextract --target-package io.eggroll.opencl --header-class-name OpenCL -l :libOpenCL.so.1 \
 *   -D CL_TARGET_OPENCL_VERSION=120 \
 *   --include-function clGetPlatformIDs --include-function clGetPlatformInfo --include-function clGetDeviceIDs \
 *   --include-function clGetDeviceInfo --include-function clCreateContext --include-function clReleaseContext \
 *   --include-function clCreateCommandQueue --include-function clReleaseCommandQueue --include-function clCreateProgramWithSource \
 *   --include-function clCreateProgramWithBinary --include-function clBuildProgram --include-function clGetProgramInfo \
 *   --include-function clGetProgramBuildInfo --include-function clReleaseProgram --include-function clCreateKernel \
 *   --include-function clReleaseKernel --include-function clSetKernelArg \
 *   --include-function clGetKernelWorkGroupInfo --include-function clCreateBuffer --include-function clReleaseMemObject \
 *   --include-function clEnqueueWriteBuffer --include-function clEnqueueReadBuffer --include-function clEnqueueFillBuffer \
 *   --include-function clEnqueueNDRangeKernel --include-function clFinish \
 *   --include-constant CL_SUCCESS ... (the constants below) /usr/include/CL/cl.h
 * </pre>
 * Functions included: {@code clGetPlatformIDs}, {@code clGetPlatformInfo}, {@code clGetDeviceIDs},
 * {@code clGetDeviceInfo}, {@code clCreateContext}, {@code clReleaseContext}, {@code
 * clCreateCommandQueue}, {@code clReleaseCommandQueue}, {@code clCreateProgramWithSource}, {@code
 * clCreateProgramWithBinary}, {@code clBuildProgram}, {@code clGetProgramInfo}, {@code
 * clGetProgramBuildInfo}, {@code clReleaseProgram}, {@code clCreateKernel}, {@code clReleaseKernel},
 * {@code clSetKernelArg}, {@code clGetKernelWorkGroupInfo}, {@code clCreateBuffer}, {@code
 * clReleaseMemObject}, {@code clEnqueueWriteBuffer}, {@code clEnqueueReadBuffer}, {@code
 * clEnqueueFillBuffer}, {@code clEnqueueNDRangeKernel}, {@code clFinish}.
 * The C types map as jextract maps them on LP64: {@code cl_int}/{@code cl_uint}/{@code cl_bool}
 * to {@code int}, {@code cl_ulong}/{@code cl_bitfield}/{@code size_t} to {@code long}, pointers
 * and handles to {@link MemorySegment}. The hand-written additions are {@link #errorName}
 * (the symbolic names of the error codes) and {@link #unavailableReason} (loading the ICD loader
 * may fail; the backend reports why instead of throwing from a static initialiser).
 */
@SuppressWarnings({"unused", "checkstyle:MethodName"})
public final class OpenCL {

    /** The ICD loader; the system property {@code eggroll.opencl.library} overrides it (tests). */
    public static final String LIBRARY = System.getProperty("eggroll.opencl.library", "libOpenCL.so.1");

    private static final SymbolLookup LOOKUP;
    private static final String LOAD_ERROR;

    static {
        SymbolLookup lookup = null;
        String error = null;
        try {
            lookup = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
        } catch (IllegalArgumentException | UnsatisfiedLinkError e) {
            error = "no OpenCL ICD loader (" + LIBRARY + "): install ocl-icd-libopencl1 and a vendor ICD such as "
                    + "pocl-opencl-icd";
        }
        LOOKUP = lookup;
        LOAD_ERROR = error;
    }

    private OpenCL() {}

    /** Empty when the ICD loader was found; else why not and what to install. */
    public static Optional<String> unavailableReason() {
        return Optional.ofNullable(LOAD_ERROR);
    }

    private static MethodHandle downcall(String name, FunctionDescriptor desc) {
        if (LOOKUP == null) {
            throw new IllegalStateException(LOAD_ERROR);
        }
        MemorySegment address = LOOKUP.find(name).orElseThrow(() -> new UnsatisfiedLinkError(
                "OpenCL function " + name + " not found in " + LIBRARY + " (an OpenCL 1.2 loader is required)"));
        return Linker.nativeLinker().downcallHandle(address, desc);
    }

    private static RuntimeException rethrow(String name, Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("calling " + name + " failed", t);
    }

    public static final int CL_TRUE = 1;
    public static final int CL_FALSE = 0;
    public static final int CL_PLATFORM_VERSION = 0x901;
    public static final int CL_PLATFORM_NAME = 0x902;
    public static final int CL_PLATFORM_VENDOR = 0x903;
    public static final int CL_DEVICE_TYPE = 0x1000;
    public static final int CL_DEVICE_MAX_COMPUTE_UNITS = 0x1002;
    public static final int CL_DEVICE_MAX_WORK_GROUP_SIZE = 0x1004;
    public static final int CL_DEVICE_MAX_CLOCK_FREQUENCY = 0x100C;
    public static final int CL_DEVICE_MAX_MEM_ALLOC_SIZE = 0x1010;
    public static final int CL_DEVICE_SINGLE_FP_CONFIG = 0x101B;
    public static final int CL_DEVICE_GLOBAL_MEM_SIZE = 0x101F;
    public static final int CL_DEVICE_LOCAL_MEM_SIZE = 0x1023;
    public static final int CL_DEVICE_AVAILABLE = 0x1027;
    public static final int CL_DEVICE_COMPILER_AVAILABLE = 0x1028;
    public static final int CL_DEVICE_NAME = 0x102B;
    public static final int CL_DEVICE_VENDOR = 0x102C;
    public static final int CL_DRIVER_VERSION = 0x102D;
    public static final int CL_DEVICE_VERSION = 0x102F;
    public static final int CL_DEVICE_OPENCL_C_VERSION = 0x103D;
    public static final int CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT = 0x80;
    public static final int CL_PROGRAM_NUM_DEVICES = 0x1162;
    public static final int CL_PROGRAM_DEVICES = 0x1163;
    public static final int CL_PROGRAM_BINARY_SIZES = 0x1165;
    public static final int CL_PROGRAM_BINARIES = 0x1166;
    public static final int CL_PROGRAM_BUILD_STATUS = 0x1181;
    public static final int CL_PROGRAM_BUILD_LOG = 0x1183;
    public static final int CL_KERNEL_WORK_GROUP_SIZE = 0x11B0;
    public static final int CL_KERNEL_COMPILE_WORK_GROUP_SIZE = 0x11B1;
    public static final int CL_MEM_READ_WRITE = 1;
    public static final int CL_MEM_WRITE_ONLY = 2;
    public static final int CL_MEM_READ_ONLY = 4;
    public static final long CL_DEVICE_TYPE_DEFAULT = 0x1L;
    public static final long CL_DEVICE_TYPE_CPU = 0x2L;
    public static final long CL_DEVICE_TYPE_GPU = 0x4L;
    public static final long CL_DEVICE_TYPE_ACCELERATOR = 0x8L;
    public static final long CL_DEVICE_TYPE_CUSTOM = 0x10L;
    public static final long CL_DEVICE_TYPE_ALL = 0xFFFFFFFFL;

    public static final int CL_SUCCESS = 0;
    public static final int CL_DEVICE_NOT_FOUND = -1;
    public static final int CL_DEVICE_NOT_AVAILABLE = -2;
    public static final int CL_COMPILER_NOT_AVAILABLE = -3;
    public static final int CL_MEM_OBJECT_ALLOCATION_FAILURE = -4;
    public static final int CL_OUT_OF_RESOURCES = -5;
    public static final int CL_OUT_OF_HOST_MEMORY = -6;
    public static final int CL_PROFILING_INFO_NOT_AVAILABLE = -7;
    public static final int CL_MEM_COPY_OVERLAP = -8;
    public static final int CL_IMAGE_FORMAT_MISMATCH = -9;
    public static final int CL_IMAGE_FORMAT_NOT_SUPPORTED = -10;
    public static final int CL_BUILD_PROGRAM_FAILURE = -11;
    public static final int CL_MAP_FAILURE = -12;
    public static final int CL_MISALIGNED_SUB_BUFFER_OFFSET = -13;
    public static final int CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST = -14;
    public static final int CL_COMPILE_PROGRAM_FAILURE = -15;
    public static final int CL_LINKER_NOT_AVAILABLE = -16;
    public static final int CL_LINK_PROGRAM_FAILURE = -17;
    public static final int CL_DEVICE_PARTITION_FAILED = -18;
    public static final int CL_KERNEL_ARG_INFO_NOT_AVAILABLE = -19;
    public static final int CL_INVALID_VALUE = -30;
    public static final int CL_INVALID_DEVICE_TYPE = -31;
    public static final int CL_INVALID_PLATFORM = -32;
    public static final int CL_INVALID_DEVICE = -33;
    public static final int CL_INVALID_CONTEXT = -34;
    public static final int CL_INVALID_QUEUE_PROPERTIES = -35;
    public static final int CL_INVALID_COMMAND_QUEUE = -36;
    public static final int CL_INVALID_HOST_PTR = -37;
    public static final int CL_INVALID_MEM_OBJECT = -38;
    public static final int CL_INVALID_IMAGE_FORMAT_DESCRIPTOR = -39;
    public static final int CL_INVALID_IMAGE_SIZE = -40;
    public static final int CL_INVALID_SAMPLER = -41;
    public static final int CL_INVALID_BINARY = -42;
    public static final int CL_INVALID_BUILD_OPTIONS = -43;
    public static final int CL_INVALID_PROGRAM = -44;
    public static final int CL_INVALID_PROGRAM_EXECUTABLE = -45;
    public static final int CL_INVALID_KERNEL_NAME = -46;
    public static final int CL_INVALID_KERNEL_DEFINITION = -47;
    public static final int CL_INVALID_KERNEL = -48;
    public static final int CL_INVALID_ARG_INDEX = -49;
    public static final int CL_INVALID_ARG_VALUE = -50;
    public static final int CL_INVALID_ARG_SIZE = -51;
    public static final int CL_INVALID_KERNEL_ARGS = -52;
    public static final int CL_INVALID_WORK_DIMENSION = -53;
    public static final int CL_INVALID_WORK_GROUP_SIZE = -54;
    public static final int CL_INVALID_WORK_ITEM_SIZE = -55;
    public static final int CL_INVALID_GLOBAL_OFFSET = -56;
    public static final int CL_INVALID_EVENT_WAIT_LIST = -57;
    public static final int CL_INVALID_EVENT = -58;
    public static final int CL_INVALID_OPERATION = -59;
    public static final int CL_INVALID_GL_OBJECT = -60;
    public static final int CL_INVALID_BUFFER_SIZE = -61;
    public static final int CL_INVALID_MIP_LEVEL = -62;
    public static final int CL_INVALID_GLOBAL_WORK_SIZE = -63;
    public static final int CL_INVALID_PROPERTY = -64;
    public static final int CL_INVALID_IMAGE_DESCRIPTOR = -65;
    public static final int CL_INVALID_COMPILER_OPTIONS = -66;
    public static final int CL_INVALID_LINKER_OPTIONS = -67;
    public static final int CL_INVALID_DEVICE_PARTITION_COUNT = -68;
    public static final int CL_PLATFORM_NOT_FOUND_KHR = -1001;

    private static final Map<Integer, String> ERROR_NAMES = Map.ofEntries(
            Map.entry(0, "CL_SUCCESS"),
            Map.entry(-1, "CL_DEVICE_NOT_FOUND"),
            Map.entry(-2, "CL_DEVICE_NOT_AVAILABLE"),
            Map.entry(-3, "CL_COMPILER_NOT_AVAILABLE"),
            Map.entry(-4, "CL_MEM_OBJECT_ALLOCATION_FAILURE"),
            Map.entry(-5, "CL_OUT_OF_RESOURCES"),
            Map.entry(-6, "CL_OUT_OF_HOST_MEMORY"),
            Map.entry(-7, "CL_PROFILING_INFO_NOT_AVAILABLE"),
            Map.entry(-8, "CL_MEM_COPY_OVERLAP"),
            Map.entry(-9, "CL_IMAGE_FORMAT_MISMATCH"),
            Map.entry(-10, "CL_IMAGE_FORMAT_NOT_SUPPORTED"),
            Map.entry(-11, "CL_BUILD_PROGRAM_FAILURE"),
            Map.entry(-12, "CL_MAP_FAILURE"),
            Map.entry(-13, "CL_MISALIGNED_SUB_BUFFER_OFFSET"),
            Map.entry(-14, "CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST"),
            Map.entry(-15, "CL_COMPILE_PROGRAM_FAILURE"),
            Map.entry(-16, "CL_LINKER_NOT_AVAILABLE"),
            Map.entry(-17, "CL_LINK_PROGRAM_FAILURE"),
            Map.entry(-18, "CL_DEVICE_PARTITION_FAILED"),
            Map.entry(-19, "CL_KERNEL_ARG_INFO_NOT_AVAILABLE"),
            Map.entry(-30, "CL_INVALID_VALUE"),
            Map.entry(-31, "CL_INVALID_DEVICE_TYPE"),
            Map.entry(-32, "CL_INVALID_PLATFORM"),
            Map.entry(-33, "CL_INVALID_DEVICE"),
            Map.entry(-34, "CL_INVALID_CONTEXT"),
            Map.entry(-35, "CL_INVALID_QUEUE_PROPERTIES"),
            Map.entry(-36, "CL_INVALID_COMMAND_QUEUE"),
            Map.entry(-37, "CL_INVALID_HOST_PTR"),
            Map.entry(-38, "CL_INVALID_MEM_OBJECT"),
            Map.entry(-39, "CL_INVALID_IMAGE_FORMAT_DESCRIPTOR"),
            Map.entry(-40, "CL_INVALID_IMAGE_SIZE"),
            Map.entry(-41, "CL_INVALID_SAMPLER"),
            Map.entry(-42, "CL_INVALID_BINARY"),
            Map.entry(-43, "CL_INVALID_BUILD_OPTIONS"),
            Map.entry(-44, "CL_INVALID_PROGRAM"),
            Map.entry(-45, "CL_INVALID_PROGRAM_EXECUTABLE"),
            Map.entry(-46, "CL_INVALID_KERNEL_NAME"),
            Map.entry(-47, "CL_INVALID_KERNEL_DEFINITION"),
            Map.entry(-48, "CL_INVALID_KERNEL"),
            Map.entry(-49, "CL_INVALID_ARG_INDEX"),
            Map.entry(-50, "CL_INVALID_ARG_VALUE"),
            Map.entry(-51, "CL_INVALID_ARG_SIZE"),
            Map.entry(-52, "CL_INVALID_KERNEL_ARGS"),
            Map.entry(-53, "CL_INVALID_WORK_DIMENSION"),
            Map.entry(-54, "CL_INVALID_WORK_GROUP_SIZE"),
            Map.entry(-55, "CL_INVALID_WORK_ITEM_SIZE"),
            Map.entry(-56, "CL_INVALID_GLOBAL_OFFSET"),
            Map.entry(-57, "CL_INVALID_EVENT_WAIT_LIST"),
            Map.entry(-58, "CL_INVALID_EVENT"),
            Map.entry(-59, "CL_INVALID_OPERATION"),
            Map.entry(-60, "CL_INVALID_GL_OBJECT"),
            Map.entry(-61, "CL_INVALID_BUFFER_SIZE"),
            Map.entry(-62, "CL_INVALID_MIP_LEVEL"),
            Map.entry(-63, "CL_INVALID_GLOBAL_WORK_SIZE"),
            Map.entry(-64, "CL_INVALID_PROPERTY"),
            Map.entry(-65, "CL_INVALID_IMAGE_DESCRIPTOR"),
            Map.entry(-66, "CL_INVALID_COMPILER_OPTIONS"),
            Map.entry(-67, "CL_INVALID_LINKER_OPTIONS"),
            Map.entry(-68, "CL_INVALID_DEVICE_PARTITION_COUNT"),
            Map.entry(-1001, "CL_PLATFORM_NOT_FOUND_KHR"));

    /** The symbolic name of an OpenCL status code, e.g. {@code CL_OUT_OF_RESOURCES} for -5. */
    public static String errorName(int code) {
        String n = ERROR_NAMES.get(code);
        return n != null ? n : "CL_UNKNOWN_ERROR(" + code + ")";
    }

    private static final class clGetPlatformIDs {
        static final MethodHandle HANDLE = downcall("clGetPlatformIDs", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }

    public static int clGetPlatformIDs(int num_entries, MemorySegment platforms, MemorySegment num_platforms) {
        try {
            return (int) clGetPlatformIDs.HANDLE.invokeExact(num_entries, platforms, num_platforms);
        } catch (Throwable t) {
            throw rethrow("clGetPlatformIDs", t);
        }
    }

    private static final class clGetPlatformInfo {
        static final MethodHandle HANDLE = downcall("clGetPlatformInfo", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS));
    }

    public static int clGetPlatformInfo(MemorySegment platform, int param_name, long param_value_size, MemorySegment param_value, MemorySegment param_value_size_ret) {
        try {
            return (int) clGetPlatformInfo.HANDLE.invokeExact(platform, param_name, param_value_size, param_value, param_value_size_ret);
        } catch (Throwable t) {
            throw rethrow("clGetPlatformInfo", t);
        }
    }

    private static final class clGetDeviceIDs {
        static final MethodHandle HANDLE = downcall("clGetDeviceIDs", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS));
    }

    public static int clGetDeviceIDs(MemorySegment platform, long device_type, int num_entries, MemorySegment devices, MemorySegment num_devices) {
        try {
            return (int) clGetDeviceIDs.HANDLE.invokeExact(platform, device_type, num_entries, devices, num_devices);
        } catch (Throwable t) {
            throw rethrow("clGetDeviceIDs", t);
        }
    }

    private static final class clGetDeviceInfo {
        static final MethodHandle HANDLE = downcall("clGetDeviceInfo", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS));
    }

    public static int clGetDeviceInfo(MemorySegment device, int param_name, long param_value_size, MemorySegment param_value, MemorySegment param_value_size_ret) {
        try {
            return (int) clGetDeviceInfo.HANDLE.invokeExact(device, param_name, param_value_size, param_value, param_value_size_ret);
        } catch (Throwable t) {
            throw rethrow("clGetDeviceInfo", t);
        }
    }

    private static final class clCreateContext {
        static final MethodHandle HANDLE = downcall("clCreateContext", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    }

    public static MemorySegment clCreateContext(MemorySegment properties, int num_devices, MemorySegment devices, MemorySegment pfn_notify, MemorySegment user_data, MemorySegment errcode_ret) {
        try {
            return (MemorySegment) clCreateContext.HANDLE.invokeExact(properties, num_devices, devices, pfn_notify, user_data, errcode_ret);
        } catch (Throwable t) {
            throw rethrow("clCreateContext", t);
        }
    }

    private static final class clReleaseContext {
        static final MethodHandle HANDLE = downcall("clReleaseContext", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    public static int clReleaseContext(MemorySegment context) {
        try {
            return (int) clReleaseContext.HANDLE.invokeExact(context);
        } catch (Throwable t) {
            throw rethrow("clReleaseContext", t);
        }
    }

    private static final class clCreateCommandQueue {
        static final MethodHandle HANDLE = downcall("clCreateCommandQueue", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    }

    public static MemorySegment clCreateCommandQueue(MemorySegment context, MemorySegment device, long properties, MemorySegment errcode_ret) {
        try {
            return (MemorySegment) clCreateCommandQueue.HANDLE.invokeExact(context, device, properties, errcode_ret);
        } catch (Throwable t) {
            throw rethrow("clCreateCommandQueue", t);
        }
    }

    private static final class clReleaseCommandQueue {
        static final MethodHandle HANDLE = downcall("clReleaseCommandQueue", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    public static int clReleaseCommandQueue(MemorySegment command_queue) {
        try {
            return (int) clReleaseCommandQueue.HANDLE.invokeExact(command_queue);
        } catch (Throwable t) {
            throw rethrow("clReleaseCommandQueue", t);
        }
    }

    private static final class clCreateProgramWithSource {
        static final MethodHandle HANDLE = downcall("clCreateProgramWithSource", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    }

    public static MemorySegment clCreateProgramWithSource(MemorySegment context, int count, MemorySegment strings, MemorySegment lengths, MemorySegment errcode_ret) {
        try {
            return (MemorySegment) clCreateProgramWithSource.HANDLE.invokeExact(context, count, strings, lengths, errcode_ret);
        } catch (Throwable t) {
            throw rethrow("clCreateProgramWithSource", t);
        }
    }

    private static final class clCreateProgramWithBinary {
        static final MethodHandle HANDLE = downcall("clCreateProgramWithBinary", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    }

    public static MemorySegment clCreateProgramWithBinary(MemorySegment context, int num_devices, MemorySegment device_list, MemorySegment lengths, MemorySegment binaries, MemorySegment binary_status, MemorySegment errcode_ret) {
        try {
            return (MemorySegment) clCreateProgramWithBinary.HANDLE.invokeExact(context, num_devices, device_list, lengths, binaries, binary_status, errcode_ret);
        } catch (Throwable t) {
            throw rethrow("clCreateProgramWithBinary", t);
        }
    }

    private static final class clBuildProgram {
        static final MethodHandle HANDLE = downcall("clBuildProgram", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    }

    public static int clBuildProgram(MemorySegment program, int num_devices, MemorySegment device_list, MemorySegment options, MemorySegment pfn_notify, MemorySegment user_data) {
        try {
            return (int) clBuildProgram.HANDLE.invokeExact(program, num_devices, device_list, options, pfn_notify, user_data);
        } catch (Throwable t) {
            throw rethrow("clBuildProgram", t);
        }
    }

    private static final class clGetProgramInfo {
        static final MethodHandle HANDLE = downcall("clGetProgramInfo", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS));
    }

    public static int clGetProgramInfo(MemorySegment program, int param_name, long param_value_size, MemorySegment param_value, MemorySegment param_value_size_ret) {
        try {
            return (int) clGetProgramInfo.HANDLE.invokeExact(program, param_name, param_value_size, param_value, param_value_size_ret);
        } catch (Throwable t) {
            throw rethrow("clGetProgramInfo", t);
        }
    }

    private static final class clGetProgramBuildInfo {
        static final MethodHandle HANDLE = downcall("clGetProgramBuildInfo", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS));
    }

    public static int clGetProgramBuildInfo(MemorySegment program, MemorySegment device, int param_name, long param_value_size, MemorySegment param_value, MemorySegment param_value_size_ret) {
        try {
            return (int) clGetProgramBuildInfo.HANDLE.invokeExact(program, device, param_name, param_value_size, param_value, param_value_size_ret);
        } catch (Throwable t) {
            throw rethrow("clGetProgramBuildInfo", t);
        }
    }

    private static final class clReleaseProgram {
        static final MethodHandle HANDLE = downcall("clReleaseProgram", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    public static int clReleaseProgram(MemorySegment program) {
        try {
            return (int) clReleaseProgram.HANDLE.invokeExact(program);
        } catch (Throwable t) {
            throw rethrow("clReleaseProgram", t);
        }
    }

    private static final class clCreateKernel {
        static final MethodHandle HANDLE = downcall("clCreateKernel", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    }

    public static MemorySegment clCreateKernel(MemorySegment program, MemorySegment kernel_name, MemorySegment errcode_ret) {
        try {
            return (MemorySegment) clCreateKernel.HANDLE.invokeExact(program, kernel_name, errcode_ret);
        } catch (Throwable t) {
            throw rethrow("clCreateKernel", t);
        }
    }

    private static final class clReleaseKernel {
        static final MethodHandle HANDLE = downcall("clReleaseKernel", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    public static int clReleaseKernel(MemorySegment kernel) {
        try {
            return (int) clReleaseKernel.HANDLE.invokeExact(kernel);
        } catch (Throwable t) {
            throw rethrow("clReleaseKernel", t);
        }
    }

    private static final class clSetKernelArg {
        static final MethodHandle HANDLE = downcall("clSetKernelArg", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS));
    }

    public static int clSetKernelArg(MemorySegment kernel, int arg_index, long arg_size, MemorySegment arg_value) {
        try {
            return (int) clSetKernelArg.HANDLE.invokeExact(kernel, arg_index, arg_size, arg_value);
        } catch (Throwable t) {
            throw rethrow("clSetKernelArg", t);
        }
    }

    private static final class clGetKernelWorkGroupInfo {
        static final MethodHandle HANDLE = downcall("clGetKernelWorkGroupInfo", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS));
    }

    public static int clGetKernelWorkGroupInfo(MemorySegment kernel, MemorySegment device, int param_name, long param_value_size, MemorySegment param_value, MemorySegment param_value_size_ret) {
        try {
            return (int) clGetKernelWorkGroupInfo.HANDLE.invokeExact(kernel, device, param_name, param_value_size, param_value, param_value_size_ret);
        } catch (Throwable t) {
            throw rethrow("clGetKernelWorkGroupInfo", t);
        }
    }

    private static final class clCreateBuffer {
        static final MethodHandle HANDLE = downcall("clCreateBuffer", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS));
    }

    public static MemorySegment clCreateBuffer(MemorySegment context, long flags, long size, MemorySegment host_ptr, MemorySegment errcode_ret) {
        try {
            return (MemorySegment) clCreateBuffer.HANDLE.invokeExact(context, flags, size, host_ptr, errcode_ret);
        } catch (Throwable t) {
            throw rethrow("clCreateBuffer", t);
        }
    }

    private static final class clReleaseMemObject {
        static final MethodHandle HANDLE = downcall("clReleaseMemObject", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    public static int clReleaseMemObject(MemorySegment memobj) {
        try {
            return (int) clReleaseMemObject.HANDLE.invokeExact(memobj);
        } catch (Throwable t) {
            throw rethrow("clReleaseMemObject", t);
        }
    }

    private static final class clEnqueueWriteBuffer {
        static final MethodHandle HANDLE = downcall("clEnqueueWriteBuffer", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
    }

    public static int clEnqueueWriteBuffer(MemorySegment command_queue, MemorySegment buffer, int blocking_write, long offset, long size, MemorySegment ptr, int num_events_in_wait_list, MemorySegment event_wait_list, MemorySegment event) {
        try {
            return (int) clEnqueueWriteBuffer.HANDLE.invokeExact(command_queue, buffer, blocking_write, offset, size, ptr, num_events_in_wait_list, event_wait_list, event);
        } catch (Throwable t) {
            throw rethrow("clEnqueueWriteBuffer", t);
        }
    }

    private static final class clEnqueueReadBuffer {
        static final MethodHandle HANDLE = downcall("clEnqueueReadBuffer", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
    }

    public static int clEnqueueReadBuffer(MemorySegment command_queue, MemorySegment buffer, int blocking_read, long offset, long size, MemorySegment ptr, int num_events_in_wait_list, MemorySegment event_wait_list, MemorySegment event) {
        try {
            return (int) clEnqueueReadBuffer.HANDLE.invokeExact(command_queue, buffer, blocking_read, offset, size, ptr, num_events_in_wait_list, event_wait_list, event);
        } catch (Throwable t) {
            throw rethrow("clEnqueueReadBuffer", t);
        }
    }

    private static final class clEnqueueFillBuffer {
        static final MethodHandle HANDLE = downcall("clEnqueueFillBuffer", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS));
    }

    public static int clEnqueueFillBuffer(MemorySegment command_queue, MemorySegment buffer, MemorySegment pattern, long pattern_size, long offset, long size, int num_events_in_wait_list, MemorySegment event_wait_list, MemorySegment event) {
        try {
            return (int) clEnqueueFillBuffer.HANDLE.invokeExact(command_queue, buffer, pattern, pattern_size, offset, size, num_events_in_wait_list, event_wait_list, event);
        } catch (Throwable t) {
            throw rethrow("clEnqueueFillBuffer", t);
        }
    }

    private static final class clEnqueueNDRangeKernel {
        static final MethodHandle HANDLE = downcall("clEnqueueNDRangeKernel", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
    }

    public static int clEnqueueNDRangeKernel(MemorySegment command_queue, MemorySegment kernel, int work_dim, MemorySegment global_work_offset, MemorySegment global_work_size, MemorySegment local_work_size, int num_events_in_wait_list, MemorySegment event_wait_list, MemorySegment event) {
        try {
            return (int) clEnqueueNDRangeKernel.HANDLE.invokeExact(command_queue, kernel, work_dim, global_work_offset, global_work_size, local_work_size, num_events_in_wait_list, event_wait_list, event);
        } catch (Throwable t) {
            throw rethrow("clEnqueueNDRangeKernel", t);
        }
    }

    private static final class clFinish {
        static final MethodHandle HANDLE = downcall("clFinish", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    public static int clFinish(MemorySegment command_queue) {
        try {
            return (int) clFinish.HANDLE.invokeExact(command_queue);
        } catch (Throwable t) {
            throw rethrow("clFinish", t);
        }
    }

}
