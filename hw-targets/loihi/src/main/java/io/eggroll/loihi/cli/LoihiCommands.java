package io.eggroll.loihi.cli;

import io.eggroll.cli.CommandProvider;
import java.util.List;

/** {@code eggroll export}, {@code import}, {@code quantize} and {@code replay}. */
public final class LoihiCommands implements CommandProvider {

    @Override
    public List<Object> commands() {
        return List.of(new ExportCommand(), new ImportCommand(), new QuantizeCommand(), new ReplayCommand());
    }
}
