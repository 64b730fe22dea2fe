package io.eggroll.bench.jmh;

import io.eggroll.simd.VectorizationProvider;
import io.eggroll.bench.Workload;
import io.eggroll.es.Eggroll;
import io.eggroll.rng.NoiseKind;
import io.eggroll.snn.Lif;
import io.eggroll.snn.SnnConfig;
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
 * Question: what does the perturbation add to one LIF layer step of one member? Per frame: the
 * base current (bias + the rows of W the input spikes select), the member's perturbation term,
 * then the LIF update; {@code none} = unperturbed, {@code rank-r} = EGGROLL's
 * {@code (sigma/sqrt r) (x A) B^T}, {@code full} = full-rank ES's {@code sigma x E}. The factors
 * are already in flight (generated once per generation, amortised over B T frames; see
 * {@link NoiseBench} for their cost). Score = frames/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LayerStepBench {

    static final int FRAMES = 16;

    @Param({"1000"})
    public int m;

    @Param({"5000"})
    public int n;

    @Param({"0.1"})
    public double density;

    @Param({"none", "rank-1", "rank-5", "rank-10", "rank-20", "full"})
    public String perturbation;

    private float[] w;
    private float[] bias;
    private SpikeBatch spikes;
    private float[] a;
    private float[] b;
    private float[] e;
    private int rank;
    private float scale;
    private float[] u;
    private float[] cur;
    private float[] proj;
    private float[] v;
    private int[] fired;

    @Setup
    public void setup() {
        SplittableRandom rnd = new SplittableRandom(5);
        w = new float[m * n];
        double g = Math.sqrt(3.0 / m);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) ((rnd.nextDouble() * 2 - 1) * g);
        }
        bias = new float[n];
        spikes = Workload.randomSpikes(rnd, 1, FRAMES, m, density, 2);
        rank = perturbation.startsWith("rank-") ? Integer.parseInt(perturbation.substring(5)) : 0;
        if (rank == 0 && !perturbation.equals("none") && !perturbation.equals("full")) {
            throw new IllegalArgumentException("perturbation must be none, rank-<r> or full, got '" + perturbation + "'");
        }
        if (rank > 0) {
            a = new float[m * rank];
            b = new float[n * rank];
            Eggroll.factorA(1, 0, 0, 0, NoiseKind.GAUSSIAN, m, rank, a);
            Eggroll.factorB(1, 0, 0, 0, NoiseKind.GAUSSIAN, n, rank, b);
            scale = (float) (0.02 / Math.sqrt(rank));
        } else if (perturbation.equals("full")) {
            e = new float[m * n];
            Eggroll.fullNoise(1, 0, 0, 0, NoiseKind.GAUSSIAN, m, n, e);
            scale = 0.02f;
        }
        u = new float[Math.max(1, rank)];
        cur = new float[n];
        proj = new float[n];
        v = new float[n];
        fired = new int[n];
        SnnConfig.of(m, n); // validates the sizes like a real network would
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public int step() {
        int spikesOut = 0;
        int[] idx = spikes.indices();
        for (int t = 0; t < FRAMES; t++) {
            int from = spikes.start(0, t);
            int to = spikes.end(0, t);
            System.arraycopy(bias, 0, cur, 0, n);
            VectorizationProvider.ops().addRows(w, n, idx, from, to, cur, 0);
            if (rank > 0) {
                Eggroll.project(a, rank, idx, from, to, u);
                Eggroll.expand(u, b, rank, n, proj, 0);
            } else if (e != null) {
                java.util.Arrays.fill(proj, 0f);
                VectorizationProvider.ops().addRows(e, n, idx, from, to, proj, 0);
            }
            if (rank > 0 || e != null) {
                for (int j = 0; j < n; j++) {
                    cur[j] += scale * proj[j];
                }
            }
            spikesOut += Lif.step(v, cur, n, SnnConfig.DEFAULT_DECAY, SnnConfig.DEFAULT_THRESHOLD, fired);
        }
        return spikesOut;
    }
}
