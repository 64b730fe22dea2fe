package io.eggroll.loihi.cli;

import io.eggroll.cli.CommandProvider;
import java.util.List;

/** {@code eggroll export}, {@code eggroll quantize} and {@code eggroll replay}. */
public final class LoihiCommands implements CommandProvider {

    @Override
    public List<Object> commands() {
        return List.of(new ExportCommand(), new QuantizeCommand(), new ReplayCommand());
    }
}
