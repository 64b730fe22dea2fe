package io.eggroll.es;

/** Per-sample score averaged over the minibatch to give a member's fitness. */
public enum FitnessKind {
    /** {@code log softmax(scores / temperature)[label]}: the negative cross-entropy. */
    NEG_CROSS_ENTROPY,
    /** 1 if argmax of the scores is the label, else 0 (the first class wins a tie; a NaN score is wrong). */
    ACCURACY
}
