package io.eggroll.es;

/**
 * Everything that keys one generation's perturbations: with the run seed, a generation is fully
 * described by these values and the shaped fitness (the seed-schedule record).
 */
public record Generation(long seed, int index, EsConfig es) {

    public Generation {
        if (index < 0) {
            throw new IllegalArgumentException("generation index must be >= 0, got " + index);
        }
    }

    /** Antithetic sign of member i: +1 for even, -1 for odd. */
    public static float sign(int member) {
        return (member & 1) == 0 ? 1f : -1f;
    }

    /** Pair index of member i. */
    public static int pair(int member) {
        return member >>> 1;
    }
}
