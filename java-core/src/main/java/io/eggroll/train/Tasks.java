package io.eggroll.train;

import io.eggroll.data.BinSpec;
import io.eggroll.data.NmnistData;
import io.eggroll.data.PooledSpikeDataset;
import io.eggroll.data.PrepareOptions;
import io.eggroll.data.ProgressListener;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Resolves a config's task to datasets. */
public final class Tasks {

    private Tasks() {}

    public static TaskData load(TrainConfig cfg, PrintStream progress) {
        return switch (cfg.task) {
            case "synthetic" -> TaskData.synthetic(cfg);
            case "nmnist" -> nmnist(cfg, progress);
            default -> throw new IllegalArgumentException("task must be 'synthetic' or 'nmnist', got '" + cfg.task + "'");
        };
    }

    /** The N-MNIST options a config implies (official files when data.dir is set, else the converted set). */
    public static PrepareOptions nmnistOptions(TrainConfig cfg) {
        TrainConfig.Data d = cfg.data;
        return PrepareOptions.defaults()
                .withDataDir(d.dir == null ? null : Path.of(d.dir))
                .withWorkDir(Path.of(d.workDir))
                .withBins(new BinSpec(d.timesteps, 0, Math.round(d.windowMs * 1000)))
                .withLenient(d.lenient)
                .withLimits(d.limitTrain, d.limitTest)
                .withThreads(cfg.resolvedThreads());
    }

    private static TaskData nmnist(TrainConfig cfg, PrintStream progress) {
        try {
            NmnistData.Prepared p = NmnistData.prepare(nmnistOptions(cfg),
                    progress == null ? ProgressListener.NONE : ProgressListener.printing(progress, 3000));
            return new TaskData(PooledSpikeDataset.nmnist(p.train(), cfg.data.pool),
                    PooledSpikeDataset.nmnist(p.test(), cfg.data.pool));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare N-MNIST: " + e.getMessage(), e);
        }
    }
}
