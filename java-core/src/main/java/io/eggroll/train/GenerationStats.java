package io.eggroll.train;

/**
 * One line of {@code metrics.jsonl}. {@code heldoutAccuracy} is NaN (written as null) on
 * generations without an evaluation.
 */
public record GenerationStats(int generation, double fitnessMean, double fitnessMax, double minibatchAccuracy,
                              double heldoutAccuracy, double seconds, double generationSeconds,
                              double memberEvaluationsPerSecond, int[] excludedMembers) {}
