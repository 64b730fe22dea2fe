package io.eggroll.opencl;

import io.eggroll.backend.Backend;
import io.eggroll.backend.BackendOptions;
import io.eggroll.backend.BackendProvider;
import io.eggroll.backend.BackendUnavailableException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --backend opencl}: any OpenCL 1.2 device an ICD exposes (PoCL on CPUs, NVIDIA/AMD/Intel
 * GPUs, FPGAs through a prebuilt program binary). Factor materialisation follows
 * {@code options.factors()}, else {@link FactorMode#PROPERTY}, else {@link FactorMode#ENV}.
 */
public final class OpenClBackendProvider implements BackendProvider {

    /** System property naming a prebuilt program binary (until the CLI passes --program-binary). */
    public static final String BINARY_PROPERTY = "eggroll.opencl.programBinary";
    /** Environment variable naming a prebuilt program binary. */
    public static final String BINARY_ENV = "EGGROLL_OPENCL_PROGRAM_BINARY";

    private static final Logger LOG = LoggerFactory.getLogger(OpenClBackendProvider.class);

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public Optional<String> unavailableReason() {
        return ClDevices.unavailableReason();
    }

    @Override
    public List<String> devices() {
        FactorMode mode = FactorMode.resolve(null);
        return ClDevices.list().stream().map(d -> d.describe() + "; " + mode.describe(d)).toList();
    }

    @Override
    public Backend create(BackendOptions options) {
        unavailableReason().ifPresent(r -> {
            throw new BackendUnavailableException("backend 'opencl' is unavailable: " + r);
        });
        ClDevice device = ClDevices.select(options.device());
        Path binary = programBinary(options);
        OpenClBackend b = new OpenClBackend(device, binary, 0, FactorMode.resolve(options.factors()));
        LOG.info("opencl backend on {}", b.device());
        return b;
    }

    /** {@code options.programBinary()}, else the {@value #BINARY_PROPERTY} property, else {@value #BINARY_ENV}. */
    static Path programBinary(BackendOptions options) {
        if (options.programBinary() != null) {
            return options.programBinary();
        }
        String p = System.getProperty(BINARY_PROPERTY);
        if (p == null || p.isBlank()) {
            p = System.getenv(BINARY_ENV);
        }
        return p == null || p.isBlank() ? null : Path.of(p);
    }
}
