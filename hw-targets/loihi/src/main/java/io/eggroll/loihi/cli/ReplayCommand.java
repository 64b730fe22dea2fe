package io.eggroll.loihi.cli;

import io.eggroll.train.schedule.ScheduleReplay;
import io.eggroll.train.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code eggroll replay}: rebuild a run's weights from its initial weights and seed schedule alone. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Rebuild a run's weights from its initial checkpoint and seed schedule, checked bit for bit.",
                "Reads checkpoints/initial.ckpt and schedule.bin alone (one cpu update per record) and compares",
                "the result with checkpoints/latest.ckpt. Exit code 1 on a mismatch."})
final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--run", required = true, description = "Run directory, e.g. runs/default.")
    Path run;

    @Option(names = "--threads", defaultValue = "0", description = "Worker threads (0 = all processors); the result does not depend on it.")
    int threads;

    @Override
    public Integer call() {
        if (!Files.isDirectory(run)) {
            throw new IllegalArgumentException("no run directory at " + run);
        }
        int t = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        long t0 = System.nanoTime();
        ScheduleReplay.Result r = ScheduleReplay.replay(new RunDirectory(run), t);
        double sec = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "replayed %d generations (0..%d) from %s in %.2f s%n", r.generations(),
                r.lastGeneration(), run.resolve("schedule.bin"), sec);
        System.out.printf(Locale.ROOT, "  replayed weights   sha256 %s (optimizer step %d)%n", r.replayedSha256(), r.optimizerStep());
        System.out.printf(Locale.ROOT, "  latest checkpoint  sha256 %s (optimizer step %d)%n", r.checkpointSha256(),
                r.checkpointOptimizerStep());
        System.out.printf(Locale.ROOT, "  schedule %d bytes vs checkpoint %d bytes (%.1f%%; %.0f bytes per generation)%n",
                r.scheduleBytes(), r.checkpointBytes(), 100.0 * r.scheduleBytes() / r.checkpointBytes(),
                r.generations() == 0 ? 0.0 : (double) r.scheduleBytes() / r.generations());
        System.out.println(r.matches() ? "OK: bit-identical" : "MISMATCH: the schedule does not reproduce the checkpoint");
        return r.matches() ? 0 : 1;
    }
}
