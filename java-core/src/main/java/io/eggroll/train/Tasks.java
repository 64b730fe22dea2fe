package io.eggroll.train;

import io.eggroll.data.BinSpec;
import io.eggroll.data.EventData;
import io.eggroll.data.EventDataset;
import io.eggroll.data.NmnistData;
import io.eggroll.data.PooledSpikeDataset;
import io.eggroll.data.PrepareOptions;
import io.eggroll.data.SpikeDataset;
import io.eggroll.data.SubsetDataset;
import io.eggroll.data.ProgressListener;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Resolves a config's task to datasets. */
public final class Tasks {

    private Tasks() {}

    public static TaskData load(TrainConfig cfg, PrintStream progress) {
        TaskData data = switch (cfg.task) {
            case "synthetic" -> TaskData.synthetic(cfg);
            case "nmnist" -> nmnist(cfg, progress);
            case "shd", "events" -> events(cfg, progress);
            default -> throw new IllegalArgumentException("task must be one of " + TrainConfig.TASKS + ", got '"
                    + cfg.task + "'");
        };
        checkSplits(data, progress);
        return data;
    }

    /**
     * Refuses an empty split (training on nothing, or scoring on nothing, says nothing), and warns
     * when the training split lacks some classes: the network can never learn to answer them.
     */
    static void checkSplits(TaskData data, PrintStream warnings) {
        for (SpikeDataset split : new SpikeDataset[] {data.train(), data.validation(), data.test()}) {
            if (split.size() == 0) {
                throw new IllegalArgumentException("dataset split " + split.name() + " is empty: nothing to "
                        + (split == data.train() ? "train on" : "score on") + " (check the data directory, "
                        + "data.limitTrain / data.limitTest and data.validation)");
            }
        }
        SpikeDataset train = data.train();
        boolean[] seen = new boolean[train.classes()];
        for (int i = 0; i < train.size(); i++) {
            int label = train.label(i);
            if (label >= 0 && label < seen.length) {
                seen[label] = true;
            }
        }
        java.util.List<Integer> missing = new java.util.ArrayList<>();
        for (int c = 0; c < seen.length; c++) {
            if (!seen[c]) {
                missing.add(c);
            }
        }
        if (!missing.isEmpty() && warnings != null) {
            warnings.println("warning: the training split " + train.name() + " (" + train.size() + " samples) has no "
                    + "sample of class(es) " + missing + " of " + seen.length + "; the network cannot learn them");
        }
    }

    /**
     * The N-MNIST options a config implies (official files when data.dir is set, else the converted
     * set); the shd and events tasks use its work dir, binning, limits, leniency and threads.
     */
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

    /**
     * The task of a file-backed training and test split: {@code data.validation} samples (0: a
     * tenth of them) are carved off {@code train}, class-stratified with {@code data.validationSeed}.
     */
    public static TaskData withValidation(TrainConfig cfg, SpikeDataset train, SpikeDataset test) {
        int count = cfg.data.validationCount(train.size());
        SubsetDataset.Parts parts = SubsetDataset.stratifiedSplit(train, count, cfg.data.validationSeed,
                "data.validation");
        return new TaskData(parts.train(), parts.validation(), test);
    }

    private static TaskData nmnist(TrainConfig cfg, PrintStream progress) {
        try {
            NmnistData.Prepared p = NmnistData.prepare(nmnistOptions(cfg),
                    progress == null ? ProgressListener.NONE : ProgressListener.printing(progress, 3000));
            return withValidation(cfg, PooledSpikeDataset.nmnist(p.train(), cfg.data.pool),
                    PooledSpikeDataset.nmnist(p.test(), cfg.data.pool));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare N-MNIST: " + e.getMessage(), e);
        }
    }

    /** The reader of an event-data task's folder ({@link EventData#open}). */
    public static EventDataset eventDataset(TrainConfig cfg) throws IOException {
        if (cfg.data.dir == null) {
            throw new IllegalArgumentException("task " + cfg.task + " needs --data DIR (data.dir): " + (cfg.task.equals("shd")
                    ? "the folder holding shd_train.h5 and shd_test.h5" : "the folder holding manifest.json")
                    + "; see docs/DATA.md");
        }
        return EventData.open(cfg.task, Path.of(cfg.data.dir));
    }

    /** SHD/SSC or generic event files: binned and cached like N-MNIST, then pooled by data.pool. */
    private static TaskData events(TrainConfig cfg, PrintStream progress) {
        try {
            EventDataset ds = eventDataset(cfg);
            EventData.Prepared p = EventData.prepare(ds, nmnistOptions(cfg),
                    progress == null ? ProgressListener.NONE : ProgressListener.printing(progress, 3000));
            return withValidation(cfg, PooledSpikeDataset.of(p.train(), p.sensor(), cfg.data.pool),
                    PooledSpikeDataset.of(p.test(), p.sensor(), cfg.data.pool));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + cfg.task + " data: " + e.getMessage(), e);
        }
    }
}
