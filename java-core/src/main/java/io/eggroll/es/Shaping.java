package io.eggroll.es;

/** How raw fitness becomes the weights of the update. */
public enum Shaping {
    /** Ranks mapped linearly onto [-0.5, 0.5] (OpenAI ES); invariant to any monotone transform. */
    CENTERED_RANKS,
    /** (f - mean) / std. */
    ZSCORE
}
