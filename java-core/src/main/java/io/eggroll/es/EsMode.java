package io.eggroll.es;

/** The family of perturbations. */
public enum EsMode {
    /** Low-rank perturbations {@code (sigma / sqrt(r)) A B^T}, regenerated from seeds (docs/DESIGN.md section 1.3). */
    EGGROLL,
    /** The baseline: a dense Gaussian {@code m x n} perturbation per pair. */
    FULL_RANK
}
