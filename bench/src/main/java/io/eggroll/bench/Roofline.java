package io.eggroll.bench;

import io.eggroll.simd.VectorizationProvider;
import io.eggroll.simd.VectorOps;
import io.eggroll.snn.SpikeBatch;
import io.eggroll.util.Parallel;

/**
 * The machine's reference speeds, measured in the same run as the engine: a STREAM-style triad
 * for memory bandwidth, and the cpu backend's spike-driven layer-1 current (bias plus the rows of
 * W the spikes select, {@link io.eggroll.simd.VectorOps#addRows}) in the same bytes-moved terms; and the SIMD
 * multiply-add rate of the vector operations' register-blocked product on an in-cache block.
 */
public final class Roofline {

    /** Bytes per second moved and the kernel's own rate. */
    public record Rate(double bytesPerSecond, double opsPerSecond) {}

    private Roofline() {}

    /**
     * {@code a[i] = b[i] + s c[i]} over arrays of {@code floats} values split among the workers;
     * 12 bytes per element (two reads, one write; write-allocate traffic not counted, as STREAM
     * does). Best of {@code reps}.
     */
    public static Rate triad(Parallel par, int floats, int reps) {
        float[] a = new float[floats];
        float[] b = new float[floats];
        float[] c = new float[floats];
        for (int i = 0; i < floats; i++) {
            b[i] = i & 1023;
            c[i] = (i * 7) & 511;
        }
        float s = 1.5f;
        int chunk = Math.max(1 << 16, floats / (8 * par.threads()));
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            par.forRanges(floats, chunk, (w, from, to) -> {
                for (int i = from; i < to; i++) {
                    a[i] = b[i] + s * c[i];
                }
            });
            best = Math.min(best, Alternation.since(t0));
        }
        if (a[floats - 1] != b[floats - 1] + s * c[floats - 1]) {
            throw new IllegalStateException("triad produced a wrong result");
        }
        return new Rate(12.0 * floats / best, floats / best);
    }

    /**
     * Layer 1's base current for every frame of the batch, exactly as the cpu backend computes it
     * (parallel over samples): per frame, bias copy then one row of W added per input spike. Bytes:
     * every selected row of W read once ({@code 4 n} per spike) and every frame's current written
     * once ({@code 4 n}); ops: one add per selected weight. Best of {@code reps}.
     */
    public static Rate spikeGather(Parallel par, float[] w, float[] bias, int n, SpikeBatch batch, int reps) {
        int samples = batch.samples();
        int steps = batch.timesteps();
        float[] base = new float[samples * steps * n];
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            par.forEach(samples, (worker, s) -> {
                for (int t = 0; t < steps; t++) {
                    int off = (s * steps + t) * n;
                    System.arraycopy(bias, 0, base, off, n);
                    VectorizationProvider.ops().addRows(w, n, batch.indices(), batch.start(s, t), batch.end(s, t), base, off);
                }
            });
            best = Math.min(best, Alternation.since(t0));
        }
        double adds = (double) batch.spikeCount() * n;
        double bytes = 4.0 * adds + 4.0 * samples * steps * n;
        return new Rate(bytes / best, adds / best);
    }

    /** Rows, inner dimension and columns of {@link #multiplyAddRate}'s block: about 180 KiB in all, in L2. */
    static final int FMA_ROWS = 64;
    static final int FMA_INNER = 128;
    static final int FMA_COLS = 192;

    /**
     * The multiply-add rate of {@link VectorOps#gemmAccumulate} on every worker at once, each on its
     * own {@code 64 x 128} times {@code 128 x 192} block (in cache, so compute-bound): flops per
     * second, a multiply and an add counted as 2. After at least 4096 calls on the calling thread,
     * rounds run on the workers, doubling their calls, for at least {@code 0.5 s} and until a round
     * takes {@code 50 ms} (so the kernel is compiled and a round is long enough to time); then
     * {@code reps} rounds of that size are timed, best of them.
     */
    public static double multiplyAddRate(Parallel par, VectorOps ops, int reps) {
        int threads = par.threads();
        float[][] a = new float[threads][FMA_ROWS * FMA_INNER];
        float[][] b = new float[threads][FMA_INNER * FMA_COLS];
        float[][] c = new float[threads][FMA_ROWS * FMA_COLS + 64];
        for (int w = 0; w < threads; w++) {
            for (int i = 0; i < a[w].length; i++) {
                a[w][i] = ((i * 7) & 15) / 64f + 0.25f;
            }
            for (int i = 0; i < b[w].length; i++) {
                b[w][i] = ((i * 5) & 31) / 256f + 0.125f;
            }
        }
        // Compile the kernel first on this thread: run in the pool's workers from the start, the
        // Vector API code was seen to stay interpreted (boxed, ~500x slower) for seconds.
        long warmStart = System.nanoTime();
        for (int k = 0; k < 4096 || Alternation.since(warmStart) < 0.3; k++) {
            ops.gemmAccumulate(a[0], b[0], c[0], FMA_INNER, FMA_COLS, 0, FMA_ROWS, 0, FMA_COLS);
        }
        int calls = 1;
        double warm = 0;
        while (true) {
            double t = multiplyAddRound(par, ops, a, b, c, calls);
            warm += t;
            if (warm >= 0.5 && t >= 0.05) {
                break;
            }
            if (t < 0.05 && calls < 1 << 24) {
                calls *= 2;
            }
        }
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < reps; r++) {
            best = Math.min(best, multiplyAddRound(par, ops, a, b, c, calls));
        }
        if (!(c[0][0] > 0)) {
            throw new IllegalStateException("the multiply-add block produced a wrong result");
        }
        return threads * 2.0 * FMA_ROWS * FMA_INNER * FMA_COLS * calls / best;
    }

    /** Seconds for every worker to run {@code calls} products on its own block. */
    private static double multiplyAddRound(Parallel par, VectorOps ops, float[][] a, float[][] b, float[][] c,
                                           int calls) {
        long t0 = System.nanoTime();
        par.forEach(a.length, (worker, w) -> {
            for (int k = 0; k < calls; k++) {
                ops.gemmAccumulate(a[w], b[w], c[w], FMA_INNER, FMA_COLS, 0, FMA_ROWS, 0, FMA_COLS);
            }
        });
        return Alternation.since(t0);
    }
}
