package io.eggroll.backend;

import io.eggroll.es.Generation;
import io.eggroll.snn.SpikeBatch;

/**
 * A compute backend (docs/DESIGN.md section 4). It keeps the network and optimizer state resident and
 * does two things per generation: evaluate the population on a batch, and apply the update from
 * the shaped fitness. Fitness and shaping run on the host, identically for every backend.
 *
 * <p>{@link io.eggroll.es.Definition} is the definition of correct: the conformance suite tests
 * every backend against it (the cpu backend bit for bit, devices within stated bounds).
 */
public interface Backend extends AutoCloseable {

    /** Backend name as used by {@code --backend}, e.g. {@code "cpu"}. */
    String name();

    /** Human-readable device description, e.g. {@code "cpu: 2 threads"}. */
    String device();

    /** Makes the given state resident (copied; later changes to the argument have no effect). */
    void load(ModelState state);

    /** A copy of the resident state (weights, biases, optimizer buffers). */
    ModelState state();

    /**
     * Runs every member of generation {@code g} on the batch. Returns the readout scores,
     * {@code N x B x C} member-major: member i, sample s, class c at {@code (i * B + s) * C + c}.
     */
    default float[] evaluate(SpikeBatch batch, Generation g) {
        return evaluate(batch, g, 0, g.es().pairs());
    }

    /**
     * Runs only the antithetic pairs {@code [firstPair, firstPair + pairCount)} (members
     * {@code 2 firstPair ..}); returns their readouts, {@code 2 pairCount x B x C}. Each member's
     * readout is identical to what the full evaluation gives it: distributed workers rely on this.
     */
    float[] evaluate(SpikeBatch batch, Generation g, int firstPair, int pairCount);

    /** Runs the unperturbed network on the batch; returns {@code B x C} scores. */
    float[] infer(SpikeBatch batch);

    /**
     * Forms the gradient estimate from the shaped fitness (one weight per member; excluded members
     * carry 0) and applies one optimizer step. {@code effectivePopulation} is the number of members
     * that took part, the N the estimate divides by. {@code learningRate} is the step's rate (the
     * caller's schedule, e.g. {@link io.eggroll.es.OptimizerConfig#learningRateAt}, or a schedule
     * record's): the backend never derives it, so training, replay and cluster replicas apply a step
     * the same way.
     */
    void update(Generation g, float[] shapedFitness, int effectivePopulation, float learningRate);

    @Override
    void close();
}
