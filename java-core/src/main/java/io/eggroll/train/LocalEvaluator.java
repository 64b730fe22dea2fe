package io.eggroll.train;

import io.eggroll.backend.Backend;
import io.eggroll.data.SpikeDataset;
import io.eggroll.es.EsConfig;
import io.eggroll.es.Fitness;
import io.eggroll.es.Generation;
import io.eggroll.snn.SpikeBatch;

/**
 * Evaluates the population on one backend: sample the generation's minibatch from (seed,
 * generation), run the members, compute fitness and count correct predictions. The training loop
 * uses it for the whole population; a cluster worker for its slice of pairs.
 */
public final class LocalEvaluator implements PopulationEvaluator {

    private final Backend backend;
    private final SpikeDataset train;
    private final BatchSampler sampler;
    private final long seed;

    public LocalEvaluator(Backend backend, SpikeDataset train, long seed, int batch) {
        this.backend = backend;
        this.train = train;
        this.sampler = new BatchSampler(seed, train.size(), batch);
        this.seed = seed;
    }

    /** The loop's evaluator for {@code cfg}'s run on {@code train}. */
    public static LocalEvaluator of(Backend backend, SpikeDataset train, TrainConfig cfg) {
        return new LocalEvaluator(backend, train, cfg.seed, cfg.batch);
    }

    @Override
    public Fitnesses evaluate(Generation g) {
        return evaluate(g, 0, g.es().pairs());
    }

    /**
     * Evaluates only the antithetic pairs {@code [firstPair, firstPair + pairCount)}: their
     * {@code 2 pairCount} members' fitness is what the full evaluation gives them.
     */
    public Fitnesses evaluate(Generation g, int firstPair, int pairCount) {
        if (g.seed() != seed) {
            throw new IllegalArgumentException("generation keyed by seed " + g.seed() + ", this evaluator samples "
                    + "the batches of seed " + seed);
        }
        EsConfig es = g.es();
        SpikeBatch batch = SpikeBatch.gather(train, sampler.indices(g.index()));
        float[] readouts = backend.evaluate(batch, g, firstPair, pairCount);
        int members = 2 * pairCount;
        int samples = batch.samples();
        int classes = readouts.length / Math.max(1, members * samples);
        float[] fitness = Fitness.compute(es.fitness(), es.temperature(), readouts, members, samples, classes,
                batch.labels());
        long correct = 0;
        for (int i = 0; i < members; i++) {
            for (int s = 0; s < samples; s++) {
                correct += Fitness.argmax(readouts, (i * samples + s) * classes, classes) == batch.labels()[s] ? 1 : 0;
            }
        }
        return new Fitnesses(fitness, correct);
    }
}
