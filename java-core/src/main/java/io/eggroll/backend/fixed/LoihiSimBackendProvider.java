package io.eggroll.backend.fixed;

import io.eggroll.backend.Backend;
import io.eggroll.backend.BackendOptions;
import io.eggroll.backend.BackendProvider;
import io.eggroll.simd.FixedOpsProvider;
import java.util.List;
import java.util.Optional;

/** {@code loihi-sim}: always available (pure Java); {@code --precision loihi} selects it. */
public final class LoihiSimBackendProvider implements BackendProvider {

    @Override
    public String name() {
        return "loihi-sim";
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public List<String> devices() {
        return List.of("loihi-sim: bit-accurate Loihi 2 fixed-point model (Lava CUBA LIF + Dense) on "
                + Runtime.getRuntime().availableProcessors() + " cpu threads, integer ops: "
                + FixedOpsProvider.ops().name() + " (--simd off turns the fast path off)");
    }

    @Override
    public Backend create(BackendOptions options) {
        return new LoihiSimBackend(options.threads());
    }
}
