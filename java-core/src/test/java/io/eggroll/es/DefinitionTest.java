package io.eggroll.es;

import static org.assertj.core.api.Assertions.assertThat;

import io.eggroll.rng.Noise;
import io.eggroll.rng.NoiseKind;
import io.eggroll.snn.Params;
import io.eggroll.snn.Readout;
import io.eggroll.snn.SnnConfig;
import io.eggroll.snn.SpikeBatch;
import io.eggroll.testing.Fixtures;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The definition is the math: against explicit, materialised perturbations computed in double. */
class DefinitionTest {

    /** epsilon of a pair for layer l, m x n, in double: A B^T / sqrt(r) (low rank) or E (full rank). */
    private static double[] epsilon(Generation g, int pair, int l, int m, int n) {
        EsConfig es = g.es();
        double[] out = new double[m * n];
        int r = es.rank();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                if (es.mode() == EsMode.FULL_RANK) {
                    out[i * n + j] = element(g, pair, l, Noise.KIND_FULL, (long) i * n + j);
                    continue;
                }
                double e = 0;
                for (int q = 0; q < r; q++) {
                    e += element(g, pair, l, Noise.KIND_A, i * r + q) * element(g, pair, l, Noise.KIND_B, j * r + q);
                }
                out[i * n + j] = e / Math.sqrt(r);
            }
        }
        return out;
    }

    private static double element(Generation g, int pair, int l, int kind, long e) {
        return Noise.at(g.seed(), pair, g.index(), Noise.stream(l, kind), g.es().noise(), e);
    }

    @ParameterizedTest(name = "{0} r={1} {2}")
    @CsvSource({"EGGROLL, 1, GAUSSIAN", "EGGROLL, 3, GAUSSIAN", "EGGROLL, 5, RADEMACHER", "FULL_RANK, 1, GAUSSIAN"})
    void layerCurrentIsBiasPlusInputTimesThePerturbedWeights(String mode, int r, String noise) {
        SnnConfig net = SnnConfig.of(40, 24, 6);
        SplittableRandom rnd = new SplittableRandom(r);
        Params p = Params.init(net, 5, 1f);
        System.arraycopy(Fixtures.randomArray(rnd, 24, 0.1), 0, p.bias(0), 0, 24);
        EsConfig es = EsConfig.eggroll(8, r, 0.1f).withMode(EsMode.valueOf(mode)).withNoise(NoiseKind.valueOf(noise));
        Generation g = new Generation(5, 7, es);
        int[] active = {1, 4, 5, 9, 17, 30, 39};
        for (int member : new int[] {6, 7}) {
            double s = Generation.sign(member);
            double[] eps = epsilon(g, 3, 0, 40, 24);
            float[] got = Definition.current(p, Definition.perturbation(net, g, member), 0, active);
            double[] want = new double[24];
            for (int j = 0; j < 24; j++) {
                want[j] = p.bias(0)[j] + s * es.sigma() * element(g, 3, 0, Noise.KIND_BIAS, j);
                for (int i : active) {
                    want[j] += p.weights(0)[i * 24 + j] + s * es.sigma() * eps[i * 24 + j];
                }
            }
            assertThat(Fixtures.maxRelativeError(got, Fixtures.toFloat(want))).as("member %d", member).isLessThan(1e-5);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"EGGROLL", "FULL_RANK"})
    void gradientIsTheShapedSumOfTheMembersPerturbations(String mode) {
        SnnConfig net = SnnConfig.of(12, 9, 5);
        float sigma = 0.05f;
        EsConfig es = EsConfig.eggroll(8, 3, sigma).withMode(EsMode.valueOf(mode));
        float[] shaped = {0.5f, -0.5f, 0.2142857f, -0.0714286f, 0f, 0f, 0.0714286f, -0.3571429f};
        int effective = 6;
        Generation g = new Generation(77, 4, es);
        float[][] grads = Definition.gradient(net, g, shaped, effective);
        for (int l = 0; l < net.layers(); l++) {
            int m = net.fanIn(l);
            int n = net.fanOut(l);
            double[] want = new double[m * n];
            double[] wantBias = new double[n];
            for (int i = 0; i < es.population(); i++) {
                int k = Generation.pair(i);
                double s = Generation.sign(i);
                double[] e = epsilon(g, k, l, m, n);
                for (int x = 0; x < m * n; x++) {
                    want[x] += shaped[i] * s * e[x] / (effective * sigma);
                }
                for (int j = 0; j < n; j++) {
                    wantBias[j] += shaped[i] * s * element(g, k, l, Noise.KIND_BIAS, j) / (effective * sigma);
                }
            }
            assertThat(Fixtures.maxRelativeError(grads[2 * l], Fixtures.toFloat(want))).isLessThan(1e-5);
            assertThat(Fixtures.maxRelativeError(grads[2 * l + 1], Fixtures.toFloat(wantBias))).isLessThan(1e-5);
        }
    }

    @Test
    void sgdStepAddsTheLearningRateTimesTheGradient() {
        SnnConfig net = SnnConfig.of(10, 6, 4);
        Params p = new Params(net);
        OptimizerConfig oc = OptimizerConfig.sgd(0.3f);
        OptimizerState st = OptimizerState.zeros(oc, p.tensors());
        Generation g = new Generation(3, 0, EsConfig.eggroll(6, 2, 0.1f));
        float[] shaped = {0.5f, -0.5f, 0.1f, 0.3f, -0.2f, 0f};
        float[][] grads = Definition.gradient(net, g, shaped, 6);
        Definition.update(p, oc, st, g, shaped, 6, 0.25f); // an explicit rate, not the config's 0.3
        assertThat(st.step()).isEqualTo(1);
        float[][] t = p.tensors();
        for (int i = 0; i < t.length; i++) {
            for (int x = 0; x < t[i].length; x++) {
                assertThat(t[i][x]).isEqualTo(0.25f * grads[i][x]);
            }
        }
    }

    @Test
    void antitheticMembersReadOutExactNegatives() {
        // Zero weights and biases with a membrane readout: a member's score is a linear image of its
        // perturbation alone, so the two members of a pair must be exact negatives.
        SnnConfig net = new SnnConfig(new int[] {30, 7}, 1f, 0.9f, Readout.MEMBRANE);
        Generation g = new Generation(9, 2, EsConfig.eggroll(6, 2, 0.3f));
        SpikeBatch batch = Fixtures.randomBatch(new SplittableRandom(3), 5, 6, 30, 0.3, 7);
        Params zero = new Params(net);
        int nonzero = 0;
        for (int s = 0; s < batch.samples(); s++) {
            float[] plus = Definition.perturbedForward(net, zero, g, 4, batch, s);
            float[] minus = Definition.perturbedForward(net, zero, g, 5, batch, s);
            for (int j = 0; j < plus.length; j++) {
                assertThat(minus[j]).isEqualTo(-plus[j]);
                nonzero += plus[j] != 0 ? 1 : 0;
            }
        }
        assertThat(nonzero).isGreaterThan(batch.samples() * 7 / 2);
    }
}
