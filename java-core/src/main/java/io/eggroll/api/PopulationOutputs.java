package io.eggroll.api;

import io.eggroll.es.Fitness;
import java.util.Arrays;

/**
 * Every member's scores on a batch, from the backend's population forward.
 *
 * @param members the population size N
 * @param samples the batch size B
 * @param outputs the number of outputs C
 * @param scores  {@code N x B x C}, member-major: member i, sample s, output c at
 *                {@code (i * B + s) * C + c}
 */
public record PopulationOutputs(int members, int samples, int outputs, float[] scores) {

    /** The scores of member {@code member} on sample {@code sample} (a copy, {@code outputs} long). */
    public float[] scores(int member, int sample) {
        int from = (member * samples + sample) * outputs;
        return Arrays.copyOfRange(scores, from, from + outputs);
    }

    /** The output with the highest score of member {@code member} on sample {@code sample} (the first on ties). */
    public int argmax(int member, int sample) {
        return Fitness.argmax(scores, (member * samples + sample) * outputs, outputs);
    }
}
