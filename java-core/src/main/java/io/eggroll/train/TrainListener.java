package io.eggroll.train;

import io.eggroll.es.Generation;

/** Hooks into the training loop (progress display, seed schedule, distributed replicas). */
public interface TrainListener {

    /** After generation g's update: the shaped fitness and the population it was normalised by. */
    default void onUpdate(Generation g, float[] shapedFitness, int effectivePopulation) {}

    /** After the metrics of a generation are known. */
    default void onStats(GenerationStats stats, int totalGenerations) {}

    /** A member's fitness was NaN or infinite. */
    default void onExcluded(int generation, int member, float fitness) {}

    /** A checkpoint was written. */
    default void onCheckpoint(int generation, java.nio.file.Path file) {}
}
