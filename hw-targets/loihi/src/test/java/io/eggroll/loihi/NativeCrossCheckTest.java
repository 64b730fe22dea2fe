package io.eggroll.loihi;

import static org.assertj.core.api.Assertions.assertThat;

import io.eggroll.loihi.bridge.EggrollNative;
import io.eggroll.rng.Noise;
import io.eggroll.rng.NoiseKind;
import io.eggroll.rng.Philox;
import io.eggroll.rng.PhiloxKnownAnswers;
import io.eggroll.snn.SpikeBatch;
import io.eggroll.snn.fixed.FixedLayer;
import io.eggroll.snn.fixed.FixedLif;
import io.eggroll.snn.fixed.FixedNetwork;
import io.eggroll.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Java and C (through FFM) agree bit for bit on Philox, noise and the fixed-point LIF. */
class NativeCrossCheckTest {

    static EggrollNative lib;

    @BeforeAll
    static void load() {
        lib = NativeSupport.require();
    }

    @Test
    void libraryReportsItsVersion() {
        assertThat(lib.version()).startsWith("eggroll_native 0.1.0 (HDF5 ");
    }

    @Test
    void philoxMatchesTheKnownAnswersAndJava() {
        for (PhiloxKnownAnswers.Vector v : PhiloxKnownAnswers.all()) {
            assertThat(lib.philox4x32(v.rounds(), v.counter().clone(), v.k0(), v.k1())).as("%s", v)
                    .containsExactly(v.expected());
        }
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < 200; i++) {
            long seed = rnd.nextLong();
            int block = rnd.nextInt();
            int pair = rnd.nextInt(1 << 20);
            int gen = rnd.nextInt(1 << 16);
            int stream = rnd.nextInt(256);
            int[] java = new int[4];
            Philox.block(seed, block, pair, gen, stream, java);
            assertThat(lib.philoxBlock(seed, block, pair, gen, stream)).containsExactly(java);
        }
    }

    @Test
    void noiseStreamsMatchJavaBitForBit() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 40; i++) {
            long seed = rnd.nextLong();
            int pair = rnd.nextInt(1000);
            int gen = rnd.nextInt(5000);
            int stream = Noise.stream(rnd.nextInt(4), rnd.nextInt(5));
            int first = rnd.nextInt(10_000);
            int count = 1 + rnd.nextInt(300);
            for (NoiseKind kind : NoiseKind.values()) {
                float[] java = new float[count];
                Noise.fill(seed, pair, gen, stream, kind, first, count, java, 0);
                float[] c = lib.noise(seed, pair, gen, stream, kind == NoiseKind.GAUSSIAN, first, count);
                for (int k = 0; k < count; k++) {
                    assertThat(Float.floatToRawIntBits(c[k])).as("%s element %d", kind, first + k)
                            .isEqualTo(Float.floatToRawIntBits(java[k]));
                }
            }
        }
    }

    @Test
    void lifStepMatchesJavaOnRandomStatesIncludingWrapAndSaturation() {
        SplittableRandom rnd = new SplittableRandom(3);
        int n = 64;
        for (int trial = 0; trial < 300; trial++) {
            int[] u = new int[n];
            int[] v = new int[n];
            int[] a = new int[n];
            int[] bias = new int[n];
            for (int j = 0; j < n; j++) {
                u[j] = rnd.nextInt(-FixedLif.MAX_UV + 1, FixedLif.MAX_UV);
                v[j] = rnd.nextInt(-FixedLif.MAX_UV + 1, FixedLif.MAX_UV);
                a[j] = rnd.nextInt(-40000, 40000);
                bias[j] = rnd.nextInt(-4096, 4096);
            }
            int du = rnd.nextInt(4096);
            int dv = rnd.nextInt(4096);
            int vth = rnd.nextInt(FixedLif.MAX_VTH + 1);
            int bexp = rnd.nextInt(-3, 7);
            int[][] c = lib.lifStep(u, v, a, du, dv, vth, trial % 2 == 0 ? bias : null, bexp);
            int[] spikes = new int[n];
            int count = FixedLif.step(n, u, v, 0, a, du, dv, vth, trial % 2 == 0 ? bias : null, bexp, spikes);
            assertThat(c[0]).as("u, trial %d", trial).containsExactly(u);
            assertThat(c[1]).as("v, trial %d", trial).containsExactly(v);
            assertThat(c[2]).as("spikes, trial %d", trial).containsExactly(java.util.Arrays.copyOf(spikes, count));
        }
    }

    static FixedNetwork randomNetwork(SplittableRandom rnd, int[] sizes, boolean delay) {
        List<FixedLayer> layers = new ArrayList<>();
        for (int l = 0; l + 1 < sizes.length; l++) {
            int m = sizes[l];
            int n = sizes[l + 1];
            int[] w = new int[m * n];
            for (int k = 0; k < w.length; k++) {
                w[k] = 2 * rnd.nextInt(-128, 128);
            }
            int[] b = new int[n];
            for (int j = 0; j < n; j++) {
                b[j] = rnd.nextInt(-64, 64);
            }
            layers.add(new FixedLayer(m, n, w, rnd.nextInt(-2, 2), b, 6, rnd.nextBoolean() ? 4095 : rnd.nextInt(4096),
                    rnd.nextInt(1, 1024), rnd.nextInt(64, 2048), 6));
        }
        return new FixedNetwork(layers, delay);
    }

    @Test
    void wholeNetworksMatchJavaSpikeForSpikeAndWordForWord() {
        SplittableRandom rnd = new SplittableRandom(99);
        long spikes = 0;
        for (int trial = 0; trial < 12; trial++) {
            int[] sizes = {20 + rnd.nextInt(40), 5 + rnd.nextInt(30), 3 + rnd.nextInt(10)};
            FixedNetwork net = randomNetwork(rnd, sizes, trial % 2 == 0);
            SpikeBatch batch = Fixtures.randomBatch(rnd, 2, 12, sizes[0], 0.3, sizes[2]);
            for (int s = 0; s < batch.samples(); s++) {
                int total = net.steps(batch.timesteps());
                FixedNetwork.Trace java = net.trace(batch.offsets(), s * batch.timesteps(), batch.indices(), batch.timesteps(), total);
                FixedNetwork.Trace c = lib.run(net, batch.offsets(), s * batch.timesteps(), batch.indices(), batch.timesteps(), total);
                assertThat(c.raster()).as("raster, trial %d sample %d", trial, s).containsExactly(java.raster());
                assertThat(c.u()).containsExactly(java.u());
                assertThat(c.v()).containsExactly(java.v());
                for (byte b : java.raster()) {
                    spikes += b;
                }
            }
        }
        assertThat(spikes).as("the random networks must spike").isGreaterThan(100);
    }
}
