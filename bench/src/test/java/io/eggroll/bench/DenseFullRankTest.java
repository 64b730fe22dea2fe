package io.eggroll.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eggroll.backend.ModelState;
import io.eggroll.backend.cpu.CpuBackend;
import io.eggroll.es.EsConfig;
import io.eggroll.es.Generation;
import io.eggroll.snn.Params;
import io.eggroll.snn.Readout;
import io.eggroll.snn.SnnConfig;
import io.eggroll.snn.SpikeBatch;
import io.eggroll.train.TrainConfig;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The paper's dense full rank against the cpu backend's FULL_RANK mode on small random networks:
 * the same readouts up to float rounding (sums in another order can flip a spike near the
 * threshold, so agreement is counted per entry), and the same update (delegated).
 */
class DenseFullRankTest {

    private static final float SIGMA = 0.3f;

    /**
     * Sizes chosen so the vector kernels' full blocks, single vectors and scalar tails all run, and
     * the hidden layer spans several column panels, the last one partial.
     */
    private static SnnConfig spikeCountNet() {
        return SnnConfig.of(40, 2 * DenseFullRank.PANEL + 36, 10);
    }

    private static SnnConfig membraneNet() {
        return SnnConfig.of(37, 53, 30, 6).withReadout(Readout.MEMBRANE);
    }

    private static ModelState state(SnnConfig net, long seed) {
        return ModelState.fresh(Params.init(net, seed, 1.0f), new TrainConfig().optimizerConfig());
    }

    private static SpikeBatch batch(SnnConfig net, long seed) {
        // 3 x 7 = 21 frames: not a multiple of the kernel's row block
        return SpikeBatch.bernoulli(new SplittableRandom(seed), 3, 7, net.inputs(), 0.3, net.outputs());
    }

    /** Fraction of entries within 1e-4 relative (absolute below magnitude 1). */
    static double agreement(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        int ok = 0;
        for (int i = 0; i < a.length; i++) {
            ok += Math.abs(a[i] - b[i]) <= 1e-4 * Math.max(1, Math.abs(b[i])) ? 1 : 0;
        }
        return (double) ok / a.length;
    }

    /** Member 2k's readouts exchanged with member 2k+1's: what a sign error would give. */
    private static float[] swapPartners(float[] r, int population) {
        int per = r.length / population;
        float[] s = new float[r.length];
        for (int i = 0; i < population; i++) {
            System.arraycopy(r, i * per, s, (i ^ 1) * per, per);
        }
        return s;
    }

    private static void agreesWithCpu(SnnConfig net) {
        EsConfig es = EsConfig.fullRank(8, SIGMA);
        SpikeBatch b = batch(net, 5);
        try (CpuBackend cpu = new CpuBackend(2); DenseFullRank dense = new DenseFullRank(2)) {
            cpu.load(state(net, 3));
            dense.load(state(net, 3));
            Generation g = new Generation(11, 4, es);
            float[] want = cpu.evaluate(b, g);
            float[] got = dense.evaluate(b, g);
            assertThat(agreement(got, want)).as("entries agreeing with the cpu backend").isGreaterThanOrEqualTo(0.95);
            // The measure tells members apart: partners (opposite sign) and another generation's noise fail it.
            assertThat(agreement(swapPartners(got, 8), want)).isLessThan(0.5);
            assertThat(agreement(cpu.evaluate(b, new Generation(11, 5, es)), want)).isLessThan(0.5);
        }
    }

    @Test
    void spikeCountReadoutsAgreeWithTheCpuFullRankMode() {
        agreesWithCpu(spikeCountNet());
    }

    @Test
    void membraneReadoutsOfADeeperNetworkAgreeWithTheCpuFullRankMode() {
        agreesWithCpu(membraneNet());
    }

    @Test
    void aSliceOfPairsGivesThoseMembersTheirReadouts() {
        SnnConfig net = membraneNet();
        EsConfig es = EsConfig.fullRank(8, SIGMA);
        SpikeBatch b = batch(net, 6);
        try (DenseFullRank dense = new DenseFullRank(2)) {
            dense.load(state(net, 2));
            Generation g = new Generation(1, 0, es);
            float[] all = dense.evaluate(b, g);
            int per = b.samples() * net.outputs();
            assertThat(dense.evaluate(b, g, 1, 2)).containsExactly(Arrays.copyOfRange(all, 2 * per, 6 * per));
        }
    }

    @Test
    void theUpdateIsTheCpuBackendsFullRankUpdate() {
        SnnConfig net = spikeCountNet();
        EsConfig es = EsConfig.fullRank(8, SIGMA);
        SpikeBatch b = batch(net, 7);
        float[] shaped = {0.5f, -0.5f, 0f, 0.25f, -0.25f, 0f, 1f, -1f};
        try (CpuBackend cpu = new CpuBackend(2); DenseFullRank dense = new DenseFullRank(2)) {
            cpu.load(state(net, 4));
            dense.load(state(net, 4));
            for (int gen = 0; gen < 2; gen++) {
                Generation g = new Generation(9, gen, es);
                cpu.update(g, shaped, 8, 0.01f);
                dense.update(g, shaped, 8, 0.01f);
            }
            float[][] want = cpu.state().params().tensors();
            float[][] got = dense.state().params().tensors();
            for (int i = 0; i < want.length; i++) {
                assertThat(got[i]).containsExactly(want[i]);
            }
            assertThat(got[0]).isNotEqualTo(state(net, 4).params().tensors()[0]);
            // evaluation after the update sees the updated weights
            Generation g = new Generation(9, 2, es);
            assertThat(agreement(dense.evaluate(b, g), cpu.evaluate(b, g))).isGreaterThanOrEqualTo(0.95);
        }
    }

    @Test
    void refusesEggrollConfigurations() {
        SnnConfig net = spikeCountNet();
        try (DenseFullRank dense = new DenseFullRank(1)) {
            dense.load(state(net, 1));
            Generation g = new Generation(1, 0, EsConfig.eggroll(4, 2, SIGMA));
            assertThatThrownBy(() -> dense.evaluate(batch(net, 1), g)).hasMessageContaining("FULL_RANK");
        }
    }
}
