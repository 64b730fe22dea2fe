package io.eggroll.backend;

import java.nio.file.Path;

/**
 * Options a backend may use: worker threads (cpu), a device selector (index or name substring),
 * a prebuilt program binary (OpenCL on FPGAs) and where device kernels get the perturbation
 * factors ({@code factors}: {@code auto}, {@code materialise} or {@code regenerate}; null = the
 * backend's default, see docs/OPENCL.md). Unused options are ignored.
 */
public record BackendOptions(int threads, String device, Path programBinary, String factors) {

    public static BackendOptions defaults() {
        return new BackendOptions(Runtime.getRuntime().availableProcessors(), null, null, null);
    }

    public BackendOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }

    public BackendOptions(int threads, String device, Path programBinary) {
        this(threads, device, programBinary, null);
    }

    public BackendOptions withThreads(int n) {
        return new BackendOptions(n, device, programBinary, factors);
    }

    public BackendOptions withDevice(String d) {
        return new BackendOptions(threads, d, programBinary, factors);
    }

    public BackendOptions withFactors(String f) {
        return new BackendOptions(threads, device, programBinary, f);
    }
}
