package io.eggroll.train;

import io.eggroll.data.SpikeDataset;

/** The training and held-out sets of a task. */
public record TaskData(SpikeDataset train, SpikeDataset heldout) {

    /** Builds the built-in synthetic spike-pattern task of a config. */
    public static TaskData synthetic(TrainConfig cfg) {
        TrainConfig.Synthetic s = cfg.synthetic;
        return new TaskData(
                SyntheticTask.generate(cfg.seed, true, s.trainSamples, s.inputs, s.timesteps, s.classes, s.highRate,
                        s.lowRate),
                SyntheticTask.generate(cfg.seed, false, s.testSamples, s.inputs, s.timesteps, s.classes, s.highRate,
                        s.lowRate));
    }
}
