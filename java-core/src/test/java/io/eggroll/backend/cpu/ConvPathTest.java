package io.eggroll.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import io.eggroll.backend.conformance.ConformanceCase;
import io.eggroll.simd.VectorizationProvider;
import io.eggroll.snn.ConvGeometry;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConvPathTest {

    /** The scatter im2col lists what the definition's scan lists, position by position, in the same order. */
    @Test
    void im2colByScatterEqualsThePlainPatches() {
        SplittableRandom rnd = new SplittableRandom(12);
        for (int trial = 0; trial < 40; trial++) {
            int h = 1 + rnd.nextInt(12);
            int w = 1 + rnd.nextInt(12);
            int k = 1 + rnd.nextInt(Math.min(h, w));
            ConvGeometry g = new ConvGeometry(1 + rnd.nextInt(3), h, w, 2, k, 1 + rnd.nextInt(4));
            double density = rnd.nextDouble();
            int[] active = java.util.stream.IntStream.range(0, g.inputs()).filter(i -> rnd.nextDouble() < density)
                    .toArray();
            int[] counts = new int[g.positions()];
            int[] lists = new int[g.positions() * g.patch()];
            ConvPath.im2col(g, active, 0, active.length, counts, lists);
            int[][] want = g.patches(active, active.length);
            for (int pos = 0; pos < g.positions(); pos++) {
                assertThat(Arrays.copyOfRange(lists, pos * g.patch(), pos * g.patch() + counts[pos]))
                        .as("%s position %d", g, pos).containsExactly(want[pos]);
            }
        }
    }

    /** The vector ops change no bit of a conv network's readouts or inference. */
    @Test
    void theScalarAndVectorOpsGiveTheSameBits() {
        try (CpuBackend vector = new CpuBackend(2); CpuBackend scalar = new CpuBackend(2, VectorizationProvider.scalar())) {
            for (int i = 0; i < 4; i++) {
                ConformanceCase c = ConformanceCase.randomConv(99 + i, i);
                vector.load(c.state());
                scalar.load(c.state());
                assertThat(vector.evaluate(c.batch(), c.generation())).containsExactly(
                        scalar.evaluate(c.batch(), c.generation()));
                assertThat(vector.infer(c.batch())).containsExactly(scalar.infer(c.batch()));
            }
        }
    }
}
