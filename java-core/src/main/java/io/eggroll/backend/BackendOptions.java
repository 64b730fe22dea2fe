package io.eggroll.backend;

import java.nio.file.Path;

/**
 * Options a backend may use: worker threads (cpu), a device selector (index or name substring)
 * and a prebuilt program binary (OpenCL on FPGAs). Unused options are ignored.
 */
public record BackendOptions(int threads, String device, Path programBinary) {

    public static BackendOptions defaults() {
        return new BackendOptions(Runtime.getRuntime().availableProcessors(), null, null);
    }

    public BackendOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }

    public BackendOptions withThreads(int n) {
        return new BackendOptions(n, device, programBinary);
    }

    public BackendOptions withDevice(String d) {
        return new BackendOptions(threads, d, programBinary);
    }
}
