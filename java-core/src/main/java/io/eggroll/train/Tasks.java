package io.eggroll.train;

import java.io.PrintStream;

/** Resolves a config's task to datasets. */
public final class Tasks {

    private Tasks() {}

    public static TaskData load(TrainConfig cfg, PrintStream progress) {
        return switch (cfg.task) {
            case "synthetic" -> TaskData.synthetic(cfg);
            default -> throw new IllegalArgumentException("task must be 'synthetic' or 'nmnist', got '" + cfg.task + "'");
        };
    }
}
