package io.eggroll.tornado;

import io.eggroll.backend.Backend;
import io.eggroll.backend.BackendOptions;
import io.eggroll.backend.BackendProvider;
import io.eggroll.backend.BackendUnavailableException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --backend tornado}: the EGGROLL kernels compiled by TornadoVM for any device it drives
 * (OpenCL, PTX, SPIR-V backends). Needs the JVM started with TornadoVM's arguments
 * ({@code java @$TORNADOVM_HOME/tornado-argfile}); {@code --device} takes {@code backend:device},
 * a position in {@code eggroll devices}, or a name substring.
 */
public final class TornadoBackendProvider implements BackendProvider {

    private static final Logger LOG = LoggerFactory.getLogger(TornadoBackendProvider.class);

    @Override
    public String name() {
        return "tornado";
    }

    @Override
    public Optional<String> unavailableReason() {
        return TornadoDevices.unavailableReason();
    }

    @Override
    public List<String> devices() {
        return TornadoDevices.list().stream().map(TornadoDevices.Device::describe).toList();
    }

    @Override
    public Backend create(BackendOptions options) {
        unavailableReason().ifPresent(r -> {
            throw new BackendUnavailableException("backend 'tornado' is unavailable: " + r);
        });
        TornadoBackend b = new TornadoBackend(TornadoDevices.select(options.device()), 0);
        LOG.info("tornado backend on {}", b.device());
        return b;
    }
}
