package io.eggroll.loihi.export;

import io.eggroll.train.schedule.SeedSchedule;
import io.eggroll.train.schedule.SeedScheduleListener;
import io.eggroll.train.schedule.SeedScheduleReader;
import io.eggroll.loihi.bridge.Hdf5File;
import io.eggroll.train.RunDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The seed schedule and the initial weights, embedded in an export under {@code /eggroll/}: with
 * them a board or a remote replica rebuilds the trained weights from seeds and scalars
 * ({@code ScheduleReplay}). Both are the run's files byte for byte ({@code schedule.bin},
 * {@code checkpoints/initial.ckpt}), stored as uint8 datasets; netx and nir.read ignore the group.
 */
public record ScheduleBundle(byte[] schedule, byte[] initialCheckpoint) {

    public static final String GROUP = "/eggroll";
    static final String SCHEDULE = GROUP + "/schedule";
    static final String INITIAL = GROUP + "/initial_checkpoint";

    /** Reads and validates a run's schedule (a damaged one fails here, naming the generation). */
    public static ScheduleBundle of(RunDirectory run) {
        Path s = SeedScheduleListener.file(run);
        if (!Files.exists(s)) {
            throw new IllegalArgumentException("--with-schedule: run " + run.root() + " has no " + s.getFileName()
                    + " (it was trained without the seed-schedule writer)");
        }
        try {
            byte[] bytes = Files.readAllBytes(s);
            SeedScheduleReader.read(bytes, s.toString());
            return new ScheduleBundle(bytes, Files.readAllBytes(run.initialCheckpoint()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + s + " or " + run.initialCheckpoint(), e);
        }
    }

    public SeedSchedule parse(String source) {
        return SeedScheduleReader.read(schedule, source);
    }

    void write(Hdf5File f) {
        SeedSchedule parsed = parse("schedule");
        f.writeBytes(SCHEDULE, schedule);
        f.writeBytes(INITIAL, initialCheckpoint);
        f.writeLongs(GROUP + "/schedule_generations", new long[] {parsed.records().size()});
        f.writeString(GROUP + "/schedule_format", "eggroll-snn seed schedule EGGSCHD1 (see java-core io.eggroll.train.schedule)");
    }

    /** The bundle stored in an export, or null if it has none. */
    public static ScheduleBundle read(Hdf5File f) {
        if (!f.info(SCHEDULE).exists()) {
            return null;
        }
        return new ScheduleBundle(f.readBytes(SCHEDULE), f.readBytes(INITIAL));
    }
}
