package io.eggroll.cluster;

import io.eggroll.cli.CommandProvider;
import java.util.List;

/** Adds {@code eggroll worker} to the CLI. */
public final class ClusterCommands implements CommandProvider {

    @Override
    public List<Object> commands() {
        return List.of(new WorkerCommand());
    }
}
