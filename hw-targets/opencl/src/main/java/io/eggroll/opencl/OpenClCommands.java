package io.eggroll.opencl;

import io.eggroll.cli.CommandProvider;
import java.util.List;

/** Adds {@code eggroll kernels} to the CLI. */
public final class OpenClCommands implements CommandProvider {

    @Override
    public List<Object> commands() {
        return List.of(new KernelsCommand());
    }
}
