package io.eggroll.bench.jmh;

import io.eggroll.simd.VectorizationProvider;
import io.eggroll.bench.Workload;
import io.eggroll.snn.SpikeBatch;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Question: for binary spikes, how much faster is the base current {@code x W} as a row gather
 * (add the rows of W the spikes select) than as a dense product over all m inputs, across spike
 * densities? Score = frames/s (one frame = one {@code x W} of length n).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BaseCurrentBench {

    static final int FRAMES = 16;

    @Param({"1000"})
    public int m;

    @Param({"5000"})
    public int n;

    @Param({"0.01", "0.05", "0.1", "0.2", "0.5"})
    public double density;

    private float[] w;
    private float[] bias;
    private SpikeBatch spikes;
    private float[][] dense;
    private float[] out;

    @Setup
    public void setup() {
        SplittableRandom rnd = new SplittableRandom(3);
        w = new float[m * n];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rnd.nextDouble() - 0.5);
        }
        bias = new float[n];
        spikes = Workload.randomSpikes(rnd, 1, FRAMES, m, density, 2);
        dense = new float[FRAMES][m];
        for (int t = 0; t < FRAMES; t++) {
            for (int k = spikes.start(0, t); k < spikes.end(0, t); k++) {
                dense[t][spikes.indices()[k]] = 1f;
            }
        }
        out = new float[n];
    }

    /** The cpu backend's path: bias, then one row of W per input spike. */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public float[] spikeGather() {
        for (int t = 0; t < FRAMES; t++) {
            System.arraycopy(bias, 0, out, 0, n);
            VectorizationProvider.ops().addRows(w, n, spikes.indices(), spikes.start(0, t), spikes.end(0, t), out, 0);
        }
        return out;
    }

    /** The dense product {@code b + x W} over every input, in the cache-friendly axpy order. */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public float[] denseProduct() {
        for (int t = 0; t < FRAMES; t++) {
            float[] x = dense[t];
            System.arraycopy(bias, 0, out, 0, n);
            for (int i = 0; i < m; i++) {
                float xi = x[i];
                int row = i * n;
                for (int j = 0; j < n; j++) {
                    out[j] += xi * w[row + j];
                }
            }
        }
        return out;
    }
}
