package io.eggroll.train;

import io.eggroll.train.schedule.ScheduleRecord;

/** Hooks into the training loop (progress display, seed schedule, distributed replicas). */
public interface TrainListener {

    /** After a generation's update: the record that reproduces it (the seed schedule's entry). */
    default void onUpdate(ScheduleRecord record) {}

    /** After the metrics of a generation are known. */
    default void onStats(GenerationStats stats, int totalGenerations) {}

    /** A member's fitness was NaN or infinite. */
    default void onExcluded(int generation, int member, float fitness) {}

    /** A checkpoint was written. */
    default void onCheckpoint(int generation, java.nio.file.Path file) {}
}
