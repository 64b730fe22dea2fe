package io.eggroll.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eggroll.backend.ModelState;
import io.eggroll.es.EsConfig;
import io.eggroll.es.EsMode;
import io.eggroll.es.Definition;
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

/** The fast cpu paths against the plain definition of the method: the same bits. */
class CpuBackendTest {

    @ParameterizedTest(name = "{0} r={1} {2} {3} bias noise {4}")
    @CsvSource({
        "EGGROLL, 1, GAUSSIAN, SPIKE_COUNT, true",
        "EGGROLL, 4, GAUSSIAN, SPIKE_COUNT, false",
        "EGGROLL, 2, RADEMACHER, MEMBRANE, true",
        "FULL_RANK, 1, GAUSSIAN, SPIKE_COUNT, true",
        "FULL_RANK, 1, RADEMACHER, MEMBRANE, false",
    })
    void populationReadoutsAreTheDefinitionsBits(String mode, int r, String noise, String readout, boolean biasNoise) {
        SplittableRandom rnd = new SplittableRandom(mode.hashCode() + r);
        SnnConfig net = new SnnConfig(new int[] {50, 20, 8}, 1f, 0.9f, Readout.valueOf(readout));
        Params p = Params.init(net, 11, 2.0f);
        for (int l = 0; l < net.layers(); l++) {
            float[] b = p.bias(l);
            for (int j = 0; j < b.length; j++) {
                b[j] = (float) (rnd.nextDouble() * 0.2);
            }
        }
        EsConfig base = EsConfig.eggroll(10, r, 0.2f).withMode(EsMode.valueOf(mode)).withNoise(NoiseKind.valueOf(noise));
        EsConfig es = new EsConfig(base.mode(), base.population(), base.rank(), base.sigma(), base.noise(),
                base.shaping(), base.fitness(), base.temperature(), biasNoise);
        Generation g = new Generation(1234, 3, es);
        SpikeBatch batch = Fixtures.randomBatch(rnd, 6, 12, 50, 0.25, 8);
        float[] fast;
        try (CpuBackend cpu = new CpuBackend(2)) {
            cpu.load(ModelState.fresh(p, OptimizerConfig.sgd(0.1f)));
            fast = cpu.evaluate(batch, g);
        }
        int classes = net.outputs();
        int active = 0;
        for (int i = 0; i < es.population(); i++) {
            for (int s = 0; s < batch.samples(); s++) {
                float[] want = Definition.perturbedForward(net, p, g, i, batch, s);
                float[] got = Arrays.copyOfRange(fast, (i * batch.samples() + s) * classes,
                        (i * batch.samples() + s + 1) * classes);
                assertThat(got).as("member %d sample %d", i, s).containsExactly(want);
                for (float x : want) {
                    active += x >= 1 || readout.equals("MEMBRANE") && x != 0 ? 1 : 0;
                }
            }
        }
        assertThat(active).as("output spikes (or membrane drive): the test network must be active")
                .isGreaterThan(es.population() * batch.samples());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"SGD", "ADAM"})
    void updateIsTheDefinitionsBits(String optimizer) {
        SnnConfig net = SnnConfig.of(40, 24, 6);
        EsConfig es = EsConfig.eggroll(130, 3, 0.1f); // 65 pairs: more than one block of the blocked product
        OptimizerConfig oc = optimizer.equals("SGD") ? OptimizerConfig.sgd(0.1f) : OptimizerConfig.adam(0.01f);
        ModelState start = ModelState.fresh(Params.init(net, 3, 2f), oc);
        float[] shaped = Fixtures.randomArray(new SplittableRandom(6), es.population(), 0.5);
        shaped[4] = shaped[5] = 0f; // an excluded pair
        ModelState want = start.copy();
        try (CpuBackend cpu = new CpuBackend(2)) {
            cpu.load(start);
            for (int gen = 0; gen < 2; gen++) {
                Generation g = new Generation(8, gen, es);
                cpu.update(g, shaped, es.population() - 2, oc.learningRateAt(gen + 1));
                Definition.update(want.params(), oc, want.optimizerState(), g, shaped, es.population() - 2,
                        oc.learningRateAt(gen + 1));
            }
            assertThat(cpu.state().params().sha256()).isEqualTo(want.params().sha256());
            assertThat(cpu.state().params().sha256()).isNotEqualTo(start.params().sha256());
        }
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
