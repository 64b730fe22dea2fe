package io.eggroll.snn.fixed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FixedLifTest {

    /** docs/FORMATS.md section 3.6: du = 4095, dv = 410, vth = 64, a_in fed straight to the LIF. */
    @Test
    void reproducesTheReferenceTraceOfFormatsSection3_6() {
        int[] aIn = {40, 40, 0, 40, 0, 0, 64, 64, -30, 40};
        int[] expU = {2560, 2560, 0, 2560, 0, 0, 4096, 4096, -1920, 2560};
        int[] expV = {2560, 0, 0, 2560, 2303, 2072, 0, 4096, 1766, 0};
        int[] expS = {0, 1, 0, 0, 0, 0, 1, 0, 0, 1};
        int[] u = new int[1];
        int[] v = new int[1];
        int[] spikes = new int[1];
        for (int t = 0; t < aIn.length; t++) {
            int n = FixedLif.step(1, u, v, 0, new int[] {aIn[t]}, 4095, 410, 64, null, 6, spikes);
            assertThat(new int[] {u[0], v[0], n}).as("t = %d", t).containsExactly(expU[t], expV[t], expS[t]);
        }
    }

    @Test
    void currentWrapsAndVoltageSaturatesAt24Bits() {
        int[] u = {FixedLif.MAX_UV - 10};
        int[] v = {FixedLif.MAX_UV - 10};
        int[] s = new int[1];
        // du = 0 keeps 4095/4096 of u: 8388598 * 4095 >> 12 = 8386550, + 100 << 6 = 8392950 > 2^23 -> wraps.
        FixedLif.step(1, u, v, 0, new int[] {100}, 0, 0, FixedLif.MAX_VTH, null, 6, s);
        assertThat(u[0]).isEqualTo(8392950 - (1 << 24));
        int[] u2 = {0};
        int[] v2 = {-(FixedLif.MAX_UV - 1)};
        FixedLif.step(1, u2, v2, 0, new int[] {-1000}, 4095, 0, FixedLif.MAX_VTH, null, 6, s);
        assertThat(v2[0]).isEqualTo(-(FixedLif.MAX_UV - 1));
    }

    @Test
    void denseShiftsTheSumAndFloorsNegativeExponents() {
        int[] w = {3, -5, 7, 1}; // 2 x 2
        int[] a = new int[2];
        FixedLif.dense(w, 2, new int[] {0, 1}, 2, -1, a, 0);
        assertThat(a).containsExactly(5, -2); // 10 >> 1, -4 >> 1
        FixedLif.dense(w, 2, new int[] {1}, 1, 2, a, 0);
        assertThat(a).containsExactly(28, 4);
    }

    @Test
    void denseDelayShiftsEveryLayerByOneStep() {
        FixedLayer l0 = new FixedLayer(2, 2, new int[] {254, 0, 0, 254}, 0, new int[2], 6, 4095, 410, 64, 6);
        FixedLayer l1 = new FixedLayer(2, 1, new int[] {254, 254}, 0, new int[1], 6, 4095, 410, 64, 6);
        int[] offsets = {0, 1, 1, 2};
        int[] idx = {0, 1};
        FixedNetwork plain = new FixedNetwork(List.of(l0, l1), false);
        FixedNetwork delayed = new FixedNetwork(List.of(l0, l1), true);
        FixedNetwork.Trace a = plain.trace(offsets, 0, idx, 3, 3);
        FixedNetwork.Trace b = delayed.trace(offsets, 0, idx, 3, delayed.steps(3));
        // Without bias the delayed network is the plain one shifted by l + 1 steps in layer l.
        for (int t = 0; t < 3; t++) {
            for (int k = 0; k < 2; k++) {
                assertThat(b.raster()[(t + 1) * 3 + k]).isEqualTo(a.raster()[t * 3 + k]);
            }
            assertThat(b.raster()[(t + 2) * 3 + 2]).isEqualTo(a.raster()[t * 3 + 2]);
        }
        assertThat(a.counts(2, 1)[0]).isEqualTo(2);
    }

    @Test
    void layerRejectsValuesOutsideTheHardwareRanges() {
        assertThatThrownBy(() -> new FixedLayer(1, 1, new int[] {2}, 0, new int[] {0}, 6, 4096, 0, 64, 6))
                .hasMessageContaining("du = 4096");
        assertThatThrownBy(() -> new FixedLayer(1, 1, new int[] {2}, 0, new int[] {5000}, 6, 4095, 0, 64, 6))
                .hasMessageContaining("bias mantissa of neuron 0 = 5000");
        assertThatThrownBy(() -> new FixedLayer(1, 1, new int[] {2}, 0, new int[] {0}, 6, 4095, 0, 1 << 17, 6))
                .hasMessageContaining("vth = 131072");
    }

    /**
     * Per-neuron dv and vth (evolved neuron parameters): with every neuron at the layer's values a
     * step is the shared step; otherwise each neuron evolves as a one-neuron layer with its own.
     */
    @Test
    void perNeuronStepsAreTheSharedStepNeuronByNeuron() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        int n = 23;
        int[] a = new int[n];
        int[] bias = new int[n];
        int[] dv = new int[n];
        int[] vth = new int[n];
        for (int j = 0; j < n; j++) {
            a[j] = rnd.nextInt(-300, 900);
            bias[j] = rnd.nextInt(-50, 50);
            dv[j] = rnd.nextInt(0, 4096);
            vth[j] = rnd.nextInt(1, 400);
        }
        int[] u0 = new int[n];
        int[] v0 = new int[n];
        int[] u1 = new int[n];
        int[] v1 = new int[n];
        int[] s0 = new int[n];
        int[] s1 = new int[n];
        int[] sameDv = new int[n];
        int[] sameVth = new int[n];
        java.util.Arrays.fill(sameDv, 410);
        java.util.Arrays.fill(sameVth, 200);
        int[] one = new int[1];
        int total = 0;
        for (int t = 0; t < 6; t++) {
            int c0 = FixedLif.step(n, u0, v0, 0, a, 4095, 410, 200, bias, 6, s0);
            int c1 = FixedLif.stepNeurons(n, u1, v1, 0, a, 4095, sameDv, sameVth, bias, 6, s1);
            assertThat(c1).isEqualTo(c0);
            assertThat(java.util.Arrays.copyOf(s1, c1)).containsExactly(java.util.Arrays.copyOf(s0, c0));
            assertThat(v1).containsExactly(v0);
        }
        int[] u = new int[n];
        int[] v = new int[n];
        int[] spikes = new int[n];
        int[][] single = new int[n][2]; // u, v of neuron j run alone
        for (int t = 0; t < 6; t++) {
            int c = FixedLif.stepNeurons(n, u, v, 0, a, 4095, dv, vth, bias, 6, spikes);
            total += c;
            for (int j = 0; j < n; j++) {
                int[] uj = {single[j][0]};
                int[] vj = {single[j][1]};
                int fired = FixedLif.step(1, uj, vj, 0, new int[] {a[j]}, 4095, dv[j], vth[j], new int[] {bias[j]}, 6, one);
                single[j][0] = uj[0];
                single[j][1] = vj[0];
                assertThat(v[j]).isEqualTo(vj[0]);
                assertThat(java.util.Arrays.binarySearch(spikes, 0, c, j) >= 0).isEqualTo(fired == 1);
            }
        }
        assertThat(total).as("the neurons spike").isPositive();
    }
}
