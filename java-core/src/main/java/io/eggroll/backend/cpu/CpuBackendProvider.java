package io.eggroll.backend.cpu;

import io.eggroll.backend.Backend;
import io.eggroll.backend.BackendOptions;
import io.eggroll.backend.BackendProvider;
import io.eggroll.simd.VectorizationProvider;
import java.util.List;
import java.util.Optional;

/** Always available: pure Java on the host's cores. */
public final class CpuBackendProvider implements BackendProvider {

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public List<String> devices() {
        return List.of("cpu: " + Runtime.getRuntime().availableProcessors() + " hardware threads, "
                + System.getProperty("os.arch") + ", " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB max heap"
                + ", vector ops: " + VectorizationProvider.choice().ops().name() + " ("
                        + VectorizationProvider.choice().reason() + "; --simd off turns the fast path off)");
    }

    @Override
    public Backend create(BackendOptions options) {
        return new CpuBackend(options.threads());
    }
}
