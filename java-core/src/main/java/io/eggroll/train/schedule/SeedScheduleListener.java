package io.eggroll.train.schedule;

import io.eggroll.train.Checkpoint;
import io.eggroll.train.RunDirectory;
import io.eggroll.train.TrainConfig;
import io.eggroll.train.TrainListener;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code runs/<name>/schedule.bin} during training: the header when the initial
 * checkpoint is written (it holds the initial weights' hash), then each generation's record after
 * its update. On resume it keeps the records up to the resumed checkpoint and cuts the rest, so
 * the file always describes the weights of the run's checkpoints.
 */
public final class SeedScheduleListener implements TrainListener {

    private static final Logger LOG = LoggerFactory.getLogger(SeedScheduleListener.class);

    /** The schedule's file name inside a run directory. */
    public static final String FILE_NAME = "schedule.bin";

    private final Path file;
    private final TrainConfig config;
    private SeedScheduleWriter writer;

    public SeedScheduleListener(RunDirectory run, TrainConfig config, int resumeAfter) {
        this.file = file(run);
        this.config = config;
        if (resumeAfter >= 0) {
            if (!Files.exists(file)) {
                LOG.warn("run {} has no {}: this resumed run writes no seed schedule (replay needs one from generation 0)",
                        run.root(), FILE_NAME);
                return;
            }
            writer = SeedScheduleWriter.resume(file, resumeAfter);
        }
    }

    /** Where a run keeps its schedule. */
    public static Path file(RunDirectory run) {
        return run.root().resolve(FILE_NAME);
    }

    @Override
    public void onCheckpoint(int generation, Path checkpoint) {
        if (generation == -1 && writer == null) {
            Checkpoint.Data d = Checkpoint.read(checkpoint);
            writer = SeedScheduleWriter.create(file, SeedSchedule.Header.of(config, d.state().network().sizes(),
                    d.state().params().sha256(), d.state().optimizerState().step()));
        }
    }

    @Override
    public void onUpdate(ScheduleRecord record) {
        if (writer != null) {
            writer.append(record);
        }
    }
}
