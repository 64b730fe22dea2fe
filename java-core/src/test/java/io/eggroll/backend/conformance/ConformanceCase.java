package io.eggroll.backend.conformance;

import io.eggroll.backend.ModelState;
import io.eggroll.es.EsConfig;
import io.eggroll.es.EsMode;
import io.eggroll.es.FitnessKind;
import io.eggroll.es.Generation;
import io.eggroll.es.OptimizerConfig;
import io.eggroll.es.OptimizerKind;
import io.eggroll.es.Shaping;
import io.eggroll.rng.NoiseKind;
import io.eggroll.snn.Params;
import io.eggroll.snn.Readout;
import io.eggroll.snn.SnnConfig;
import io.eggroll.snn.SpikeBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One fresh random conformance input: a network with random shape, weights and neuron
 * parameters, a random binary spike batch, and random ES and optimizer settings. Everything is a
 * function of {@link #seed}, which failure messages print so a case can be replayed.
 *
 * <p>Weights are scaled so that every layer spikes at a moderate rate (neither silent nor
 * saturated): a conformance check on a network that never spikes would prove nothing.
 */
public record ConformanceCase(long seed, ModelState state, SpikeBatch batch, Generation generation) {

    /**
     * A random case; {@code maxWidth} bounds every layer width (inputs included). The
     * {@code variant} pins the features every run must cover, so that consecutive variants
     * include them all whatever the seed: variant % 3 selects EGGROLL Gaussian, full rank, or
     * EGGROLL Rademacher; even variants have two or three layers; variant % 4 == 1 uses the
     * membrane readout.
     */
    public static ConformanceCase random(long seed, int maxWidth, int variant) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int layers = variant % 2 == 0 ? 2 + rnd.nextInt(2) : 1 + rnd.nextInt(3);
        int[] sizes = new int[layers + 1];
        sizes[0] = 8 + rnd.nextInt(Math.max(1, maxWidth - 8));
        for (int l = 1; l < layers; l++) {
            sizes[l] = 4 + rnd.nextInt(Math.max(1, maxWidth - 4));
        }
        sizes[layers] = 2 + rnd.nextInt(9);
        Readout readout = variant % 4 == 1 ? Readout.MEMBRANE : Readout.SPIKE_COUNT;
        return build(seed, rnd, sizes, readout, variant % 3 == 1 ? EsMode.FULL_RANK : EsMode.EGGROLL, 0, variant);
    }

    /**
     * A random case on the network {@code sizes} with EGGROLL at rank {@code rank}, which may
     * exceed min(m, n) of any layer; {@code variant} picks the readout and the noise as for
     * {@link #random}.
     */
    public static ConformanceCase withRank(long seed, int[] sizes, int rank, int variant) {
        Readout readout = variant % 4 == 1 ? Readout.MEMBRANE : Readout.SPIKE_COUNT;
        return build(seed, new SplittableRandom(seed), sizes.clone(), readout, EsMode.EGGROLL, rank, variant);
    }

    /** The rest of a case after its shape: its neuron parameters, then as for a given network. */
    private static ConformanceCase build(long seed, SplittableRandom rnd, int[] sizes, Readout readout, EsMode mode,
                                         int fixedRank, int variant) {
        int layers = sizes.length - 1;
        float threshold = 0.5f + rnd.nextFloat();
        float decay = 0.5f + 0.5f * rnd.nextFloat();
        SnnConfig net = new SnnConfig(sizes, threshold, decay, readout);
        return build(seed, rnd, net, mode, fixedRank, variant);
    }

    /**
     * A random network with one or two (variant / 2 odd) convolutional layers ('valid' padding, strides 1 to 3) on
     * a 1- or 2-channel input of 5 to 12 pixels a side, then zero or one dense hidden layer and the
     * dense output; otherwise as {@link #random}.
     */
    public static ConformanceCase randomConv(long seed, int variant) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] shape = {1 + rnd.nextInt(2), 5 + rnd.nextInt(8), 5 + rnd.nextInt(8)};
        int convs = 1 + (variant / 2) % 2;
        int[][] conv = new int[convs][];
        int h = shape[1];
        int w = shape[2];
        for (int i = 0; i < convs; i++) {
            int k = 1 + rnd.nextInt(Math.min(4, Math.min(h, w)));
            int stride = 1 + rnd.nextInt(3);
            conv[i] = new int[] {k, 2 + rnd.nextInt(5), stride};
            h = (h - k) / stride + 1;
            w = (w - k) / stride + 1;
        }
        int[] dense = variant % 2 == 0 ? new int[] {4 + rnd.nextInt(12), 2 + rnd.nextInt(5)}
                : new int[] {2 + rnd.nextInt(5)};
        Readout readout = variant % 4 == 1 ? Readout.MEMBRANE : Readout.SPIKE_COUNT;
        SnnConfig net = SnnConfig.convolutional(shape, conv, dense, 0.5f + rnd.nextFloat(), 0.5f + 0.5f * rnd.nextFloat(),
                readout);
        return build(seed, rnd, net, variant % 3 == 1 ? EsMode.FULL_RANK : EsMode.EGGROLL, 0, variant);
    }

    /** The rest of a case after its network; {@code fixedRank} 0 draws a rank of at most min(m, n) and 6. */
    private static ConformanceCase build(long seed, SplittableRandom rnd, SnnConfig net, EsMode mode, int fixedRank,
                                         int variant) {
        int layers = net.layers();
        int[] sizes = net.sizes();
        float threshold = net.threshold();
        float decay = net.decay();
        int minWidth = Arrays.stream(sizes).min().orElseThrow();
        for (int l = 0; l < layers; l++) {
            minWidth = Math.min(minWidth, Math.min(net.fanIn(l), net.fanOut(l)));
        }
        int drawn = 1 + rnd.nextInt(Math.min(minWidth, 6));
        int rank = fixedRank > 0 ? fixedRank : drawn;
        int population = 2 * (2 + rnd.nextInt(10));
        float sigma = 0.05f + 0.3f * rnd.nextFloat();
        NoiseKind noise = variant % 3 == 2 || (variant % 3 == 1 && rnd.nextBoolean()) ? NoiseKind.RADEMACHER
                : NoiseKind.GAUSSIAN;
        EsConfig es = new EsConfig(mode, population, rank, sigma, noise, Shaping.CENTERED_RANKS,
                FitnessKind.NEG_CROSS_ENTROPY, 0.5f + rnd.nextFloat() * 2, rnd.nextInt(4) != 0);

        int steps = 3 + rnd.nextInt(10);
        int samples = 2 + rnd.nextInt(6);
        double density = 0.05 + 0.3 * rnd.nextDouble();
        SpikeBatch batch = randomBatch(rnd, samples, steps, sizes[0], net.outputs(), density);

        // Mean input current per step ~ density * fan-in * mean weight: aim near the threshold.
        Params params = new Params(net);
        double rate = density;
        for (int l = 0; l < layers; l++) {
            int m = net.fanIn(l);
            double scale = threshold * (1.0 - decay + 0.3) / Math.max(1.0, rate * m);
            float[] w = params.weights(l);
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (scale * (rnd.nextDouble() * 4 - 1.2));
            }
            float[] b = params.bias(l);
            for (int j = 0; j < b.length; j++) {
                b[j] = (float) (0.1 * threshold * rnd.nextGaussian());
            }
            rate = 0.2;
        }
        OptimizerConfig opt = switch (rnd.nextInt(3)) {
            case 0 -> OptimizerConfig.sgd(0.05f + rnd.nextFloat() * 0.2f);
            case 1 -> new OptimizerConfig(OptimizerKind.SGD, 0.1f, 0.9f, 0.9f, 0.999f, 1e-8f, 1e-3f);
            default -> new OptimizerConfig(OptimizerKind.ADAM, 0.01f, 0f, 0.9f, 0.999f, 1e-8f, rnd.nextInt(2) * 1e-3f);
        };
        Generation g = new Generation(rnd.nextLong(), rnd.nextInt(1000), es);
        return new ConformanceCase(seed, ModelState.fresh(params, opt), batch, g);
    }

    /**
     * This case with evolved thresholds and/or decays ({@link io.eggroll.snn.Neurons}): the same
     * weights and biases, each neuron's threshold and decay drawn around the shared values, a few
     * outside their valid range so that the forward pass's clamping is exercised; a fresh optimizer.
     */
    public ConformanceCase withEvolvedNeurons(boolean threshold, boolean decay) {
        SnnConfig net = state.network().withEvolvedNeurons(threshold, decay);
        Params old = state.params();
        Params p = new Params(net);
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x6E6575726F6E73L);
        for (int l = 0; l < net.layers(); l++) {
            System.arraycopy(old.weights(l), 0, p.weights(l), 0, old.weights(l).length);
            System.arraycopy(old.bias(l), 0, p.bias(l), 0, old.bias(l).length);
            for (int j = 0; j < net.fanOut(l); j++) {
                if (threshold) {
                    p.threshold(l)[j] = rnd.nextInt(16) == 0 ? -0.1f : net.threshold() * (0.6f + 0.8f * rnd.nextFloat());
                }
                if (decay) {
                    p.decay(l)[j] = rnd.nextInt(16) == 0 ? 1.05f : rnd.nextInt(16) == 0 ? -0.05f : rnd.nextFloat();
                }
            }
        }
        return new ConformanceCase(seed, ModelState.fresh(p, state.optimizer()), batch, generation);
    }

    /** A batch of independent Bernoulli(density) input frames with random labels. */
    public static SpikeBatch randomBatch(SplittableRandom rnd, int samples, int steps, int inputs, int classes,
                                         double density) {
        int[] offsets = new int[samples * steps + 1];
        List<Integer> idx = new ArrayList<>();
        for (int f = 0; f < samples * steps; f++) {
            for (int i = 0; i < inputs; i++) {
                if (rnd.nextDouble() < density) {
                    idx.add(i);
                }
            }
            offsets[f + 1] = idx.size();
        }
        int[] labels = new int[samples];
        int[] ids = new int[samples];
        for (int s = 0; s < samples; s++) {
            labels[s] = rnd.nextInt(classes);
            ids[s] = s;
        }
        return new SpikeBatch(samples, steps, inputs, offsets, idx.stream().mapToInt(Integer::intValue).toArray(),
                labels, ids);
    }

    /** Random shaped fitness in [-0.5, 0.5] with a few zero pairs (pairs excluded or tied). */
    public float[] randomShapedFitness() {
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        int n = generation.es().population();
        float[] f = new float[n];
        for (int i = 0; i < n; i += 2) {
            if (rnd.nextInt(5) == 0) {
                continue;
            }
            f[i] = (float) (rnd.nextDouble() - 0.5);
            f[i + 1] = (float) (rnd.nextDouble() - 0.5);
        }
        return f;
    }

    @Override
    public String toString() {
        EsConfig es = generation.es();
        return "case seed=" + seed + " net=" + state.network() + " es=" + es.mode() + "/N=" + es.population() + "/r="
                + es.rank() + "/" + es.noise() + "/biasNoise=" + es.biasNoise() + " batch=" + batch.samples() + "x"
                + batch.timesteps() + " optimizer=" + state.optimizer().kind();
    }
}
