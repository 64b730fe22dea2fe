package io.eggroll.cli;

import io.eggroll.backend.Backend;
import io.eggroll.data.SpikeDataset;
import io.eggroll.train.PopulationEvaluator;
import io.eggroll.train.RunDirectory;
import io.eggroll.train.TrainConfig;
import java.util.Optional;

/**
 * Service-provider interface for other places {@code eggroll train} can evaluate the population
 * (the cluster module's workers): list the implementation in
 * {@code META-INF/services/io.eggroll.cli.PopulationEvaluatorProvider}. The implementation is a
 * picocli mixin: {@link Main} adds its {@code @Option}s to {@code eggroll train}, and the train
 * command asks it, once the options are parsed, whether they select it.
 */
public interface PopulationEvaluatorProvider {

    /** A short name for the mixin, e.g. {@code "cluster"}. */
    String name();

    /**
     * The evaluator the parsed options ask for, or empty when they leave the run local.
     * {@code backend} is the training loop's (it holds the weights and applies the updates).
     */
    Optional<PopulationEvaluator> evaluator(TrainConfig cfg, String datasetFingerprint, Backend backend,
                                            RunDirectory run);

    /**
     * As above, with the training data itself (e.g. for checking remote results); by default the
     * fingerprint-only variant.
     */
    default Optional<PopulationEvaluator> evaluator(TrainConfig cfg, SpikeDataset train, Backend backend,
                                                    RunDirectory run) {
        return evaluator(cfg, train.fingerprint(), backend, run);
    }
}
