package io.eggroll.train;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One line of {@code metrics.jsonl}. {@code generation} is the 0-based index of the generation;
 * the line counts generations from 1 ({@code "generation": 1} is the first), as the progress line
 * and every message do. {@code validationAccuracy} (the accuracy on the validation split) is NaN
 * (written as null) on generations without a check. {@code learningRate} and {@code sigma} are the step size and
 * perturbation scale the generation's update used.
 */
public record GenerationStats(int generation, double fitnessMean, double fitnessMax, double minibatchAccuracy,
                              double validationAccuracy, double seconds, double generationSeconds,
                              double memberEvaluationsPerSecond, int[] excludedMembers, float learningRate,
                              float sigma) {

    /**
     * The stats of one generation from its members' fitness (non-finite values are left out of the
     * mean and maximum) and the number of correct predictions out of {@code members x batch}.
     */
    public static GenerationStats of(int generation, float[] fitness, long correct, int batch, double validationAccuracy,
                                     double seconds, double generationSeconds, int[] excludedMembers,
                                     float learningRate, float sigma) {
        double sum = 0;
        double max = Double.NEGATIVE_INFINITY;
        int finite = 0;
        for (float f : fitness) {
            if (Float.isFinite(f)) {
                sum += f;
                max = Math.max(max, f);
                finite++;
            }
        }
        long evaluations = (long) fitness.length * batch;
        return new GenerationStats(generation, finite == 0 ? Double.NaN : sum / finite, max,
                (double) correct / evaluations, validationAccuracy, seconds, generationSeconds,
                evaluations / generationSeconds, excludedMembers, learningRate, sigma);
    }

    /** This generation as its {@code metrics.jsonl} line (without the newline). */
    public String toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("generation", generation + 1);
        putNumber(o, "fitness_mean", fitnessMean);
        putNumber(o, "fitness_max", fitnessMax);
        putNumber(o, "minibatch_accuracy", minibatchAccuracy);
        putNumber(o, "val_accuracy", validationAccuracy);
        o.put("seconds", Math.round(seconds * 1000) / 1000.0);
        o.put("generation_seconds", Math.round(generationSeconds * 10000) / 10000.0);
        o.put("member_evals_per_second", Math.round(memberEvaluationsPerSecond));
        o.putPOJO("excluded_members", excludedMembers);
        o.put("learning_rate", learningRate);
        o.put("sigma", sigma);
        return o.toString();
    }

    private static void putNumber(ObjectNode o, String k, double v) {
        if (Double.isFinite(v)) {
            o.put(k, v);
        } else {
            o.putNull(k);
        }
    }
}
