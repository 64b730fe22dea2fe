package io.eggroll.bench.jmh;

import io.eggroll.backend.ModelState;
import io.eggroll.backend.cpu.CpuBackend;
import io.eggroll.es.EsConfig;
import io.eggroll.es.Eggroll;
import io.eggroll.es.Generation;
import io.eggroll.es.OptimizerConfig;
import io.eggroll.rng.NoiseKind;
import io.eggroll.snn.Params;
import io.eggroll.snn.SnnConfig;
import io.eggroll.train.TrainConfig;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Question: what does the ES update cost as one rank-(P r) product {@code A_cat diag(d) B_cat^T}
 * (P = N/2 antithetic pairs), against the naive sum of N dense {@code m x n} member matrices
 * {@code f_i A_i B_i^T}? Both from the same factors, already generated; {@code engineUpdate} is the
 * cpu backend's whole update on one thread (factor regeneration and SGD included). Score =
 * seconds per update.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class UpdateBench {

    @Param({"1000"})
    public int m;

    @Param({"1000"})
    public int n;

    @Param({"128"})
    public int population;

    @Param({"1", "10"})
    public int rank;

    private float[][] a;
    private float[][] b;
    private float[] shaped;
    private float[] d;
    private float[] sum;
    private float[] member;
    private CpuBackend backend;
    private ModelState state;
    private EsConfig es;

    @Setup
    public void setup() {
        int pairs = population / 2;
        a = new float[pairs][m * rank];
        b = new float[pairs][n * rank];
        for (int k = 0; k < pairs; k++) {
            Eggroll.factorA(9, k, 0, 0, NoiseKind.GAUSSIAN, m, rank, a[k]);
            Eggroll.factorB(9, k, 0, 0, NoiseKind.GAUSSIAN, n, rank, b[k]);
        }
        SplittableRandom rnd = new SplittableRandom(11);
        shaped = new float[population];
        for (int i = 0; i < population; i++) {
            shaped[i] = (float) (rnd.nextDouble() - 0.5);
        }
        d = Eggroll.pairWeights(shaped);
        sum = new float[m * n];
        member = new float[m * n];
        es = EsConfig.eggroll(population, rank, 0.02f);
        SnnConfig net = SnnConfig.of(m, n);
        OptimizerConfig oc = new TrainConfig().optimizerConfig();
        state = ModelState.fresh(Params.init(net, 3, 1f), oc);
        backend = new CpuBackend(1);
        backend.load(state);
    }

    @TearDown
    public void close() {
        backend.close();
    }

    /** The rank-(P r) product, accumulated pair block by pair block, row by row (no m x n per member). */
    @Benchmark
    public float[] lowRankProduct() {
        java.util.Arrays.fill(sum, 0f);
        int pairs = d.length;
        for (int i = 0; i < m; i++) {
            int out = i * n;
            for (int k = 0; k < pairs; k++) {
                float[] ak = a[k];
                float[] bk = b[k];
                float dk = d[k];
                for (int c = 0; c < rank; c++) {
                    float coef = dk * ak[i * rank + c];
                    for (int j = 0; j < n; j++) {
                        sum[out + j] += coef * bk[j * rank + c];
                    }
                }
            }
        }
        return sum;
    }

    /** Every member's dense {@code A_i B_i^T} materialised, then weighted and added: N m x n matrices. */
    @Benchmark
    public float[] naiveDenseSum() {
        java.util.Arrays.fill(sum, 0f);
        for (int i = 0; i < population; i++) {
            float[] ak = a[i / 2];
            float[] bk = b[i / 2];
            float sign = (i & 1) == 0 ? 1f : -1f;
            for (int row = 0; row < m; row++) {
                for (int j = 0; j < n; j++) {
                    float acc = 0f;
                    for (int c = 0; c < rank; c++) {
                        acc += ak[row * rank + c] * bk[j * rank + c];
                    }
                    member[row * n + j] = sign * acc;
                }
            }
            float f = shaped[i];
            for (int k = 0; k < member.length; k++) {
                sum[k] += f * member[k];
            }
        }
        return sum;
    }

    @Setup(Level.Iteration)
    public void reload() {
        backend.load(state);
    }

    /** The engine's update as training runs it (one thread): regenerate factors, product, SGD step. */
    @Benchmark
    public CpuBackend engineUpdate() {
        backend.update(new Generation(9, 0, es), shaped, population, state.optimizer().learningRate());
        return backend;
    }
}
