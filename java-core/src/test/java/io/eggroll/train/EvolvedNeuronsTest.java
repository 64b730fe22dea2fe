package io.eggroll.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.eggroll.backend.ModelState;
import io.eggroll.es.Definition;
import io.eggroll.es.EsConfig;
import io.eggroll.es.Generation;
import io.eggroll.snn.Neurons;
import io.eggroll.snn.Params;
import io.eggroll.snn.Readout;
import io.eggroll.snn.SnnConfig;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Evolved neuron parameters ({@code network.evolveThreshold}, {@code network.evolveDecay}) end to end. */
class EvolvedNeuronsTest {

    static TrainConfig small(boolean threshold, boolean decay) {
        TrainConfig c = TrainerTest.small();
        c.network.hidden = new int[] {16};
        c.network.evolveThreshold = threshold;
        c.network.evolveDecay = decay;
        c.generations = 4;
        c.checkpointEvery = 2;
        return c;
    }

    private static boolean allEqual(float[] x, float value) {
        for (float f : x) {
            if (f != value) {
                return false;
            }
        }
        return true;
    }

    @Test
    void trainingMovesEachNeuronsThresholdAndDecayAndTheWeightsStillLearn() {
        TrainConfig c = small(true, true);
        Params p = TrainerTest.train(c, 2, null).state().params();
        SnnConfig net = p.config();
        for (int l = 0; l < net.layers(); l++) {
            assertThat(allEqual(p.threshold(l), c.network.threshold)).as("layer %d thresholds moved", l).isFalse();
            assertThat(allEqual(p.decay(l), c.network.decay)).as("layer %d decays moved", l).isFalse();
            // Per neuron, not per layer: the neurons of a layer end up different.
            assertThat(Arrays.stream(boxed(p.threshold(l))).distinct().count()).isGreaterThan(1);
            assertThat(Arrays.stream(boxed(p.decay(l))).distinct().count()).isGreaterThan(1);
        }
        // The same run without the options keeps the shared values and has no neuron tensors.
        Params plain = TrainerTest.train(small(false, false), 2, null).state().params();
        assertThat(plain.tensors().length).isEqualTo(2 * net.layers());
        assertThat(p.tensors().length).isEqualTo(4 * net.layers());
    }

    @Test
    void eachOptionAloneEvolvesOnlyItsParameter() {
        Params t = TrainerTest.train(small(true, false), 1, null).state().params();
        assertThat(t.tensors().length).isEqualTo(3 * t.config().layers());
        assertThat(allEqual(t.threshold(0), 1f)).isFalse();
        Params d = TrainerTest.train(small(false, true), 1, null).state().params();
        assertThat(d.tensors().length).isEqualTo(3 * d.config().layers());
        assertThat(allEqual(d.decay(0), 0.9f)).isFalse();
    }

    @Test
    void theThresholdsOfANonSpikingMembraneReadoutStayPut() {
        TrainConfig c = small(true, true);
        c.network.readout = Readout.MEMBRANE;
        Params p = TrainerTest.train(c, 1, null).state().params();
        int last = p.config().layers() - 1;
        assertThat(allEqual(p.threshold(last), 1f)).as("inert thresholds are not updated").isTrue();
        assertThat(allEqual(p.threshold(0), 1f)).isFalse();
        assertThat(allEqual(p.decay(last), 0.9f)).as("the readout's decays act and evolve").isFalse();
    }

    @Test
    void checkpointsKeepTheNeuronParametersAndResumeBitForBit(@TempDir Path tmp) {
        TrainConfig c = small(true, true);
        String straight = TrainerTest.train(c, 2, RunDirectory.create(tmp.resolve("a"), c, false)).state().params()
                .sha256();
        TrainConfig first = c.copy();
        first.generations = 3;
        RunDirectory run = RunDirectory.create(tmp.resolve("b"), first, false);
        ModelState atThree = TrainerTest.train(first, 1, run).state();
        Checkpoint.Data ck = Checkpoint.read(run.latestCheckpoint());
        assertThat(ck.state().network().evolveThreshold()).isTrue();
        assertThat(ck.state().network().evolveDecay()).isTrue();
        assertThat(ck.state().params().tensors().length).isEqualTo(atThree.params().tensors().length);
        assertThat(ck.state().params().threshold(0)).containsExactly(atThree.params().threshold(0));
        assertThat(ck.state().params().decay(0)).containsExactly(atThree.params().decay(0));
        assertThat(ck.state().params().sha256()).isEqualTo(atThree.params().sha256());
        TaskData d = TaskData.synthetic(c);
        try (var b = new io.eggroll.backend.cpu.CpuBackend(2)) {
            Trainer.Result resumed = new Trainer(c, d.train(), d.validation(), b, run).run(ck.state(), ck.nextGeneration(), 0);
            assertThat(resumed.state().params().sha256()).isEqualTo(straight);
        }
    }

