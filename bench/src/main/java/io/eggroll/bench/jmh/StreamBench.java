package io.eggroll.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Question: what memory bandwidth does one Java thread reach here (the roofline the spike gather
 * is compared with)? STREAM triad {@code a = b + s c} over 2^24 floats per array (far beyond
 * cache); score = elements/s, 12 bytes each.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StreamBench {

    static final int FLOATS = 1 << 24;

    private float[] a;
    private float[] b;
    private float[] c;

    @Setup
    public void setup() {
        a = new float[FLOATS];
        b = new float[FLOATS];
        c = new float[FLOATS];
        for (int i = 0; i < FLOATS; i++) {
            b[i] = i & 1023;
            c[i] = (i * 7) & 511;
        }
    }

    @Benchmark
    @OperationsPerInvocation(FLOATS)
    public float[] triad() {
        float s = 1.5f;
        for (int i = 0; i < a.length; i++) {
            a[i] = b[i] + s * c[i];
        }
        return a;
    }
}
