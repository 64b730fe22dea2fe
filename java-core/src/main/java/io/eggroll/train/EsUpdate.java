package io.eggroll.train;

import io.eggroll.backend.Backend;
import io.eggroll.es.FitnessShaping;
import io.eggroll.es.Generation;
import io.eggroll.es.OptimizerConfig;
import io.eggroll.train.schedule.ScheduleRecord;

/**
 * One ES update from a generation's raw fitness, the one path every way of training takes: the
 * {@link Trainer}'s generation loop and the ask/tell interface ({@code io.eggroll.api.AskTell}).
 * It shapes the fitness on the host (a member with non-finite fitness takes its antithetic pair
 * out of the update), takes the optimizer's learning rate for the next step and applies the
 * update on the backend, which never forms a perturbed matrix.
 */
public final class EsUpdate {

    private EsUpdate() {}

    /** Told about each member whose fitness is NaN or infinite (its pair is left out of the update). */
    @FunctionalInterface
    public interface Exclusions {
        /** Member {@code member} of generation {@code generation} has the non-finite {@code fitness}. */
        void excluded(int generation, int member, float fitness);
    }

    /**
     * What an update did.
     *
     * @param generation    the generation updated
     * @param shaped        the shaped fitness, the effective population and the members left out
     * @param learningRate  the step's learning rate
     * @param step          the optimizer's 1-based step number of this update
     * @param updateNanos   the time the backend's update took
     */
    public record Applied(Generation generation, FitnessShaping.Shaped shaped, float learningRate, long step,
                          long updateNanos) {

        /** The seed-schedule record that reproduces this update. */
        public ScheduleRecord record() {
            return ScheduleRecord.of(generation, learningRate, step, shaped.effectivePopulation(), shaped.weights());
        }
    }

    /**
     * Shapes {@code fitness} (one value per member of {@code g}, in member order) and applies
     * optimizer step {@code previousStep + 1} on {@code backend}, which holds the weights.
     *
     * @throws IllegalArgumentException when {@code fitness} does not have one value per member
     * @throws IllegalStateException when every member's fitness is NaN or infinite (divergence)
     */
    public static Applied apply(Backend backend, Generation g, float[] fitness, OptimizerConfig optimizer,
                                long previousStep, Exclusions exclusions) {
        if (fitness.length != g.es().population()) {
            throw new IllegalArgumentException("generation " + g.index() + ": " + fitness.length
                    + " fitness values for a population of " + g.es().population());
        }
        FitnessShaping.Shaped shaped = shape(g.index(), g, fitness, exclusions);
        long step = previousStep + 1;
        float learningRate = optimizer.learningRateAt(step);
        long u0 = System.nanoTime();
        backend.update(g, shaped.weights(), shaped.effectivePopulation(), learningRate);
        long updateNanos = System.nanoTime() - u0;
        return new Applied(g, shaped, learningRate, step, updateNanos);
    }

    /**
     * Shapes a generation's fitness; a member with non-finite fitness takes its antithetic pair out
     * of the update (told to {@code exclusions}). Every member out means divergence.
     */
    private static FitnessShaping.Shaped shape(int gen, Generation g, float[] fitness, Exclusions exclusions) {
        FitnessShaping.Shaped shaped = FitnessShaping.shape(g.es().shaping(), fitness);
        for (int m : shaped.excluded()) {
            if (!Float.isFinite(fitness[m])) {
                exclusions.excluded(gen, m, fitness[m]);
            }
        }
        if (shaped.effectivePopulation() == 0) {
            throw new IllegalStateException("generation " + gen + ": every member's fitness is NaN or infinite; "
                    + "the network diverged (try a smaller optimizer.learningRate or es.sigma)");
        }
        return shaped;
    }
}
