package io.eggroll.rng;

/**
 * Keyed noise streams (docs/DESIGN.md section 3). Element {@code e} of the stream
 * (seed, pair, generation, layer, kind) is a pure function of those values, so any element can
 * be computed on its own (random access) and every backend produces the same bits.
 *
 * <p>Layout, identical to {@code eggroll_rng.h}: Gaussian element e lives in Philox block
 * {@code e >> 3}, word {@code (e & 7) >> 1}, 16-bit half {@code e & 1}; its top 12 bits index
 * {@link NormalTable}. Rademacher element e is bit {@code e & 31} of word {@code (e & 127) >> 5}
 * of block {@code e >> 7}.
 */
public final class Noise {

    /** Factor kinds (the low 4 bits of the stream word). */
    public static final int KIND_A = 0;
    public static final int KIND_B = 1;
    public static final int KIND_BIAS = 2;
    /** Evolved per-neuron thresholds ({@code io.eggroll.snn.Neurons}). */
    public static final int KIND_THRESHOLD = 3;
    public static final int KIND_FULL = 4;
    /** Evolved per-neuron decays ({@code io.eggroll.snn.Neurons}). */
    public static final int KIND_DECAY = 5;

    private Noise() {}

    /** The stream word for a layer and factor kind: {@code (layer << 4) | kind}. */
    public static int stream(int layer, int kind) {
        return (layer << 4) | kind;
    }

    /** Element {@code e} of a stream (one Philox evaluation). */
    public static float at(long seed, int pair, int generation, int stream, NoiseKind kind, long e) {
        int[] w = new int[4];
        Philox.block(seed, (int) (e >>> kind.blockShift()), pair, generation, stream, w);
        return fromBlock(kind, w, (int) e);
    }

    /** Element {@code e} of a stream, given the four words of the Philox block holding it. */
    public static float fromBlock(NoiseKind kind, int[] w, int e) {
        if (kind == NoiseKind.GAUSSIAN) {
            int word = w[(e & 7) >>> 1];
            int half = (e & 1) == 0 ? word & 0xFFFF : word >>> 16;
            return NormalTable.at(half >>> (16 - NormalTable.BITS));
        }
        return ((w[(e & 127) >>> 5] >>> (e & 31)) & 1) != 0 ? 1.0f : -1.0f;
    }

    /**
     * Writes elements {@code [first, first + count)} of a stream to {@code out[off..off+count)},
     * computing each Philox block once.
     */
    public static void fill(long seed, int pair, int generation, int stream, NoiseKind kind,
                            long first, int count, float[] out, int off) {
        int[] w = new int[4];
        int per = kind.perBlock();
        int shift = kind.blockShift();
        long e = first;
        int i = 0;
        while (i < count) {
            long block = e >>> shift;
            Philox.block(seed, (int) block, pair, generation, stream, w);
            int within = (int) (e - (block << shift));
            int n = Math.min(per - within, count - i);
            if (n == per) {
                // A whole block: every value it holds, unrolled, without per-element index arithmetic.
                if (kind == NoiseKind.GAUSSIAN) {
                    gaussianBlock(w, out, off + i);
                } else {
                    rademacherBlock(w, out, off + i);
                }
            } else if (kind == NoiseKind.GAUSSIAN) {
                for (int k = within; k < within + n; k++) {
                    int word = w[k >>> 1];
                    int half = (k & 1) == 0 ? word & 0xFFFF : word >>> 16;
                    out[off + i + k - within] = NormalTable.at(half >>> (16 - NormalTable.BITS));
                }
            } else {
                for (int k = within; k < within + n; k++) {
                    out[off + i + k - within] = ((w[k >>> 5] >>> (k & 31)) & 1) != 0 ? 1.0f : -1.0f;
                }
            }
            i += n;
            e += n;
        }
    }

    private static final int DROP = 16 - NormalTable.BITS;

    /** The 8 Gaussian values of one block: low then high half of words 0..3. */
    private static void gaussianBlock(int[] w, float[] out, int o) {
        int w0 = w[0];
        int w1 = w[1];
        int w2 = w[2];
        int w3 = w[3];
        out[o] = NormalTable.at((w0 & 0xFFFF) >>> DROP);
        out[o + 1] = NormalTable.at(w0 >>> 16 + DROP);
        out[o + 2] = NormalTable.at((w1 & 0xFFFF) >>> DROP);
        out[o + 3] = NormalTable.at(w1 >>> 16 + DROP);
        out[o + 4] = NormalTable.at((w2 & 0xFFFF) >>> DROP);
        out[o + 5] = NormalTable.at(w2 >>> 16 + DROP);
        out[o + 6] = NormalTable.at((w3 & 0xFFFF) >>> DROP);
        out[o + 7] = NormalTable.at(w3 >>> 16 + DROP);
    }

    /** The 128 signs of one block: bit b of word k is element 32 k + b, set = +1. */
    private static void rademacherBlock(int[] w, float[] out, int o) {
        for (int k = 0; k < 4; k++) {
            int word = w[k];
            for (int b = 0; b < 32; b++) {
                // 0x3f800000 is 1.0f; the sign bit is set where the noise bit is clear.
                out[o + 32 * k + b] = Float.intBitsToFloat(0x3f800000 | ((~word >>> b) & 1) << 31);
            }
        }
    }
}
