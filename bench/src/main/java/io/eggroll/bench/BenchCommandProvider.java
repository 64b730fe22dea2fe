package io.eggroll.bench;

import io.eggroll.cli.CommandProvider;
import java.util.List;

/** Adds {@code eggroll bench} to the CLI. */
public final class BenchCommandProvider implements CommandProvider {

    @Override
    public List<Object> commands() {
        return List.of(new BenchCommand());
    }
}
