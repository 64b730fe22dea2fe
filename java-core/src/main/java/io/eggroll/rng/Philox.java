package io.eggroll.rng;

/**
 * Philox4x32-R (Salmon, Moraes, Dror, Shaw, SC'11) with the Random123 constants.
 *
 * <p>The Java port of {@code kernels/.../eggroll_rng.h}; both are checked against the published
 * known-answer vectors and against each other. Counters and keys are 32-bit words held in
 * {@code int}s; the unsigned products are formed in {@code long}.
 */
public final class Philox {

    public static final int M0 = 0xD2511F53;
    public static final int M1 = 0xCD9E8D57;
    public static final int W0 = 0x9E3779B9;
    public static final int W1 = 0xBB67AE85;
    public static final int ROUNDS = 10;

    private Philox() {}

    /** Philox4x32 with {@code rounds} rounds on counter {@code c} (in place) under key (k0, k1). */
    public static void philox4x32(int rounds, int[] c, int k0, int k1) {
        int c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3];
        for (int i = 0; i < rounds; i++) {
            if (i > 0) {
                k0 += W0;
                k1 += W1;
            }
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            c1 = (int) p1;
            c3 = (int) p0;
            c0 = n0;
            c2 = n2;
        }
        c[0] = c0;
        c[1] = c1;
        c[2] = c2;
        c[3] = c3;
    }

    /** Philox4x32-10 of counter (block, pair, generation, stream) keyed by the 64-bit run seed. */
    public static void block(long seed, int block, int pair, int generation, int stream, int[] out) {
        out[0] = block;
        out[1] = pair;
        out[2] = generation;
        out[3] = stream;
        philox4x32(ROUNDS, out, (int) seed, (int) (seed >>> 32));
    }

    /** Random123 {@code u01<float>}: {@code float(x) * 2^-32 + 2^-33}, in (0, 1]. */
    public static float u01(int x) {
        return (float) (x & 0xFFFFFFFFL) * 0x1p-32f + 0x1p-33f;
    }
}
