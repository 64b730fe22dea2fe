package io.eggroll.train.schedule;

import io.eggroll.train.RunDirectory;
import io.eggroll.train.TrainConfig;
import io.eggroll.train.TrainListener;
import io.eggroll.train.TrainListenerFactory;
import java.util.Optional;

/** Attaches a {@link SeedScheduleListener} to every CLI training run that has a run directory. */
public final class SeedScheduleListenerFactory implements TrainListenerFactory {

    @Override
    public Optional<TrainListener> create(RunDirectory run, TrainConfig config, int resumeAfter) {
        return run == null ? Optional.empty() : Optional.of(new SeedScheduleListener(run, config, resumeAfter));
    }
}
