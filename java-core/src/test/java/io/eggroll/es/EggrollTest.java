package io.eggroll.es;

import static org.assertj.core.api.Assertions.assertThat;

import io.eggroll.backend.ModelState;
import io.eggroll.backend.cpu.CpuBackend;
import io.eggroll.rng.NoiseKind;
import io.eggroll.snn.LifNetwork;
import io.eggroll.snn.Params;
import io.eggroll.snn.Readout;
import io.eggroll.snn.SnnConfig;
import io.eggroll.snn.SpikeBatch;
import io.eggroll.testing.Fixtures;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The method of docs/DESIGN.md section 1 against explicit, materialised matrices. */
class EggrollTest {

    @ParameterizedTest(name = "r = {0}")
    @ValueSource(ints = {1, 3, 8})
    void lowRankCurrentEqualsMaterialisedPerturbation(int r) {
        SplittableRandom rnd = new SplittableRandom(r);
        int m = 40;
        int n = 24;
        float sigma = 0.1f;
        float[] w = Fixtures.randomArray(rnd, m * n, 0.5);
        float[] b = Fixtures.randomArray(rnd, n, 0.1);
        float[] a = new float[m * r];
        float[] bf = new float[n * r];
        Eggroll.factorA(5, 3, 7, 0, NoiseKind.GAUSSIAN, m, r, a);
        Eggroll.factorB(5, 3, 7, 0, NoiseKind.GAUSSIAN, n, r, bf);
        int[] active = {1, 4, 5, 9, 17, 30, 39};
        float sr = (float) (sigma / Math.sqrt(r));
        for (float sign : new float[] {1f, -1f}) {
            float[] cur = new float[n];
            System.arraycopy(b, 0, cur, 0, n);
            io.eggroll.simd.VectorizationProvider.scalar().addRows(w, n, active, 0, active.length, cur, 0);
            float[] u = new float[r];
            float[] p = new float[n];
            Eggroll.project(a, r, active, 0, active.length, u);
            Eggroll.expand(u, bf, r, n, p, 0);
            for (int j = 0; j < n; j++) {
                cur[j] += sign * sr * p[j];
            }
            // Explicit W' = W + sign (sigma / sqrt r) A B^T, then x W' + b.
            float[] wp = new float[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double e = 0;
                    for (int q = 0; q < r; q++) {
                        e += (double) a[i * r + q] * bf[j * r + q];
                    }
                    wp[i * n + j] = (float) (w[i * n + j] + sign * sr * e);
                }
            }
            float[] ref = new float[n];
            LifNetwork.current(wp, b, n, active, active.length, ref);
            assertThat(Fixtures.maxRelativeError(cur, ref)).isLessThan(1e-5);
        }
    }

    @Test
    void antitheticMembersGetExactlyOppositePerturbations() {
        // With zero weights and biases and a membrane readout, a member's score is a linear image
        // of its perturbation alone: the two members of a pair must be exact negatives.
        SnnConfig net = new SnnConfig(new int[] {30, 7}, 1f, 0.9f, Readout.MEMBRANE);
        EsConfig es = EsConfig.eggroll(6, 2, 0.3f);
        SpikeBatch batch = Fixtures.randomBatch(new SplittableRandom(3), 5, 6, 30, 0.3, 7);
        try (CpuBackend cpu = new CpuBackend(2)) {
            cpu.load(ModelState.fresh(new Params(net), OptimizerConfig.sgd(0.1f)));
            float[] out = cpu.evaluate(batch, new Generation(9, 2, es));
            int per = batch.samples() * 7;
            int nonzero = 0;
            for (int k = 0; k < es.pairs(); k++) {
                for (int x = 0; x < per; x++) {
                    float plus = out[2 * k * per + x];
                    float minus = out[(2 * k + 1) * per + x];
                    assertThat(minus).isEqualTo(-plus);
                    nonzero += plus != 0 ? 1 : 0;
                }
            }
            assertThat(nonzero).isGreaterThan(es.pairs() * per / 2);
        }
    }

    @Test
    void pairWeightsAndScales() {
        assertThat(Eggroll.pairWeights(new float[] {0.5f, -0.5f, 0.25f, 0.75f})).containsExactly(1.0f, -0.5f);
        EsConfig es = EsConfig.eggroll(10, 4, 0.5f);
        assertThat(Eggroll.gradientScale(es, 10, true)).isEqualTo((float) (1 / (10 * 0.5 * 2)));
        assertThat(Eggroll.gradientScale(es, 8, false)).isEqualTo((float) (1 / (8 * 0.5)));
        assertThat(es.sigmaLowRank()).isEqualTo(0.25f);
        assertThat(es.perturbationValues(1000, 5000)).isEqualTo(4L * 6000);
        assertThat(es.withMode(EsMode.FULL_RANK).perturbationValues(1000, 5000)).isEqualTo(5_000_000L);
    }
}
