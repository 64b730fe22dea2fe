package io.eggroll.api;

import io.eggroll.backend.Backend;
import io.eggroll.backend.BackendOptions;
import io.eggroll.backend.Backends;
import io.eggroll.backend.ModelState;
import io.eggroll.es.EsConfig;
import io.eggroll.es.Generation;
import io.eggroll.es.LrDecay;
import io.eggroll.es.OptimizerConfig;
import io.eggroll.snn.Params;
import io.eggroll.snn.SnnConfig;
import io.eggroll.train.EsUpdate;

/**
 * Evolution strategies driven by you: {@link #ask()} gives a generation's members as keys, you
 * score each with your own objective, and {@link #tell(float[])} applies the update, through the
 * same code as the training loop ({@link EsUpdate}: fitness shaping, exclusion of non-finite
 * pairs, the optimizer step on the backend). The perturbed weight matrices are never formed.
 *
 * <pre>{@code
 * try (AskTell es = AskTell.builder()
 *         .network(NetworkSpec.dense(16)).inputs(24).outputs(2)
 *         .es(EsConfig.eggroll(32, 1, 0.1f)).optimizer(OptimizerConfig.adam(0.05f))
 *         .build()) {
 *     for (int gen = 0; gen < 50; gen++) {
 *         Population pop = es.ask();
 *         float[] fitness = new float[pop.size()];
 *         for (Member m : pop) {
 *             fitness[m.index()] = myObjective(pop.forward(m));   // MemberForward: spikes -> scores
 *         }
 *         es.tell(fitness);
 *     }
 *     TrainedNetwork best = es.network();
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one thread asks and tells; the {@link MemberForward}s of a population may
 * run on many threads.
 */
public final class AskTell implements AutoCloseable {

    private final NetworkSpec spec;
    private final SnnConfig config;
    private final EsConfig es;
    private final OptimizerConfig optimizer;
    private final long seed;
    private final Backend backend;
    private final boolean ownsBackend;
    private final EsUpdate.Exclusions exclusions;
    private int generation;
    private long step;
    private Population current;
    private Params params;

    private AskTell(Builder b, SnnConfig config, ModelState start, Backend backend, boolean owns) {
        this.spec = b.spec;
        this.config = config;
        this.es = b.es;
        this.optimizer = start.optimizer();
        this.step = start.optimizerState().step();
        this.seed = b.seed;
        this.backend = backend;
        this.ownsBackend = owns;
        this.exclusions = b.exclusions;
    }

    /** A builder with the defaults: no hidden layer, EGGROLL N = 64, r = 1, sigma = 0.05, Adam 0.02, seed 1, cpu. */
    public static Builder builder() {
        return new Builder();
    }

    /** The members of the current generation (the same until {@link #tell}). */
    public Population ask() {
        if (current == null) {
            current = new Population(this, new Generation(seed, generation, es));
        }
        return current;
    }

    /**
     * Applies the update from the current generation's fitness, one value per member in member
     * order (higher is better). A NaN or infinite fitness leaves its antithetic pair out of the
     * update. Then the next {@link #ask()} gives the next generation.
     *
     * @throws IllegalStateException when every fitness is NaN or infinite
     */
    public Told tell(float[] fitness) {
        Population pop = ask();
        EsUpdate.Applied a = EsUpdate.apply(backend, pop.key(), fitness.clone(), optimizer, step, exclusions);
        step = a.step();
        generation++;
        current = null;
        synchronized (this) {
            params = null;
        }
        return new Told(pop.generation(), a.learningRate(), a.shaped().effectivePopulation(), a.shaped().excluded());
    }

    /**
     * What a {@link #tell} did.
     *
     * @param generation          the generation updated
     * @param learningRate        the step's learning rate
     * @param effectivePopulation the members that took part
     * @param excluded            the members left out (a non-finite fitness, or their pair's)
     */
    public record Told(int generation, float learningRate, int effectivePopulation, int[] excluded) {}

    /** The network at the centre of the search now (after the updates told so far). */
    public TrainedNetwork network() {
        return new TrainedNetwork(spec, params(), generation, Double.NaN, Double.NaN, false);
    }

    /** The index of the current generation (the number of updates told so far). */
    public int generation() {
        return generation;
    }

    /** The engine's network shape. */
    public SnnConfig config() {
        return config;
    }

