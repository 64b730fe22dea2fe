package io.eggroll.tornado;

import static org.assertj.core.api.Assertions.assertThat;

import io.eggroll.rng.Noise;
import io.eggroll.rng.NoiseKind;
import io.eggroll.rng.NormalTable;
import io.eggroll.rng.Philox;
import io.eggroll.rng.PhiloxKnownAnswers;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

/**
 * The kernels' Philox and noise code, run on the host JVM, against io.eggroll.rng bit for bit:
 * the device runs the same methods, and the conformance suite checks the device's bits too.
 */
class DeviceNoiseTest {

    private static FloatArray table;

    @BeforeAll
    static void table() {
        TornadoTestSupport.assumeTornado();
        table = FloatArray.fromArray(NormalTable.copy());
    }

    @Test
    void philoxWordsMatchTheReferenceIncludingTheKnownAnswers() {
        // Random123's known answers for Philox4x32-10, from the shared data file.
        for (PhiloxKnownAnswers.Vector v : PhiloxKnownAnswers.eggrollRounds()) {
            int[] c = v.counter();
            assertThat(words(v.k0(), v.k1(), c[0], c[1], c[2], c[3])).as("%s", v).containsExactly(v.expected());
        }
        SplittableRandom rnd = new SplittableRandom(11);
        for (int i = 0; i < 2000; i++) {
            int[] c = {rnd.nextInt(), rnd.nextInt(), rnd.nextInt(), rnd.nextInt()};
            int k0 = rnd.nextInt();
            int k1 = rnd.nextInt();
            int[] want = c.clone();
            Philox.philox4x32(Philox.ROUNDS, want, k0, k1);
            assertThat(words(k0, k1, c[0], c[1], c[2], c[3])).containsExactly(want);
        }
    }

    private static int[] words(int k0, int k1, int c0, int c1, int c2, int c3) {
        int[] w = new int[4];
        for (int i = 0; i < 4; i++) {
            w[i] = DeviceNoise.philoxWord(k0, k1, c0, c1, c2, c3, i);
        }
        return w;
    }

    @Test
    void noiseElementsAreBitIdenticalToTheJavaStreams() {
        SplittableRandom rnd = new SplittableRandom(12);
        for (NoiseKind kind : NoiseKind.values()) {
            int gaussian = kind == NoiseKind.GAUSSIAN ? 1 : 0;
            for (int i = 0; i < 4000; i++) {
                long seed = rnd.nextLong();
                int pair = rnd.nextInt(1 << 20);
                int gen = rnd.nextInt(1 << 16);
                int stream = Noise.stream(rnd.nextInt(8), rnd.nextInt(5));
                int e = i < 300 ? i : rnd.nextInt(Integer.MAX_VALUE);
                float want = Noise.at(seed, pair, gen, stream, kind, e);
                float got = DeviceNoise.at(table, DeviceNoise.keyLo(seed), DeviceNoise.keyHi(seed), pair, gen, stream,
                        gaussian, e);
                assertThat(Float.floatToRawIntBits(got)).as("%s seed=%d pair=%d gen=%d stream=%d e=%d", kind, seed,
                        pair, gen, stream, e).isEqualTo(Float.floatToRawIntBits(want));
            }
        }
    }

    @Test
    void theCachedWordWalkOfTheKernelsGivesTheStreamInOrder() {
        // The kernels walk consecutive elements keeping the last word (key = e >>> wordShift).
        SplittableRandom rnd = new SplittableRandom(13);
        for (NoiseKind kind : NoiseKind.values()) {
            int gaussian = kind == NoiseKind.GAUSSIAN ? 1 : 0;
            int shift = DeviceNoise.wordShift(gaussian);
            long seed = rnd.nextLong();
            int first = rnd.nextInt(1 << 20);
            int count = 700;
            float[] want = new float[count];
            Noise.fill(seed, 3, 9, Noise.stream(1, Noise.KIND_B), kind, first, count, want, 0);
            int key = -1;
            int w = 0;
            for (int i = 0; i < count; i++) {
                int e = first + i;
                if ((e >>> shift) != key) {
                    key = e >>> shift;
                    w = DeviceNoise.word(DeviceNoise.keyLo(seed), DeviceNoise.keyHi(seed), 3, 9,
                            Noise.stream(1, Noise.KIND_B), shift, e);
                }
                assertThat(DeviceNoise.fromWord(table, gaussian, w, e)).as("%s element %d", kind, e).isEqualTo(want[i]);
            }
        }
    }
}
