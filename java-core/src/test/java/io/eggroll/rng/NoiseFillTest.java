package io.eggroll.rng;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The unrolled block fill against element-by-element random access, over block edges and tails. */
class NoiseFillTest {

    @Property(tries = 200)
    void fillEqualsRandomAccess(@ForAll long seed, @ForAll @IntRange(min = 0, max = 1000) int pair,
                                @ForAll @LongRange(min = 0, max = 5000) long first,
                                @ForAll @IntRange(min = 0, max = 700) int count, @ForAll boolean gaussian) {
        NoiseKind kind = gaussian ? NoiseKind.GAUSSIAN : NoiseKind.RADEMACHER;
        int stream = Noise.stream(1, Noise.KIND_B);
        float[] out = new float[count + 3];
        Noise.fill(seed, pair, 7, stream, kind, first, count, out, 3);
        for (int i = 0; i < count; i++) {
            assertThat(out[3 + i]).as("element %d", first + i)
                    .isEqualTo(Noise.at(seed, pair, 7, stream, kind, first + i));
        }
    }
}