    @Test
    void theNeuronNoiseHasItsOwnStreamsAndLeavesTheOthersAlone() {
        SnnConfig plain = SnnConfig.of(12, 8, 3);
        SnnConfig evolved = plain.withEvolvedNeurons(true, true);
        Generation g = new Generation(42, 3, EsConfig.eggroll(8, 2, 0.1f));
        for (int member = 0; member < 8; member++) {
            Definition.Perturbation a = Definition.perturbation(plain, g, member);
            Definition.Perturbation b = Definition.perturbation(evolved, g, member);
            assertThat(b.a()).isDeepEqualTo(a.a());
            assertThat(b.b()).isDeepEqualTo(a.b());
            assertThat(b.bias()).isDeepEqualTo(a.bias());
            assertThat(a.threshold()).isNull();
            for (int l = 0; l < 2; l++) {
                assertThat(b.threshold()[l]).hasSize(plain.fanOut(l)).isNotEqualTo(b.bias()[l]);
                assertThat(b.decay()[l]).hasSize(plain.fanOut(l)).isNotEqualTo(b.threshold()[l])
                        .isNotEqualTo(b.bias()[l]);
            }
        }
    }

    @Test
    void theForwardPassClampsThresholdsAndDecaysIntoTheirRanges() {
        SnnConfig net = SnnConfig.of(4, 3).withEvolvedNeurons(true, true);
        Params p = new Params(net);
        assertThat(p.threshold(0)).containsOnly(1f);
        assertThat(p.decay(0)).containsOnly(0.9f);
        p.threshold(0)[0] = -2f;
        p.threshold(0)[1] = 0.5f;
        p.decay(0)[0] = 1.5f;
        p.decay(0)[1] = -0.25f;
        float[] theta = new float[3];
        float[] beta = new float[3];
        Neurons.thresholds(p, 0, null, 0f, theta);
        Neurons.decays(p, 0, null, 0f, beta);
        assertThat(theta).containsExactly(Neurons.MIN_THRESHOLD, 0.5f, 1f);
        assertThat(beta).containsExactly(1f, 0f, 0.9f);
        // Perturbed: theta + sb e, then clamped.
        Neurons.thresholds(p, 0, new float[] {1f, -1f, 2f}, 0.25f, theta);
        assertThat(theta).containsExactly(Neurons.MIN_THRESHOLD, 0.25f, 1.5f);
    }

    @Test
    void configRefusesNothingAndDefaultsOff() {
        TrainConfig c = TrainConfig.fromJson("{\"network\": {\"evolveThreshold\": true}}", "x");
        assertThat(c.network.evolveThreshold).isTrue();
        assertThat(c.network.evolveDecay).isFalse();
        assertThat(new TrainConfig().network.evolveThreshold).isFalse();
        SnnConfig net = c.networkConfig(new int[] {4, 2});
        assertThat(net.evolveThreshold()).isTrue();
        assertThat(net).isNotEqualTo(net.withEvolvedNeurons(false, false));
    }

    @Test
    void backendsWithoutPerNeuronValuesRefuseNamingTheOption() {
        SnnConfig net = SnnConfig.of(4, 2);
        assertThat(net.requireSharedNeurons("x")).isSameAs(net);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> net.withEvolvedNeurons(true, false).requireSharedNeurons("the opencl backend"))
                .hasMessageContaining("network.evolveThreshold").hasMessageContaining("the opencl backend");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> net.withEvolvedNeurons(false, true).requireSharedNeurons("the tornado backend"))
                .hasMessageContaining("network.evolveDecay");
    }

    private static Float[] boxed(float[] x) {
        Float[] b = new Float[x.length];
        for (int i = 0; i < x.length; i++) {
            b[i] = x[i];
        }
        return b;
    }
}
