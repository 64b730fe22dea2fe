package io.eggroll.train;

import io.eggroll.backend.ModelState;
import io.eggroll.es.Generation;
import io.eggroll.train.schedule.ScheduleRecord;

/**
 * Where {@link Trainer}'s generation loop gets each member's fitness from: this process's backend
 * ({@link LocalEvaluator}) or the workers of a cluster. The loop owns everything else (shaping,
 * exclusion, the update, stats, schedule records, held-out evaluation, checkpoints) and tells the
 * evaluator what happened, so a remote evaluator can keep its replicas in step.
 */
public interface PopulationEvaluator {

    /**
     * Every member's fitness on the generation's minibatch, in member order, and how many of the
     * {@code members x batch} predictions were correct.
     */
    record Fitnesses(float[] fitness, long correct) {}

    /**
     * Before the first generation: the loop's backend holds {@code state}, the weights before
     * generation {@code start} (the initial checkpoint, if any, is written).
     */
    default void begin(ModelState state, int start) {}

    /** Evaluates every member of {@code g}. */
    Fitnesses evaluate(Generation g);

    /** After generation {@code record.generation()}'s update, which took {@code updateNanos}. */
    default void updated(ScheduleRecord record, long updateNanos) {}

    /** After a checkpoint of {@code state}, the weights after {@code generation}, was written. */
    default void checkpointed(int generation, ModelState state) {}

    /** After the last generation, when the run completed; {@code state} holds the weights after it. */
    default void end(int generations, ModelState state) {}

    /** After the run, completed or failed: releases what {@link #begin} took (begin may follow again). */
    default void stop() {}
}
