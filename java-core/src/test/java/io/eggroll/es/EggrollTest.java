package io.eggroll.es;

import static org.assertj.core.api.Assertions.assertThat;

import io.eggroll.backend.ModelState;
import io.eggroll.backend.cpu.CpuBackend;
import io.eggroll.rng.Noise;
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

/** The method of DESIGN.md section 1 against explicit, materialised matrices. */
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
            Eggroll.gatherRows(w, n, active, 0, active.length, cur, 0);
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

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"EGGROLL", "FULL_RANK"})
    void updateEqualsExplicitSumOfMemberPerturbations(String mode) {
        SnnConfig net = SnnConfig.of(12, 9, 5);
        int r = 3;
        float sigma = 0.05f;
        EsConfig es = EsConfig.eggroll(8, r, sigma).withMode(EsMode.valueOf(mode));
        Params zero = new Params(net);
        // SGD with lr = 1 from zero weights: the new weights are exactly the gradient estimate.
        ModelState st = ModelState.fresh(zero, OptimizerConfig.sgd(1f));
        float[] shaped = {0.5f, -0.5f, 0.2142857f, -0.0714286f, 0.3571429f, -0.2142857f, 0.0714286f, -0.3571429f};
        Generation g = new Generation(77, 4, es);
        try (CpuBackend cpu = new CpuBackend(2)) {
            cpu.load(st);
            cpu.update(g, shaped, es.population(), 1f);
            Params after = cpu.state().params();
            for (int l = 0; l < net.layers(); l++) {
                int m = net.fanIn(l);
                int n = net.fanOut(l);
                double[] expect = new double[m * n];
                double[] expectBias = new double[n];
                for (int i = 0; i < es.population(); i++) {
                    int k = Generation.pair(i);
                    double s = Generation.sign(i);
                    float[] e = explicitPerturbation(g, k, l, m, n);
                    for (int x = 0; x < m * n; x++) {
                        expect[x] += shaped[i] * s * e[x] / (es.population() * sigma);
                    }
                    float[] eb = new float[n];
                    Eggroll.biasNoise(g.seed(), k, g.index(), l, es.noise(), n, eb);
                    for (int j = 0; j < n; j++) {
                        expectBias[j] += shaped[i] * s * eb[j] / (es.population() * sigma);
                    }
                }
                assertThat(Fixtures.maxRelativeError(after.weights(l), Fixtures.toFloat(expect))).isLessThan(1e-5);
                assertThat(Fixtures.maxRelativeError(after.bias(l), Fixtures.toFloat(expectBias))).isLessThan(1e-5);
            }
        }
    }

    /** epsilon_i / sign for the pair: A B^T / sqrt(r) (low rank) or E (full rank), m x n. */
    private static float[] explicitPerturbation(Generation g, int pair, int l, int m, int n) {
        EsConfig es = g.es();
        float[] out = new float[m * n];
        if (es.mode() == EsMode.FULL_RANK) {
            Eggroll.fullNoise(g.seed(), pair, g.index(), l, es.noise(), m, n, out);
            return out;
        }
        int r = es.rank();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double e = 0;
                for (int q = 0; q < r; q++) {
                    e += (double) Noise.at(g.seed(), pair, g.index(), Noise.stream(l, Noise.KIND_A), es.noise(), i * r + q)
                            * Noise.at(g.seed(), pair, g.index(), Noise.stream(l, Noise.KIND_B), es.noise(), j * r + q);
                }
                out[i * n + j] = (float) (e / Math.sqrt(r));
            }
        }
        return out;
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
