package io.eggroll.train.schedule;

import io.eggroll.es.EsConfig;
import io.eggroll.es.EsMode;
import io.eggroll.es.Generation;

/**
 * One generation of the seed schedule: with the run seed and the initial weights, the list of
 * these records reproduces training bit for bit (docs/DESIGN.md sections 1 and 6.4). Applying a record
 * is one {@code Backend.update(toGeneration(seed, es), shapedFitness, effectivePopulation, learningRate)}.
 *
 * @param generation          generation index
 * @param population          N
 * @param rank                r (1 for full rank)
 * @param sigma               perturbation scale
 * @param learningRate        the optimizer's learning rate at this step
 * @param optimizerStep       the optimizer's 1-based step count after this update
 * @param effectivePopulation members whose pair had finite fitness
 * @param shapedFitness       the shaped fitness, one value per member (0 for excluded members)
 */
public record ScheduleRecord(int generation, int population, int rank, float sigma, float learningRate,
                             long optimizerStep, int effectivePopulation, float[] shapedFitness) {

    public ScheduleRecord {
        if (shapedFitness.length != population) {
            throw new IllegalArgumentException("generation " + generation + ": " + shapedFitness.length
                    + " shaped fitness values for a population of " + population);
        }
        shapedFitness = shapedFitness.clone();
    }

    /** The record of generation {@code g}'s update: its ES settings plus the step's values. */
    public static ScheduleRecord of(Generation g, float learningRate, long optimizerStep, int effectivePopulation,
                                    float[] shapedFitness) {
        EsConfig es = g.es();
        return new ScheduleRecord(g.index(), es.population(), es.mode() == EsMode.EGGROLL ? es.rank() : 1, es.sigma(),
                learningRate, optimizerStep, effectivePopulation, shapedFitness);
    }

    @Override
    public float[] shapedFitness() {
        return shapedFitness.clone();
    }

    /** The generation this record describes, under the run seed and ES settings of the run. */
    public Generation toGeneration(long seed, EsConfig runEs) {
        EsConfig es = runEs.withPopulation(population).withRank(rank);
        if (es.sigma() != sigma) {
            es = new EsConfig(es.mode(), es.population(), es.rank(), sigma, es.noise(), es.shaping(), es.fitness(),
                    es.temperature(), es.biasNoise());
        }
        return new Generation(seed, generation, es);
    }
}
