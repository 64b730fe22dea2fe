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
 * ({@code ScheduleReplay}). The schedule is {@code schedule.bin} cut after the exported
 * checkpoint's generation (a run may have run on past its last checkpoint), the initial weights
 * {@code checkpoints/initial.ckpt} byte for byte; both are stored as uint8 datasets, with the
 * generation, and netx and nir.read ignore the group.
 *
 * @param lastGeneration the generation of the exported weights: the last record of {@code schedule}
 */
public record ScheduleBundle(byte[] schedule, byte[] initialCheckpoint, int lastGeneration) {

    public static final String GROUP = "/eggroll";
    static final String SCHEDULE = GROUP + "/schedule";
    static final String INITIAL = GROUP + "/initial_checkpoint";

    /**
     * Reads and validates a run's schedule (a damaged one fails here, naming the generation) and
     * keeps its records up to {@code generation}, the exported checkpoint's.
     */
    public static ScheduleBundle of(RunDirectory run, int generation) {
        Path s = SeedScheduleListener.file(run);
        if (!Files.exists(s)) {
            throw new IllegalArgumentException("--with-schedule: run " + run.root() + " has no " + s.getFileName()
                    + " (it was trained without the seed-schedule writer)");
        }
        try {
            byte[] bytes = Files.readAllBytes(s);
            SeedSchedule all = SeedScheduleReader.read(bytes, s.toString());
            if (all.lastGeneration() < generation) {
                throw new IllegalArgumentException("--with-schedule: " + s + " ends at generation " + all.lastGeneration()
                        + " but the exported checkpoint is at generation " + generation);
            }
            return new ScheduleBundle(upTo(bytes, all, generation), Files.readAllBytes(run.initialCheckpoint()),
                    generation);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + s + " or " + run.initialCheckpoint(), e);
        }
    }

    /**
     * The bytes of {@code schedule} up to the end of {@code generation}'s record: magic (8 bytes),
     * header length, header, header CRC, then 4·N + 40 bytes a record (docs/FORMATS.md section 5).
     */
    static byte[] upTo(byte[] bytes, SeedSchedule schedule, int generation) {
        long end = 8 + 4 + java.nio.ByteBuffer.wrap(bytes, 8, 4).getInt() + 4;
        for (var r : schedule.records()) {
            if (r.generation() > generation) {
                break;
            }
            end += 4L * r.population() + 40;
        }
        byte[] cut = java.util.Arrays.copyOf(bytes, Math.toIntExact(end));
        SeedSchedule check = SeedScheduleReader.read(cut, "the schedule up to generation " + generation);
        if (check.lastGeneration() != generation) {
            throw new IllegalStateException("cutting the schedule after generation " + generation + " kept "
                    + check.lastGeneration());
        }
        return cut;
    }

    public SeedSchedule parse(String source) {
        return SeedScheduleReader.read(schedule, source);
    }

    void write(Hdf5File f) {
        SeedSchedule parsed = parse("schedule");
        f.writeBytes(SCHEDULE, schedule);
        f.writeBytes(INITIAL, initialCheckpoint);
        f.writeLongs(GROUP + "/schedule_generations", new long[] {parsed.records().size()});
        f.writeLongs(GROUP + "/schedule_last_generation", new long[] {lastGeneration});
        f.writeString(GROUP + "/schedule_format", "eggroll-snn seed schedule EGGSCHD1 (see java-core io.eggroll.train.schedule)");
    }

    /** The bundle stored in an export, or null if it has none. */
    public static ScheduleBundle read(Hdf5File f) {
        if (!f.info(SCHEDULE).exists()) {
            return null;
        }
        String last = GROUP + "/schedule_last_generation";
        byte[] schedule = f.readBytes(SCHEDULE);
        return new ScheduleBundle(schedule, f.readBytes(INITIAL), f.info(last).exists() ? (int) f.readLongs(last)[0]
                : SeedScheduleReader.read(schedule, f.path() + GROUP).lastGeneration());
    }
}
