package io.eggroll.snn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConvGeometryTest {

    @Test
    void validPaddingShapes() {
        ConvGeometry g = new ConvGeometry(2, 17, 17, 16, 5, 2);
        assertThat(g.outHeight()).isEqualTo(7);
        assertThat(g.outWidth()).isEqualTo(7);
        assertThat(g.patch()).isEqualTo(50);
        assertThat(g.neurons()).isEqualTo(16 * 49);
        assertThat(new ConvGeometry(1, 6, 9, 3, 3, 1).outWidth()).isEqualTo(7);
        assertThatThrownBy(() -> new ConvGeometry(1, 4, 4, 3, 5, 1)).hasMessageContaining("kernel");
    }

    @Test
    void patchesListKernelRowsInChannelYxOrder() {
        // 2 x 3 x 4 input, kernel 2, stride 2: output 1 x 2 positions (0,0) and (0,1)
        ConvGeometry g = new ConvGeometry(2, 3, 4, 1, 2, 2);
        int in = (1 * 3 + 1) * 4 + 3;  // channel 1, y 1, x 3: position (0, 1), kernel offset (1, 1)
        int other = (0 * 3 + 0) * 4 + 0; // channel 0, y 0, x 0: position (0, 0), offset (0, 0)
        int[][] p = g.patches(new int[] {other, in}, 2);
        assertThat(p).hasNumberOfRows(2);
        assertThat(p[0]).containsExactly(0);
        assertThat(p[1]).containsExactly((1 * 2 + 1) * 2 + 1);
    }

    @Test
    void aConvNetworkCountsNeuronsInSizesAndTheKernelInFanInOut() {
        SnnConfig c = SnnConfig.convolutional(new int[] {2, 17, 17}, new int[][] {{5, 16, 2}, {3, 8, 1}},
                new int[] {32, 10}, 1f, 0.9f, Readout.SPIKE_COUNT);
        assertThat(c.sizes()).containsExactly(578, 16 * 49, 8 * 25, 32, 10);
        assertThat(c.fanIn(0)).isEqualTo(50);
        assertThat(c.fanOut(0)).isEqualTo(16);
        assertThat(c.fanIn(1)).isEqualTo(16 * 9);
        assertThat(c.fanIn(2)).isEqualTo(200);
        assertThat(c.neurons(1)).isEqualTo(200);
        assertThat(c.parameterCount()).isEqualTo(50 * 16 + 16 + 144 * 8 + 8 + 200 * 32 + 32 + 32 * 10 + 10);
        assertThat(new SnnConfig(c.sizes(), 1f, 0.9f, Readout.SPIKE_COUNT, ConvGeometry.decode(ConvGeometry.encode(c.conv()))))
                .isEqualTo(c);
        assertThat(ConvGeometry.decode(ConvGeometry.encode(null))).isNull();
        assertThat(c).isNotEqualTo(new SnnConfig(c.sizes(), 1f, 0.9f, Readout.SPIKE_COUNT));
        assertThatThrownBy(() -> c.requireDense("opencl")).hasMessageContaining("opencl")
                .hasMessageContaining("convolutional");
    }

    @Test
    void malformedConvNetworksAreRefused() {
        ConvGeometry g = new ConvGeometry(1, 4, 4, 2, 3, 1);
        assertThatThrownBy(() -> new SnnConfig(new int[] {16, 8, 3}, 1f, 0.9f, Readout.SPIKE_COUNT,
                new ConvGeometry[] {g, g})).hasMessageContaining("output layer must be dense");
        assertThatThrownBy(() -> new SnnConfig(new int[] {16, 9, 3}, 1f, 0.9f, Readout.SPIKE_COUNT,
                new ConvGeometry[] {g, null})).hasMessageContaining("8 neurons");
        assertThatThrownBy(() -> SnnConfig.convolutional(new int[] {1, 4, 4}, new int[][] {{5, 2, 1}}, new int[] {3},
                1f, 0.9f, Readout.SPIKE_COUNT)).hasMessageContaining("network.layers[0]");
    }
}
