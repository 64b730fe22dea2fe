package io.eggroll.es;

/** Per-sample score averaged over the minibatch to give a member's fitness. */
public enum FitnessKind {
    /** {@code log softmax(scores / temperature)[label]}: the negative cross-entropy. */
    NEG_CROSS_ENTROPY,
    /**
     * 1 if the argmax of the scores is the label, else 0. On ties the argmax is the first of the
     * tied classes ({@link Fitness#argmax}), so a tie counts as right when the label is that class; a NaN score is wrong.
     */
    ACCURACY
}
