package io.eggroll.es;

/** The step applied to the ES gradient estimate (ascent on fitness). */
public enum OptimizerKind {
    SGD,
    ADAM
}