    /** The network spec, whose names address the weight matrices. */
    public NetworkSpec spec() {
        return spec;
    }

    /** The ES settings. */
    public EsConfig es() {
        return es;
    }

    /** The resident state: weights and optimizer buffers (a copy), e.g. to save and resume. */
    public ModelState state() {
        return backend.state();
    }

    /** Releases the backend, when this object created it. */
    @Override
    public void close() {
        if (ownsBackend) {
            backend.close();
        }
    }

    Backend backend() {
        return backend;
    }

    /** The centre weights, read from the backend once a generation (members' forwards may ask from many threads). */
    synchronized Params params() {
        if (params == null) {
            params = backend.state().params();
        }
        return params;
    }

    void checkCurrent(Population p) {
        if (p != current) {
            throw new IllegalStateException("generation " + p.generation() + " was told; ask() for generation "
                    + generation);
        }
    }

    /** Settings of an {@link AskTell}. */
    public static final class Builder {
        private NetworkSpec spec = NetworkSpec.empty();
        private int inputs;
        private int outputs;
        private EsConfig es = EsConfig.eggroll(64, 1, 0.05f);
        private OptimizerConfig optimizer = OptimizerConfig.adam(0.02f);
        private long seed = 1;
        private String backendName = "cpu";
        private BackendOptions options = new BackendOptions(1, null, null);
        private Backend backend;
        private ModelState initial;
        private EsUpdate.Exclusions exclusions = (g, m, f) -> { };

        private Builder() {}

        /** The hidden layers, LIF parameters, readout and initial weight scale. */
        public Builder network(NetworkSpec s) {
            this.spec = s;
            return this;
        }

        /** The number of input channels. */
        public Builder inputs(int n) {
            this.inputs = n;
            return this;
        }

        /** The number of outputs (scores). */
        public Builder outputs(int n) {
            this.outputs = n;
            return this;
        }

        /** Population, rank, sigma, noise, shaping ({@link EsConfig}; its fitness and temperature are unused). */
        public Builder es(EsConfig e) {
            this.es = e;
            return this;
        }

        /** The optimizer; a decaying learning rate needs its {@code decaySteps}. */
        public Builder optimizer(OptimizerConfig o) {
            this.optimizer = o;
            return this;
        }

        /** The seed of the noise and of the initial weights. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** The backend by name ({@code cpu} by default; see {@link Backends}) and its threads. */
        public Builder backend(String name, int threads) {
            this.backendName = name;
            this.options = new BackendOptions(threads, null, null);
            this.backend = null;
            return this;
        }

        /** A backend you created and close yourself. */
        public Builder backend(Backend b) {
            this.backend = b;
            return this;
        }

        /**
         * Starts from these weights, optimizer settings and buffers instead of the seeded initial
         * weights (the generations still count from 0: give another seed to draw fresh noise).
         */
        public Builder initial(ModelState state) {
            this.initial = state;
            return this;
        }

        /** Told about each member whose fitness is NaN or infinite (by default nothing is). */
        public Builder onExcluded(EsUpdate.Exclusions e) {
            this.exclusions = e;
            return this;
        }

        /** Checks the settings, creates the backend (unless given) and loads the initial weights. */
        public AskTell build() {
            if (optimizer.decay() != LrDecay.CONSTANT && optimizer.decaySteps() < 1) {
                throw new IllegalArgumentException("a " + optimizer.decay() + " learning rate needs "
                        + "optimizer.decaySteps >= 1 under ask/tell (there is no run length to take it from)");
            }
            if (inputs < 1 || outputs < 1) {
                throw new IllegalArgumentException("give the number of inputs and outputs (>= 1), got " + inputs
                        + " and " + outputs);
            }
            SnnConfig config = spec.resolve(inputs, outputs);
            es.validateFor(config);
            ModelState start = initial != null ? initial
                    : ModelState.fresh(Params.init(config, seed, spec.initGain()), optimizer);
            if (!start.network().equals(config)) {
                throw new IllegalArgumentException("the initial state is a " + start.network() + ", the spec gives "
                        + config);
            }
            boolean owns = backend == null;
            Backend b = owns ? Backends.create(backendName, options) : backend;
            try {
                b.load(start);
            } catch (RuntimeException e) {
                if (owns) {
                    b.close();
                }
                throw e;
            }
            return new AskTell(this, config, start, b, owns);
        }
    }
}
