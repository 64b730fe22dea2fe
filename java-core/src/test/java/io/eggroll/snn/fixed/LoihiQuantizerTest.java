package io.eggroll.snn.fixed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eggroll.snn.Params;
import io.eggroll.snn.Readout;
import io.eggroll.snn.SnnConfig;
import org.junit.jupiter.api.Test;

class LoihiQuantizerTest {

    @Test
    void section3_6MappingAtScale64() {
        assertThat(LoihiQuantizer.voltageDecay(0.9f)).isEqualTo(410);
        assertThat(LoihiQuantizer.thresholdMantissa(1.0f, 6)).isEqualTo(64);
        // w_int = 2 round(32 w), clamped to [-256, 254]
        assertThat(LoihiQuantizer.weight(0.5f, 6)).isEqualTo(32);
        assertThat(LoihiQuantizer.weight(0.3f, 6)).isEqualTo(2 * Math.round(32 * 0.3f));
        assertThat(LoihiQuantizer.weight(-0.3f, 6)).isEqualTo(-20);
        assertThat(LoihiQuantizer.weight(10f, 6)).isEqualTo(254);
        assertThat(LoihiQuantizer.weight(-10f, 6)).isEqualTo(-256);
    }

    @Test
    void scaleIsTheFinestGridThatHoldsTheWeights() {
        assertThat(LoihiQuantizer.scaleExponent(new float[] {0.9f, -0.2f}, new float[] {0f}, 1f)).isEqualTo(8); // 0.9 * 256 = 230
        assertThat(LoihiQuantizer.scaleExponent(new float[] {3.9f}, new float[] {0f}, 1f)).isEqualTo(6);
        assertThat(LoihiQuantizer.scaleExponent(new float[] {1e-6f}, new float[] {0f}, 1f)).isEqualTo(16);
        assertThat(LoihiQuantizer.scaleExponent(new float[] {1e-6f}, new float[] {0f}, 4f)).isEqualTo(14); // 4 * 2^15 > 131071
    }

    @Test
    void dequantisedWeightsAreWithinHalfAStep() {
        SnnConfig cfg = SnnConfig.of(20, 8, 4);
        Params p = Params.init(cfg, 3, 1f);
        FixedNetwork net = LoihiQuantizer.quantize(p, true);
        Params back = LoihiQuantizer.dequantize(net, cfg);
        for (int l = 0; l < cfg.layers(); l++) {
            double step = net.layers().get(l).weightStep() * 2;
            for (int i = 0; i < p.weights(l).length; i++) {
                assertThat((double) Math.abs(back.weights(l)[i] - p.weights(l)[i])).isLessThanOrEqualTo(step / 2);
            }
            assertThat(net.layers().get(l).vth()).isEqualTo(1 << net.layers().get(l).scaleExp());
        }
    }

    @Test
    void membraneReadoutIsRejectedWithTheSettingNamed() {
        SnnConfig cfg = SnnConfig.of(4, 2).withReadout(Readout.MEMBRANE);
        assertThatThrownBy(() -> LoihiQuantizer.quantize(new Params(cfg), true))
                .hasMessageContaining("network.readout = SPIKE_COUNT").hasMessageContaining("MEMBRANE");
    }
}
