package io.eggroll.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.eggroll.backend.ModelState;
import io.eggroll.es.EsConfig;
import io.eggroll.es.EsMode;
import io.eggroll.es.Generation;
import io.eggroll.es.OptimizerConfig;
import io.eggroll.rng.NoiseKind;
import io.eggroll.simd.VectorOps;
import io.eggroll.simd.VectorizationProvider;
import io.eggroll.snn.LifNetwork;
import io.eggroll.snn.Params;
import io.eggroll.snn.Readout;
import io.eggroll.snn.SnnConfig;
import io.eggroll.snn.SpikeBatch;
import io.eggroll.testing.Fixtures;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The cpu backend with the Panama fast path against the same backend on the scalar definition
 * (one thread against two), on fresh random networks, ranks and inputs: evaluation, inference and
 * the update must give the same bits. Inference is also checked against {@link LifNetwork}.
 */
class CpuFastPathTest {

    private static VectorOps fastOps() {
        String[] why = new String[1];
        VectorOps ops = VectorizationProvider.panama(why);
        if (ops == null && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true but the Panama implementation is unavailable: " + why[0]);
        }
        return ops;
    }

    @Property(tries = 25)
    void fastPathGivesTheDefinitionsBits(@ForAll @IntRange(min = 1, max = 3) int layers,
                                         @ForAll @IntRange(min = 1, max = 24) int rank, @ForAll boolean fullRank,
                                         @ForAll boolean membrane, @ForAll boolean biasNoise, @ForAll long seed) {
        VectorOps fast = fastOps();
        assumeThat(fast).isNotNull();
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] sizes = new int[layers + 1];
        for (int l = 0; l <= layers; l++) {
            sizes[l] = 1 + rnd.nextInt(l == 0 ? 90 : 70);
        }
        SnnConfig net = new SnnConfig(sizes, 1f, 0.9f, membrane ? Readout.MEMBRANE : Readout.SPIKE_COUNT);
        Params p = Params.init(net, rnd.nextLong(), 2.5f);
        for (int l = 0; l < layers; l++) {
            float[] b = p.bias(l);
            for (int j = 0; j < b.length; j++) {
                b[j] = (float) (rnd.nextDouble() * 0.3);
            }
        }
        int population = 2 * (1 + rnd.nextInt(6));
        // Any rank, above min(m, n) of a layer too (widths start at 1): A is m x r, B is n x r.
        EsConfig es = EsConfig.eggroll(population, rank, 0.1f)
                .withMode(fullRank ? EsMode.FULL_RANK : EsMode.EGGROLL)
                .withNoise(rnd.nextBoolean() ? NoiseKind.GAUSSIAN : NoiseKind.RADEMACHER);
        if (!biasNoise) {
            es = new EsConfig(es.mode(), es.population(), es.rank(), es.sigma(), es.noise(), es.shaping(),
                    es.fitness(), es.temperature(), false);
        }
        Generation g = new Generation(rnd.nextLong(), rnd.nextInt(1000), es);
        SpikeBatch batch = Fixtures.randomBatch(rnd, 1 + rnd.nextInt(4), 1 + rnd.nextInt(10), sizes[0],
                0.05 + rnd.nextDouble() * 0.4, sizes[layers]);
        float[] shaped = new float[population];
        for (int i = 0; i < population; i++) {
            shaped[i] = rnd.nextInt(5) == 0 ? 0f : (float) rnd.nextGaussian();
        }
        ModelState st = ModelState.fresh(p, OptimizerConfig.sgd(0.05f));
        try (CpuBackend ref = new CpuBackend(1, VectorizationProvider.scalar());
             CpuBackend got = new CpuBackend(2, fast)) {
            ref.load(st);
            got.load(st);
            assertThat(got.evaluate(batch, g)).isEqualTo(ref.evaluate(batch, g));
            float[] inferred = got.infer(batch);
            assertThat(inferred).isEqualTo(ref.infer(batch));
            float[][] w = new float[layers][];
            float[][] b = new float[layers][];
            for (int l = 0; l < layers; l++) {
                w[l] = p.weights(l);
                b[l] = p.bias(l);
            }
            int c = sizes[layers];
            for (int s = 0; s < batch.samples(); s++) {
                assertThat(java.util.Arrays.copyOfRange(inferred, s * c, (s + 1) * c))
                        .isEqualTo(LifNetwork.forward(net, w, b, batch, s));
            }
            ref.update(g, shaped, population, 0.05f);
            got.update(g, shaped, population, 0.05f);
            ModelState a = ref.state();
            ModelState z = got.state();
            for (int i = 0; i < a.params().tensors().length; i++) {
                assertThat(z.params().tensors()[i]).as("tensor %d after the update", i)
                        .isEqualTo(a.params().tensors()[i]);
            }
        }
    }
}
