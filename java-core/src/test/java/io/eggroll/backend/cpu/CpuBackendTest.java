package io.eggroll.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eggroll.backend.ModelState;
import io.eggroll.es.EsConfig;
import io.eggroll.es.EsMode;
import io.eggroll.es.Eggroll;
import io.eggroll.es.Generation;
import io.eggroll.es.OptimizerConfig;
import io.eggroll.rng.NoiseKind;
import io.eggroll.snn.LifNetwork;
import io.eggroll.snn.Params;
import io.eggroll.snn.Readout;
import io.eggroll.snn.SnnConfig;
import io.eggroll.snn.SpikeBatch;
import io.eggroll.testing.Fixtures;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fast cpu paths against the plain reference forward over explicitly perturbed weights. */
class CpuBackendTest {

    @ParameterizedTest(name = "{0} r={1} {2} {3}")
    @CsvSource({
        "EGGROLL, 1, GAUSSIAN, SPIKE_COUNT",
        "EGGROLL, 4, GAUSSIAN, SPIKE_COUNT",
        "EGGROLL, 2, RADEMACHER, MEMBRANE",
        "FULL_RANK, 1, GAUSSIAN, SPIKE_COUNT",
    })
    void populationReadoutsMatchMaterialisedMembers(String mode, int r, String noise, String readout) {
        SplittableRandom rnd = new SplittableRandom(mode.hashCode() + r);
        SnnConfig net = new SnnConfig(new int[] {50, 20, 8}, 1f, 0.9f, Readout.valueOf(readout));
        Params p = Params.init(net, 11, 2.0f);
        for (int l = 0; l < net.layers(); l++) {
            float[] b = p.bias(l);
            for (int j = 0; j < b.length; j++) {
                b[j] = (float) (rnd.nextDouble() * 0.2);
            }
        }
        EsConfig es = EsConfig.eggroll(10, r, 0.2f).withMode(EsMode.valueOf(mode)).withNoise(NoiseKind.valueOf(noise));
        Generation g = new Generation(1234, 3, es);
        SpikeBatch batch = Fixtures.randomBatch(rnd, 6, 12, 50, 0.25, 8);
        float[] fast;
        try (CpuBackend cpu = new CpuBackend(2)) {
            cpu.load(ModelState.fresh(p, OptimizerConfig.sgd(0.1f)));
            fast = cpu.evaluate(batch, g);
        }
        int classes = 8;
        int agree = 0;
        int total = 0;
        int spikes = 0;
        int close = 0;
        for (int i = 0; i < es.population(); i++) {
            float[][][] wb = perturbedParams(p, g, i);
            for (int s = 0; s < batch.samples(); s++) {
                float[] ref = LifNetwork.forward(net, wb[0], wb[1], batch, s);
                float[] got = Arrays.copyOfRange(fast, (i * batch.samples() + s) * classes,
                        (i * batch.samples() + s + 1) * classes);
                total++;
                if (maxAbsDiff(ref, got) < 1e-3) {
                    agree++;
                }
                for (float x : ref) {
                    spikes += x != 0 ? 1 : 0;
                }
                close += Fixtures.maxRelativeError(got, ref) < 1e-5 ? 1 : 0;
            }
        }
        assertThat(spikes).as("the test network must be active").isGreaterThan(total);
        if (net.readout() == Readout.MEMBRANE) {
            // Different summation order than the materialised weights: the membrane scores agree to
            // float rounding unless a hidden spike flipped.
            assertThat((double) close / total).isGreaterThanOrEqualTo(0.95);
        } else {
            // Spike counts plus residues: equal up to rounding of the residue, except where rounding
            // flips a spike whose membrane lands within ~1e-7 of the threshold.
            assertThat((double) agree / total).isGreaterThanOrEqualTo(0.95);
        }
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    /** W + s sigma_r A B^T (or W + s sigma E) and b + s sigma e_b, per layer, for member i. */
    private static float[][][] perturbedParams(Params p, Generation g, int member) {
        SnnConfig net = p.config();
        EsConfig es = g.es();
        int k = Generation.pair(member);
        float s = Generation.sign(member);
        float[][] w = new float[net.layers()][];
        float[][] b = new float[net.layers()][];
        for (int l = 0; l < net.layers(); l++) {
            int m = net.fanIn(l);
            int n = net.fanOut(l);
            w[l] = p.weights(l).clone();
            if (es.mode() == EsMode.EGGROLL) {
                int r = es.rank();
                float[] a = new float[m * r];
                float[] bf = new float[n * r];
                Eggroll.factorA(g.seed(), k, g.index(), l, es.noise(), m, r, a);
                Eggroll.factorB(g.seed(), k, g.index(), l, es.noise(), n, r, bf);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double e = 0;
                        for (int q = 0; q < r; q++) {
                            e += (double) a[i * r + q] * bf[j * r + q];
                        }
                        w[l][i * n + j] += (float) (s * es.sigmaLowRank() * e);
                    }
                }
            } else {
                float[] e = new float[m * n];
                Eggroll.fullNoise(g.seed(), k, g.index(), l, es.noise(), m, n, e);
                for (int x = 0; x < m * n; x++) {
                    w[l][x] += s * es.sigma() * e[x];
                }
            }
            b[l] = p.bias(l).clone();
            float[] eb = new float[n];
            Eggroll.biasNoise(g.seed(), k, g.index(), l, es.noise(), n, eb);
            for (int j = 0; j < n; j++) {
                b[l][j] += s * es.sigma() * eb[j];
            }
        }
        return new float[][][] {w, b};
    }

    @Test
    void sliceEvaluationEqualsFullEvaluation() {
        SnnConfig net = SnnConfig.of(30, 16, 5);
        EsConfig es = EsConfig.eggroll(12, 2, 0.1f);
        Generation g = new Generation(5, 1, es);
        SpikeBatch batch = Fixtures.randomBatch(new SplittableRandom(2), 4, 8, 30, 0.3, 5);
        try (CpuBackend cpu = new CpuBackend(2)) {
            cpu.load(ModelState.fresh(Params.init(net, 3, 2f), OptimizerConfig.adam(0.01f)));
            float[] all = cpu.evaluate(batch, g);
            float[] slice = cpu.evaluate(batch, g, 2, 3);
            int per = batch.samples() * 5;
            assertThat(slice).containsExactly(Arrays.copyOfRange(all, 4 * per, 10 * per));
            assertThatThrownBy(() -> cpu.evaluate(batch, g, 5, 2)).hasMessageContaining("out of range");
        }
    }

    @Test
    void inferEqualsReferenceForward() {
        SnnConfig net = SnnConfig.of(30, 16, 5);
        Params p = Params.init(net, 3, 2f);
        SpikeBatch batch = Fixtures.randomBatch(new SplittableRandom(9), 7, 8, 30, 0.3, 5);
        try (CpuBackend cpu = new CpuBackend(2)) {
            cpu.load(ModelState.fresh(p, OptimizerConfig.sgd(0.1f)));
            float[] got = cpu.infer(batch);
            for (int s = 0; s < batch.samples(); s++) {
                float[] ref = LifNetwork.forward(net, new float[][] {p.weights(0), p.weights(1)},
                        new float[][] {p.bias(0), p.bias(1)}, batch, s);
                assertThat(Arrays.copyOfRange(got, s * 5, s * 5 + 5)).containsExactly(ref);
            }
        }
    }

    @Test
    void resultsAreIdenticalForAnyThreadCount() {
        SnnConfig net = SnnConfig.of(40, 24, 6);
        EsConfig es = EsConfig.eggroll(16, 3, 0.1f);
        Generation g = new Generation(8, 2, es);
        SpikeBatch batch = Fixtures.randomBatch(new SplittableRandom(4), 5, 10, 40, 0.2, 6);
        float[] shaped = new float[16];
        for (int i = 0; i < 16; i++) {
            shaped[i] = (i * 7 % 16) / 15f - 0.5f;
        }
        String[] hashes = new String[3];
        float[][] outs = new float[3][];
        int[] threads = {1, 2, 3};
        for (int t = 0; t < 3; t++) {
            try (CpuBackend cpu = new CpuBackend(threads[t])) {
                cpu.load(ModelState.fresh(Params.init(net, 3, 2f), OptimizerConfig.adam(0.01f)));
                outs[t] = cpu.evaluate(batch, g);
                cpu.update(g, shaped, 16, 0.01f);
                hashes[t] = cpu.state().params().sha256();
            }
        }
        assertThat(outs[1]).containsExactly(outs[0]);
        assertThat(outs[2]).containsExactly(outs[0]);
        assertThat(hashes[1]).isEqualTo(hashes[0]);
        assertThat(hashes[2]).isEqualTo(hashes[0]);
    }
}
