package io.eggroll.train.schedule;

import io.eggroll.backend.ModelState;
import io.eggroll.backend.cpu.CpuBackend;
import io.eggroll.es.EsConfig;
import io.eggroll.train.Checkpoint;
import io.eggroll.train.RunDirectory;
import io.eggroll.train.TrainConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Rebuilds a run's weights from its initial weights and its seed schedule alone: each record is
 * one {@code Backend.update} on the cpu reference backend (the update every backend shares, so
 * this holds for runs trained on any backend, loihi-sim included).
 */
public final class ScheduleReplay {

    private ScheduleReplay() {}

    /**
     * The outcome of a replay up to the latest checkpoint's generation.
     *
     * @param generations      records applied
     * @param lastGeneration   the generation the weights were compared at
     * @param replayedSha256   hash of the rebuilt weights
     * @param checkpointSha256 hash of the latest checkpoint's weights
     * @param optimizerStep    the rebuilt optimizer step count (the checkpoint's must be equal)
     * @param scheduleBytes    size of schedule.bin
     * @param checkpointBytes  size of latest.ckpt
     * @param state            the rebuilt state
     */
    public record Result(int generations, int lastGeneration, String replayedSha256, String checkpointSha256,
                         long optimizerStep, long checkpointOptimizerStep, long scheduleBytes, long checkpointBytes,
                         ModelState state) {
        public boolean matches() {
            return replayedSha256.equals(checkpointSha256) && optimizerStep == checkpointOptimizerStep;
        }
    }

    /** Replays {@code run}'s schedule from {@code checkpoints/initial.ckpt} up to {@code latest.ckpt}. */
    public static Result replay(RunDirectory run, int threads) {
        Path initialFile = run.initialCheckpoint();
        Path latestFile = run.latestCheckpoint();
        Path scheduleFile = SeedScheduleListener.file(run);
        for (Path p : new Path[] {initialFile, latestFile, scheduleFile}) {
            if (!Files.exists(p)) {
                throw new IllegalArgumentException("cannot replay " + run.root() + ": " + p + " does not exist"
                        + (p == scheduleFile ? " (the run was trained without the seed-schedule writer)" : ""));
            }
        }
        SeedSchedule schedule = SeedScheduleReader.read(scheduleFile);
        Checkpoint.Data latest = Checkpoint.read(latestFile);
        ModelState initial = Checkpoint.read(initialFile).state();
        return replay(schedule, initial, latest.generation(), latest.state().params().sha256(),
                latest.state().optimizerState().step(), size(scheduleFile), size(latestFile), threads);
    }

    /**
     * Applies the records up to {@code untilGeneration} to {@code initial} and compares with the
     * expected hash. The initial weights must be the ones the schedule's header names.
     */
    public static Result replay(SeedSchedule schedule, ModelState initial, int untilGeneration, String expectedSha256,
                                long expectedStep, long scheduleBytes, long checkpointBytes, int threads) {
        SeedSchedule.Header h = schedule.header();
        String initialSha = initial.params().sha256();
        if (!initialSha.equals(h.initialParamsSha256())) {
            throw new IllegalArgumentException("the schedule starts from weights " + h.initialParamsSha256()
                    + " but the initial checkpoint holds " + initialSha);
        }
        if (schedule.lastGeneration() < untilGeneration) {
            throw new IllegalArgumentException("the schedule ends at generation " + schedule.lastGeneration()
                    + " but the checkpoint is at generation " + untilGeneration);
        }
        TrainConfig cfg = h.config();
        EsConfig es = cfg.esConfig();
        int applied = 0;
        try (CpuBackend b = new CpuBackend(threads)) {
            b.load(initial);
            for (ScheduleRecord r : schedule.records()) {
                if (r.generation() > untilGeneration) {
                    break;
                }
                b.update(r.toGeneration(h.seed(), es), r.shapedFitness(), r.effectivePopulation(), r.learningRate());
                applied++;
            }
            ModelState end = b.state();
            return new Result(applied, untilGeneration, end.params().sha256(), expectedSha256,
                    end.optimizerState().step(), expectedStep, scheduleBytes, checkpointBytes, end);
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat " + p, e);
        }
    }
}
