package io.eggroll.tornado;

import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

/**
 * Philox4x32-10 and the keyed noise streams in a form TornadoVM compiles: static methods on
 * primitives (no arrays allocated, no out-parameters), the normal table passed in as a device
 * array. The same methods run on the host JVM, where the tests check them bit for bit against
 * {@link io.eggroll.rng.Noise}; on the device they are inlined into the kernels of
 * {@link EggrollKernels}.
 *
 * <p>Stream layout (docs/ENGINE.md): Gaussian element {@code e} is 16-bit half {@code e & 1} of
 * word {@code (e & 7) >> 1} of block {@code e >> 3}; Rademacher element {@code e} is bit
 * {@code e & 31} of word {@code (e & 127) >> 5} of block {@code e >> 7}. Both are addressed here
 * through one <em>word key</em>, {@code e >>> wordShift} (shift 1 for Gaussian, 5 for
 * Rademacher): block {@code key >>> 2}, word {@code key & 3}. Loops over consecutive elements
 * keep the last word and recompute Philox only when the key changes.
 */
public final class DeviceNoise {

    static final int M0 = 0xD2511F53;
    static final int M1 = 0xCD9E8D57;
    static final int W0 = 0x9E3779B9;
    static final int W1 = 0xBB67AE85;
    static final int ROUNDS = 10;
    static final long LOW32 = 0xFFFFFFFFL;

    private DeviceNoise() {}

    /**
     * Word {@code word} (0..3) of Philox4x32-10 of counter {@code (c0, c1, c2, c3)} under key
     * {@code (k0, k1)}: the round function of {@link io.eggroll.rng.Philox#philox4x32}, with the key
     * bumped after each round instead of before the next (the same schedule).
     */
    public static int philoxWord(int k0, int k1, int c0, int c1, int c2, int c3, int word) {
        int x0 = c0;
        int x1 = c1;
        int x2 = c2;
        int x3 = c3;
        int key0 = k0;
        int key1 = k1;
        for (int i = 0; i < ROUNDS; i++) {
            long p0 = (M0 & LOW32) * (x0 & LOW32);
            long p1 = (M1 & LOW32) * (x2 & LOW32);
            int n0 = ((int) (p1 >>> 32)) ^ x1 ^ key0;
            int n2 = ((int) (p0 >>> 32)) ^ x3 ^ key1;
            x1 = (int) p1;
            x3 = (int) p0;
            x0 = n0;
            x2 = n2;
            key0 += W0;
            key1 += W1;
        }
        int w = x3;
        if (word == 0) {
            w = x0;
        } else if (word == 1) {
            w = x1;
        } else if (word == 2) {
            w = x2;
        }
        return w;
    }

    /**
     * {@code x >>> s} for {@code 1 <= s <= 31}, written with an arithmetic shift and a mask.
     * TornadoVM 5.2.0's OpenCL code generator emits Java's {@code >>>} on an {@code int} as C's
     * {@code >>} on a signed int (an arithmetic shift), so kernels must not use {@code >>>} on
     * ints; {@code long} shifts are generated correctly.
     */
    public static int ushr(int x, int s) {
        return (x >> s) & ((1 << (32 - s)) - 1);
    }

    /** Elements per word key: {@code e >>> wordShift} names the 32-bit word holding element e. */
    public static int wordShift(int gaussian) {
        return gaussian != 0 ? 1 : 5;
    }

    /**
     * The Philox word holding element {@code e} (an unsigned 32-bit index) of stream
     * {@code (pair, generation, stream)} under the run seed {@code (k0, k1) = (lo32, hi32)}.
     */
    public static int word(int k0, int k1, int pair, int generation, int stream, int shift, int e) {
        int key = ushr(e, shift);
        return philoxWord(k0, k1, ushr(key, 2), pair, generation, stream, key & 3);
    }

    /** Element {@code e}'s value, given the word that holds it. */
    public static float fromWord(FloatArray table, int gaussian, int w, int e) {
        float value;
        if (gaussian != 0) {
            int half = (e & 1) == 0 ? (w & 0xFFFF) : ushr(w, 16);
            value = table.get(half >> 4);
        } else {
            value = ((w >> (e & 31)) & 1) != 0 ? 1.0f : -1.0f; // bit e & 31: the sign fill never reaches bit 0
        }
        return value;
    }

    /** Element {@code e} of a stream (one Philox evaluation). */
    public static float at(FloatArray table, int k0, int k1, int pair, int generation, int stream, int gaussian,
                           int e) {
        return fromWord(table, gaussian, word(k0, k1, pair, generation, stream, wordShift(gaussian), e), e);
    }

    /** The low key word of a run seed. */
    public static int keyLo(long seed) {
        return (int) seed;
    }

    /** The high key word of a run seed. */
    public static int keyHi(long seed) {
        return (int) (seed >>> 32);
    }
}
