package io.eggroll.cli;

import io.eggroll.backend.Backend;
import io.eggroll.backend.BackendOptions;
import io.eggroll.backend.Backends;
import io.eggroll.data.SpikeDataset;
import io.eggroll.train.Checkpoint;
import io.eggroll.train.Evaluation;
import io.eggroll.train.TaskData;
import io.eggroll.train.Tasks;
import io.eggroll.train.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Evaluates a run's checkpoint on its test split (or, on request, its validation split): accuracy,
 * confusion matrix, per-class accuracy.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a trained run on its test split (or its validation split): accuracy, confusion matrix, per-class accuracy.")
final class EvalCommand implements Callable<Integer> {

    @Option(names = "--run", required = true, description = "Run directory (e.g. runs/default) or a .ckpt file.")
    Path run;

    @Option(names = "--samples", defaultValue = "0", description = "Evaluate only N samples, spread evenly over the split (0 = all).")
    int samples;

    /** The split an evaluation scores. */
    enum EvalSplit { test, validation }

    @Option(names = "--split", defaultValue = "test",
            description = "Split to score: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). The validation split is the one training checked progress on.")
    EvalSplit split;

    @Option(names = "--backend", defaultValue = "cpu", description = "Backend to run on (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--threads", defaultValue = "0", description = "Worker threads (0 = all processors).")
    int threads;

    @Option(names = "--data", description = "Official N-MNIST root (Train/, Test/) for nmnist runs.")
    Path data;

    @Override
    public Integer call() {
        if (samples < 0) {
            throw new IllegalArgumentException("--samples must be >= 0 (0 = all), got " + samples);
        }
        if (threads < 0 || threads > TrainConfig.MAX_THREADS) {
            throw new IllegalArgumentException("--threads must lie in [0, " + TrainConfig.MAX_THREADS + "] (0 = all processors), got "
                    + threads);
        }
        Path ckpt = Files.isDirectory(run) ? run.resolve("checkpoints").resolve("latest.ckpt") : run;
        if (!Files.exists(ckpt)) {
            throw new IllegalArgumentException("no checkpoint at " + ckpt + " (is " + run + " a run directory?)");
        }
        Checkpoint.Data d = Checkpoint.read(ckpt);
        if (data != null) {
            d.config().data.dir = data.toString();
        }
        TaskData task = Tasks.load(d.config(), System.err);
        int t = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        try (Backend b = Backends.create(backend, BackendOptions.defaults().withThreads(t))) {
            b.load(d.state());
            SpikeDataset scored = split == EvalSplit.test ? task.test() : task.validation();
            Evaluation ev = Evaluation.of(b, scored, samples, 512);
            System.out.println(report(ev, ckpt, d.generation() + 1, scored.name()));
        }
        return 0;
    }

    static String report(Evaluation ev, Path ckpt, int generations, String dataName) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "checkpoint: %s (after %d generations)%n", ckpt, generations));
        sb.append(String.format(Locale.ROOT, "accuracy on %s: %.2f%% (%d samples)%n%n", dataName,
                100 * ev.accuracy(), ev.samples()));
        int c = ev.confusion().length;
        sb.append("confusion matrix (rows: true class, columns: predicted)\n      ");
        for (int j = 0; j < c; j++) {
            sb.append(String.format(Locale.ROOT, "%6d", j));
        }
        sb.append("   accuracy\n");
        for (int i = 0; i < c; i++) {
            sb.append(String.format(Locale.ROOT, "%6d", i));
            for (int j = 0; j < c; j++) {
                sb.append(String.format(Locale.ROOT, "%6d", ev.confusion()[i][j]));
            }
            sb.append(String.format(Locale.ROOT, "   %6.2f%%%n", 100 * ev.classAccuracy(i)));
        }
        return sb.toString();
    }
}
