package io.eggroll.es;

/** How the learning rate moves over the optimizer's steps. */
public enum LrDecay {
    /** The same rate at every step. */
    CONSTANT,
    /**
     * Half a cosine from the base rate down to 2 % of it over {@code decaySteps}, then flat: large
     * steps while the estimate is far from the optimum, small ones to average out ES noise at the end.
     */
    COSINE
}
