package io.eggroll.train;

import io.eggroll.data.SpikeDataset;

/**
 * The three splits of a task: {@code train} (what ES samples minibatches from), {@code validation}
 * (every periodic check during training, and any choice made from them) and {@code test} (touched
 * only for the final score and by {@code eval}).
 */
public record TaskData(SpikeDataset train, SpikeDataset validation, SpikeDataset test) {

    /** Builds the built-in synthetic spike-pattern task of a config: three independently drawn splits. */
    public static TaskData synthetic(TrainConfig cfg) {
        TrainConfig.Synthetic s = cfg.synthetic;
        return new TaskData(
                SyntheticTask.generate(cfg.seed, SyntheticTask.Part.TRAIN, s.trainSamples, s.inputs, s.timesteps,
                        s.classes, s.highRate, s.lowRate),
                SyntheticTask.generate(cfg.seed, SyntheticTask.Part.VALIDATION,
                        cfg.data.validationCount(s.trainSamples), s.inputs,
                        s.timesteps, s.classes, s.highRate, s.lowRate),
                SyntheticTask.generate(cfg.seed, SyntheticTask.Part.TEST, s.testSamples, s.inputs, s.timesteps,
                        s.classes, s.highRate, s.lowRate));
    }
}
