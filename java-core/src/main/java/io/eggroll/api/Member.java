package io.eggroll.api;

import io.eggroll.es.Generation;

/**
 * A member of a generation, as a key: the run seed, the generation and its index. At rest a member
 * is nothing more; its perturbation is regenerated from the key where it is needed. Members
 * {@code 2k} and {@code 2k+1} are an antithetic pair: they share their noise with opposite signs.
 *
 * @param seed       the run seed
 * @param generation the generation index
 * @param index      the member's index in the population
 */
public record Member(long seed, int generation, int index) {

    /** The index of its antithetic pair. */
    public int pair() {
        return Generation.pair(index);
    }

    /** The sign of its perturbation: +1 for even members, -1 for odd. */
    public float sign() {
        return Generation.sign(index);
    }
}
