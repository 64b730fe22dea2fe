package io.eggroll.bench;

import io.eggroll.es.Eggroll;
import io.eggroll.snn.SpikeBatch;
import io.eggroll.util.Parallel;

/**
 * The machine's reference speeds, measured in the same run as the engine: a STREAM-style triad
 * for memory bandwidth, and the cpu backend's spike-driven layer-1 current (bias plus the rows of
 * W the spikes select, {@link Eggroll#gatherRows}) in the same bytes-moved terms.
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
                    Eggroll.gatherRows(w, n, batch.indices(), batch.start(s, t), batch.end(s, t), base, off);
                }
            });
            best = Math.min(best, Alternation.since(t0));
        }
        double adds = (double) batch.spikeCount() * n;
        double bytes = 4.0 * adds + 4.0 * samples * steps * n;
        return new Rate(bytes / best, adds / best);
    }
}
