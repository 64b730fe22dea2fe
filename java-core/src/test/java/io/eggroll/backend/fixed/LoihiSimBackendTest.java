package io.eggroll.backend.fixed;

import static org.assertj.core.api.Assertions.assertThat;

import io.eggroll.backend.ModelState;
import io.eggroll.es.Definition;
import io.eggroll.es.EsConfig;
import io.eggroll.es.Generation;
import io.eggroll.es.OptimizerConfig;
import io.eggroll.simd.VectorizationProvider;
import io.eggroll.snn.Params;
import io.eggroll.snn.SnnConfig;
import io.eggroll.snn.SpikeBatch;
import io.eggroll.snn.fixed.FixedLayer;
import io.eggroll.snn.fixed.FixedNetwork;
import io.eggroll.snn.fixed.LoihiQuantizer;
import io.eggroll.testing.Fixtures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LoihiSimBackendTest {

    static final SnnConfig NET = SnnConfig.of(24, 12, 5);

    /** A conv network on a 2 x 6 x 6 input: conv k3 s1 (3 channels, 4 x 4), conv k2 s2 (4 channels, 2 x 2), dense. */
    static final SnnConfig CONV = SnnConfig.convolutional(new int[] {2, 6, 6}, new int[][] {{3, 3, 1}, {2, 4, 2}},
            new int[] {5}, 1f, 0.9f, io.eggroll.snn.Readout.SPIKE_COUNT);

    static ModelState state(long seed) {
        return state(NET, seed);
    }

    static ModelState state(SnnConfig net, long seed) {
        Params p = Params.init(net, seed, 2f);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int l = 0; l < net.layers(); l++) {
            System.arraycopy(Fixtures.randomArray(rnd, net.fanOut(l), 0.2), 0, p.bias(l), 0, net.fanOut(l));
        }
        return ModelState.fresh(p, OptimizerConfig.sgd(0.1f));
    }

    /**
     * The member's network built the obvious way: materialise W + (s sigma_r) A B^T, row i being the
     * definition's perturbation for input i alone, and b + (s sigma) e; with evolved neuron
     * parameters each neuron's clamped theta + (s sigma) e_theta and beta + (s sigma) e_beta, the
     * scale bounded by the layer's largest stored threshold; then quantise.
     */
    static FixedNetwork reference(ModelState st, Generation g, int member) {
        Params p = st.params();
        SnnConfig net = st.network();
        Definition.Perturbation z = Definition.perturbation(net, g, member);
        List<FixedLayer> layers = new ArrayList<>();
        for (int l = 0; l < net.layers(); l++) {
            int m = net.fanIn(l);
            int n = net.fanOut(l);
            float[] w = new float[m * n];
            for (int i = 0; i < m; i++) {
                float[] row = Definition.perturbation(z, l, new int[] {i});
                for (int j = 0; j < n; j++) {
                    w[i * n + j] = p.weights(l)[i * n + j] + z.weightScale() * row[j];
                }
            }
            float[] bias = p.bias(l).clone();
            for (int j = 0; j < n; j++) {
                bias[j] += z.biasScale() * z.bias()[l][j];
            }
            if (!net.evolvesNeurons()) {
                int scale = LoihiQuantizer.scaleExponent(p.weights(l), p.bias(l), net.threshold());
                layers.add(LoihiQuantizer.layer(net, l, w, bias, scale));
                continue;
            }
            float[] theta = new float[n];
            float[] beta = new float[n];
            float maxTheta = 0f;
            for (int j = 0; j < n; j++) {
                theta[j] = Math.max(p.threshold(l)[j] + z.biasScale() * z.threshold()[l][j], 1e-3f);
                beta[j] = Math.clamp(p.decay(l)[j] + z.biasScale() * z.decay()[l][j], 0f, 1f);
                maxTheta = Math.max(maxTheta, p.threshold(l)[j]);
            }
            int scale = LoihiQuantizer.scaleExponent(p.weights(l), p.bias(l), maxTheta);
            int[] wi = new int[w.length];
            LoihiQuantizer.weights(w, scale, wi);
            layers.add(LoihiQuantizer.layer(net, l, wi, bias, scale, theta, beta));
        }
        return new FixedNetwork(layers, true);
    }

    @Test
    void everyMemberRunsItsQuantisedPerturbedNetwork() {
        everyMemberRuns(NET);
    }

    /** A conv member: its perturbed kernel (K + sigma_r s A B^T, row by row as the definition gives it) quantised. */
    @Test
    void everyConvMemberRunsItsQuantisedPerturbedNetwork() {
        everyMemberRuns(CONV);
    }

    private static void everyMemberRuns(SnnConfig net) {
        SplittableRandom rnd = new SplittableRandom(11);
        SpikeBatch batch = Fixtures.randomBatch(rnd, 3, 9, net.inputs(), 0.3, net.outputs());
        ModelState st = state(net, 5);
        Generation g = new Generation(77, 4, EsConfig.eggroll(6, 2, 0.05f));
        try (LoihiSimBackend b = new LoihiSimBackend(2)) {
            b.load(st);
            float[] out = b.evaluate(batch, g);
            int c = net.outputs();
            double total = 0;
            for (int member = 0; member < 6; member++) {
                FixedNetwork ref = reference(st, g, member);
                for (int s = 0; s < batch.samples(); s++) {
                    float[] exp = ref.spikeCounts(batch, s);
                    float[] got = java.util.Arrays.copyOfRange(out, (member * 3 + s) * c, (member * 3 + s + 1) * c);
                    assertThat(got).as("member %d sample %d", member, s).containsExactly(exp);
                    for (float x : got) {
                        total += x != 0 ? 1 : 0; // counts plus membrane residues: nonzero when active
                    }
                }
            }
            assertThat(total).as("the network must be active for the test to mean anything").isGreaterThan(0);
            // A slice of pairs gives the same readouts as the full evaluation.
            float[] slice = b.evaluate(batch, g, 1, 2);
            assertThat(slice).containsExactly(java.util.Arrays.copyOfRange(out, 2 * 3 * c, 6 * 3 * c));
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCountAndUpdatesAreTheDefinitions() {
        SplittableRandom rnd = new SplittableRandom(3);
        SpikeBatch batch = Fixtures.randomBatch(rnd, 4, 7, NET.inputs(), 0.25, NET.outputs());
        Generation g = new Generation(9, 0, EsConfig.eggroll(8, 1, 0.03f));
        float[] fitness = Fixtures.randomArray(rnd, 8, 1);
        try (LoihiSimBackend one = new LoihiSimBackend(1); LoihiSimBackend two = new LoihiSimBackend(2)) {
            one.load(state(1));
            two.load(state(1));
            assertThat(two.evaluate(batch, g)).containsExactly(one.evaluate(batch, g));
            float lr = state(1).optimizer().learningRateAt(1);
            two.update(g, fitness, 8, lr);
            // The float shadow weights take the definition's update, bit for bit.
            ModelState want = state(1);
            Definition.update(want.params(), want.optimizer(), want.optimizerState(), g, fitness, 8, lr);
            assertThat(two.state().params().sha256()).isEqualTo(want.params().sha256())
                    .isNotEqualTo(state(1).params().sha256());
            // infer runs the unperturbed quantised network.
            float[] inf = two.infer(batch);
            FixedNetwork q = LoihiQuantizer.quantize(want.params(), true);
            for (int s = 0; s < batch.samples(); s++) {
                assertThat(java.util.Arrays.copyOfRange(inf, s * 5, s * 5 + 5)).containsExactly(q.spikeCounts(batch, s));
            }
        }
    }

    /**
     * Evolved neuron parameters: each member's network has its own thresholds and decays (the
     * definition's perturbed values, clamped) as per-neuron {@code vth} and {@code dv} on the
     * layer's grid; inference quantises the stored ones; the vector kernels change nothing.
     */
    @Test
    void evolvedNeuronParametersAreQuantisedPerNeuron() {
        SnnConfig net = NET.withEvolvedNeurons(true, true);
        SplittableRandom rnd = new SplittableRandom(8);
        SpikeBatch batch = Fixtures.randomBatch(rnd, 3, 9, net.inputs(), 0.3, net.outputs());
        Params p = new Params(net);
        Params base = state(5).params();
        for (int l = 0; l < net.layers(); l++) {
            System.arraycopy(base.weights(l), 0, p.weights(l), 0, base.weights(l).length);
            System.arraycopy(base.bias(l), 0, p.bias(l), 0, base.bias(l).length);
            for (int j = 0; j < net.fanOut(l); j++) {
                p.threshold(l)[j] = 0.5f + rnd.nextFloat();
                p.decay(l)[j] = j == 0 ? 1.2f : rnd.nextFloat(); // one out of range: clamped to 1
            }
        }
        ModelState st = ModelState.fresh(p, OptimizerConfig.sgd(0.1f));
        Generation g = new Generation(77, 4, EsConfig.eggroll(6, 2, 0.05f));
        try (LoihiSimBackend b = new LoihiSimBackend(2);
             LoihiSimBackend scalar = new LoihiSimBackend(1, VectorizationProvider.scalar())) {
            b.load(st);
            scalar.load(st);
            float[] out = b.evaluate(batch, g);
            assertThat(scalar.evaluate(batch, g)).containsExactly(out);
            int c = net.outputs();
            for (int member = 0; member < 6; member++) {
                FixedNetwork ref = reference(st, g, member);
                for (FixedLayer layer : ref.layers()) {
                    assertThat(layer.perNeuron()).isTrue();
                    assertThat(Arrays.stream(layer.vths()).distinct().count()).isGreaterThan(1);
                    assertThat(layer.dv(0)).as("decay clamped to 1: no leak").isEqualTo(0);
                }
                for (int s = 0; s < batch.samples(); s++) {
                    float[] got = Arrays.copyOfRange(out, (member * 3 + s) * c, (member * 3 + s + 1) * c);
                    assertThat(got).as("member %d sample %d", member, s).containsExactly(ref.spikeCounts(batch, s));
                }
            }
            FixedNetwork q = LoihiQuantizer.quantize(p, true);
            float[] inf = b.infer(batch);
            assertThat(scalar.infer(batch)).containsExactly(inf);
            for (int s = 0; s < batch.samples(); s++) {
                assertThat(Arrays.copyOfRange(inf, s * c, s * c + c)).containsExactly(q.spikeCounts(batch, s));
            }
            // The shared-value network differs: the per-neuron values act.
            try (LoihiSimBackend plain = new LoihiSimBackend(1)) {
                plain.load(state(5));
                assertThat(inf).isNotEqualTo(plain.infer(batch));
            }
        }
    }

    /**
     * The vectorised integer kernels change nothing: evaluation (low rank with r = 1, 3 and 20,
     * the last above min(m, n) = 11 of the output layer, full rank) and inference equal the
     * scalar definition's, on layer widths with vector tails.
     */
    @Test
    void theFastPathEqualsTheScalarDefinition() {
        SnnConfig net = SnnConfig.of(37, 29, 11);
        SplittableRandom rnd = new SplittableRandom(21);
        SpikeBatch batch = Fixtures.randomBatch(rnd, 3, 6, net.inputs(), 0.3, net.outputs());
        Params p = Params.init(net, 4, 2f);
        for (int l = 0; l < net.layers(); l++) {
            System.arraycopy(Fixtures.randomArray(rnd, net.fanOut(l), 0.2), 0, p.bias(l), 0, net.fanOut(l));
        }
        ModelState st = ModelState.fresh(p, OptimizerConfig.sgd(0.1f));
        try (LoihiSimBackend fast = new LoihiSimBackend(2);
             LoihiSimBackend scalar = new LoihiSimBackend(2, VectorizationProvider.scalar())) {
            assertThat(scalar.device()).contains("scalar integer ops");
            fast.load(st);
            scalar.load(st);
            for (EsConfig es : List.of(EsConfig.eggroll(6, 1, 0.05f), EsConfig.eggroll(6, 3, 0.05f),
                    EsConfig.eggroll(6, 20, 0.05f), EsConfig.fullRank(6, 0.05f))) {
                Generation g = new Generation(5, 2, es);
                float[] want = scalar.evaluate(batch, g);
                double total = 0;
                for (float x : want) {
                    total += Math.abs(x);
                }
                assertThat(total).as("the network must be active for the test to mean anything").isGreaterThan(0);
                assertThat(fast.evaluate(batch, g)).as("%s r=%d", es.mode(), es.rank()).containsExactly(want);
            }
            assertThat(fast.infer(batch)).containsExactly(scalar.infer(batch));
        }
    }
}
