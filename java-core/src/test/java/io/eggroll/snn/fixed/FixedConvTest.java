package io.eggroll.snn.fixed;

import static org.assertj.core.api.Assertions.assertThat;

import io.eggroll.snn.ConvGeometry;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FixedConvTest {

    /** The unrolled Dense sums are the convolution's: each neuron adds its patch's kernel rows. */
    @Test
    void theUnrolledDenseFormsTheConvolutionsSums() {
        SplittableRandom rnd = new SplittableRandom(8);
        for (ConvGeometry g : new ConvGeometry[] {new ConvGeometry(2, 7, 9, 3, 3, 2), new ConvGeometry(1, 5, 5, 2, 5, 1),
                new ConvGeometry(3, 6, 4, 4, 1, 3)}) {
            int[] kernel = new int[g.patch() * g.outChannels()];
            for (int i = 0; i < kernel.length; i++) {
                kernel[i] = 2 * (rnd.nextInt(255) - 128);
            }
            int[] w = FixedConv.unroll(g, kernel);
            int[] active = rnd.ints(0, g.inputs()).distinct().limit(g.inputs() / 3 + 1).sorted().toArray();
            int n = g.neurons();
            int[] dense = new int[n];
            for (int i : active) {
                for (int j = 0; j < n; j++) {
                    dense[j] += w[i * n + j];
                }
            }
            int[][] patches = g.patches(active, active.length);
            for (int o = 0; o < g.outChannels(); o++) {
                for (int pos = 0; pos < g.positions(); pos++) {
                    int sum = 0;
                    for (int row : patches[pos]) {
                        sum += kernel[row * g.outChannels() + o];
                    }
                    assertThat(dense[o * g.positions() + pos]).as("%s channel %d position %d", g, o, pos).isEqualTo(sum);
                }
            }
            assertThat(FixedConv.fold(g, w)).containsExactly(kernel);
            int[] bias = rnd.ints(g.outChannels(), -4096, 4096).toArray();
            assertThat(FixedConv.channelBias(g, FixedConv.expandBias(g, bias))).containsExactly(bias);
        }
    }
}
