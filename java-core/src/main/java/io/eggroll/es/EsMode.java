package io.eggroll.es;

/** The family of perturbations. */
public enum EsMode {
    /** Low-rank perturbations {@code (sigma / sqrt(r)) A B^T}, regenerated from seeds (DESIGN.md section 1). */
    EGGROLL,
    /** The baseline: a dense Gaussian {@code m x n} perturbation per pair. */
    FULL_RANK
}
