package io.eggroll.train;

import java.util.Optional;

/**
 * Service-provider interface for listeners other modules attach to every training run started
 * from the CLI (e.g. the seed-schedule writer): list the implementation in
 * {@code META-INF/services/io.eggroll.train.TrainListenerFactory}.
 */
public interface TrainListenerFactory {

    /**
     * A listener for this run, or empty. {@code resumeAfter} is the last generation already in the
     * run directory when resuming, or -1 for a new run.
     */
    Optional<TrainListener> create(RunDirectory run, TrainConfig config, int resumeAfter);
}
