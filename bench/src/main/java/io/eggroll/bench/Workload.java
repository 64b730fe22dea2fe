package io.eggroll.bench;

import io.eggroll.backend.ModelState;
import io.eggroll.snn.Params;
import io.eggroll.snn.SnnConfig;
import io.eggroll.snn.SpikeBatch;
import io.eggroll.train.TrainConfig;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One network with one generation's worth of work: N members, a batch of B samples of T binary
 * frames. The inputs are independent Bernoulli spikes at a given density.
 */
public record Workload(String name, SnnConfig net, int population, int batch, int timesteps, double density,
                       ModelState state, SpikeBatch spikes) {

    public static final int NMNIST_CLASSES = 10;

    public static Workload of(String name, SnnConfig net, int population, int batch, int timesteps, double density,
                              long seed) {
        if (!(density > 0 && density <= 1)) {
            throw new IllegalArgumentException("input spike density must lie in (0, 1], got " + density);
        }
        if (population < 2 || population % 2 != 0) {
            throw new IllegalArgumentException("population must be even and >= 2, got " + population);
        }
        if (batch < 1 || timesteps < 1) {
            throw new IllegalArgumentException("batch and timesteps must be >= 1, got batch=" + batch + ", timesteps="
                    + timesteps);
        }
        Params p = Params.init(net, seed, 1.0f);
        ModelState st = ModelState.fresh(p, new TrainConfig().optimizerConfig());
        return new Workload(name, net, population, batch, timesteps, density, st,
                randomSpikes(new SplittableRandom(seed), batch, timesteps, net.inputs(), density, net.outputs()));
    }

    /**
     * The default N-MNIST network of {@code TrainConfig.defaults("nmnist")} (2 x 34 x 34 inputs after
     * its spatial pooling, its hidden widths, 10 classes, {@code data.timesteps} frames, its batch and
     * population); a null {@code hidden} and zero sizes keep the defaults. With {@code evolveNeurons}
     * each neuron has its own evolved threshold and decay (the workload is then named
     * {@code nmnist-evolved}).
     */
    public static Workload nmnist(int[] hidden, boolean evolveNeurons, int population, int batch, int timesteps,
                                  double density, long seed) {
        TrainConfig cfg = TrainConfig.defaults("nmnist");
        if (hidden != null) {
            cfg.network.hidden = hidden.clone();
        }
        cfg.network.evolveThreshold = evolveNeurons;
        cfg.network.evolveDecay = evolveNeurons;
        int side = (34 + cfg.data.pool - 1) / cfg.data.pool;
        SnnConfig net = cfg.networkConfig(2 * side * side, NMNIST_CLASSES);
        return of(evolveNeurons ? "nmnist-evolved" : "nmnist", net,
                population > 0 ? population : cfg.es.population(), batch > 0 ? batch : cfg.batch,
                timesteps > 0 ? timesteps : cfg.data.timesteps, density, seed);
    }

    /** Bernoulli(density) frames in the CSR form backends take; labels uniform in [0, classes). */
    public static SpikeBatch randomSpikes(SplittableRandom rnd, int samples, int steps, int inputs, double density,
                                          int classes) {
        return SpikeBatch.bernoulli(rnd, samples, steps, inputs, density, classes);
    }

    /** The batch repeated {@code copies} times: plain inference over N x B member-samples. */
    public SpikeBatch replicated(int copies) {
        SpikeBatch b = spikes;
        int frames = b.samples() * b.timesteps();
        int spikesPer = b.spikeCount();
        int[] offsets = new int[copies * frames + 1];
        int[] idx = new int[Math.multiplyExact(copies, spikesPer)];
        int[] labels = new int[copies * b.samples()];
        int[] ids = new int[copies * b.samples()];
        for (int c = 0; c < copies; c++) {
            System.arraycopy(b.indices(), 0, idx, c * spikesPer, spikesPer);
            for (int f = 0; f < frames; f++) {
                offsets[c * frames + f + 1] = c * spikesPer + b.offsets()[f + 1];
            }
            for (int s = 0; s < b.samples(); s++) {
                labels[c * b.samples() + s] = b.labels()[s];
                ids[c * b.samples() + s] = c * b.samples() + s;
            }
        }
        return new SpikeBatch(copies * b.samples(), b.timesteps(), b.inputs(), offsets, idx, labels, ids);
    }

    /** Member x sample x timestep units of one generation: N B T. */
    public long memberSampleSteps() {
        return (long) population * batch * timesteps;
    }

    public String shape() {
        return Arrays.toString(net.sizes()).replace(", ", "→").replace("[", "").replace("]", "");
    }
}
