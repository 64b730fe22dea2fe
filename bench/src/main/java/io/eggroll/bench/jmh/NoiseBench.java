package io.eggroll.bench.jmh;

import io.eggroll.rng.Noise;
import io.eggroll.rng.NoiseKind;
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
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Question: how many noise values per second does one core generate (Philox4x32-10 and the shared
 * inverse-CDF table, or one bit per Rademacher value)? Score = values/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NoiseBench {

    static final int VALUES = 1 << 16;

    @Param({"GAUSSIAN", "RADEMACHER"})
    public NoiseKind kind;

    private final float[] out = new float[VALUES];
    private int pair;

    /** One factor-sized run of a stream, as {@code Eggroll.factorA} generates it. */
    @Benchmark
    @OperationsPerInvocation(VALUES)
    public float[] fill() {
        Noise.fill(42L, pair++, 7, Noise.stream(0, Noise.KIND_A), kind, 0, VALUES, out, 0);
        return out;
    }
}
