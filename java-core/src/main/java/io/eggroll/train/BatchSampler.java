package io.eggroll.train;

import io.eggroll.rng.Philox;

/**
 * Minibatch indices as a pure function of (run seed, generation): the samples are visited in
 * epochs, each a Philox-keyed Fisher-Yates permutation, and generation g takes positions
 * {@code [g B, (g + 1) B)} of that endless sequence. No sampler state exists, so a resumed run
 * and every distributed worker draw the same batches.
 */
public final class BatchSampler {

    /** Counter word 3 of the sampler's Philox stream (far from the noise streams' layer << 4). */
    static final int STREAM = 0x7FFF_0000;

    private final long seed;
    private final int size;
    private final int batch;
    private int cachedEpoch = -1;
    private int[] cachedPerm;

    public BatchSampler(long seed, int size, int batch) {
        if (size < 1) {
            throw new IllegalArgumentException("the training set is empty");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        this.seed = seed;
        this.size = size;
        this.batch = batch;
    }

    public synchronized int[] indices(int generation) {
        int[] out = new int[batch];
        long pos = (long) generation * batch;
        for (int i = 0; i < batch; i++, pos++) {
            int epoch = (int) (pos / size);
            out[i] = permutation(epoch)[(int) (pos % size)];
        }
        return out;
    }

    private int[] permutation(int epoch) {
        if (epoch != cachedEpoch) {
            int[] p = new int[size];
            for (int i = 0; i < size; i++) {
                p[i] = i;
            }
            int[] w = new int[4];
            for (int i = size - 1; i > 0; i--) {
                Philox.block(seed, i, epoch, 0, STREAM, w);
                long r = ((w[0] & 0xFFFFFFFFL) << 32 | (w[1] & 0xFFFFFFFFL)) >>> 1;
                int j = (int) (r % (i + 1));
                int tmp = p[i];
                p[i] = p[j];
                p[j] = tmp;
            }
            cachedPerm = p;
            cachedEpoch = epoch;
        }
        return cachedPerm;
    }
}
