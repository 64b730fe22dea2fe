package io.eggroll.api;

import io.eggroll.backend.Backend;
import io.eggroll.backend.BackendOptions;
import io.eggroll.backend.Backends;
import io.eggroll.backend.ModelState;
import io.eggroll.data.SpikeDataset;
import io.eggroll.es.EsConfig;
import io.eggroll.es.OptimizerConfig;
import io.eggroll.snn.Params;
import io.eggroll.snn.SnnConfig;
import io.eggroll.train.GenerationStats;
import io.eggroll.train.PopulationEvaluator;
import io.eggroll.train.RunDirectory;
import io.eggroll.train.TaskData;
import io.eggroll.train.Tasks;
import io.eggroll.train.TrainConfig;
import io.eggroll.train.TrainListener;
import io.eggroll.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A training run, built fluently. {@link #run} drives the engine's training loop
 * ({@link Trainer}: minibatch fitness of every member through a {@link PopulationEvaluator}, the
 * shared ES update, periodic accuracy on the validation split, metrics and checkpoints when there is a run
 * directory) and returns the {@link TrainedNetwork}. The {@code eggroll train} command builds its
 * runs here too.
 *
 * <pre>{@code
 * TrainedNetwork net = Training.builder()
 *         .data(train, validation)                            // any SpikeDataset, or .task("synthetic")
 *         .network(NetworkSpec.dense(128).readout(Readout.MEMBRANE))
 *         .es(EsConfig.eggroll(512, 1, 0.02f))
 *         .optimizer(OptimizerConfig.adam(0.006f))
 *         .generations(2000).batch(64)
 *         .backend("cpu").threads(4)
 *         .build()
 *         .run(stats -> System.out.println(stats.toJson()));
 * }</pre>
 *
 * <p>Everything it holds is a {@link TrainConfig} (the same object as a config file), so a
 * builder can start from one ({@link Builder#config}) and {@link #config()} gives what a run
 * directory's {@code config.json} holds.
 */
public final class Training {

    private final TrainConfig cfg;
    private final NetworkSpec spec;
    private final SnnConfig network;
    private final SpikeDataset train;
    private final SpikeDataset validation;
    private final SpikeDataset test;
    private final Backend givenBackend;
    private final BackendOptions backendOptions;
    private final RunDirectory run;
    private final boolean lockRun;
    private final ModelState startState;
    private final int startGeneration;
    private final double elapsedBefore;
    private final Function<Backend, PopulationEvaluator> evaluator;
    private final List<TrainListener> listeners = new ArrayList<>();
    private final Object lock = new Object();
    private Trainer trainer;
    private boolean stopRequested;
    private boolean ran;

    private Training(Builder b, SnnConfig network, TaskData data, RunDirectory run, ModelState start) {
        this.cfg = b.cfg;
        this.spec = b.spec;
        this.network = network;
        this.train = data.train();
        this.validation = data.validation();
        this.test = data.test();
        this.givenBackend = b.backend;
        this.backendOptions = b.backendOptions != null ? b.backendOptions
                : new BackendOptions(cfg.resolvedThreads(), cfg.device, null);
        this.run = run;
        this.lockRun = b.runDir != null;
        this.startState = start;
        this.startGeneration = b.startGeneration;
        this.elapsedBefore = b.elapsedBefore;
        this.evaluator = b.evaluator;
    }

    /** A builder starting from the synthetic task's defaults ({@code TrainConfig}'s field values). */
    public static Builder builder() {
        return new Builder();
    }

    /** A listener of each generation's statistics (its metrics.jsonl line), e.g. a lambda. */
    @FunctionalInterface
    public interface StatsListener extends TrainListener {
        /** After each generation. */
        void stats(GenerationStats stats);

        @Override
        default void onStats(GenerationStats stats, int totalGenerations) {
            stats(stats);
        }
    }

    /** Adds a listener to the run (before {@link #run}). */
    public Training listen(TrainListener l) {
        synchronized (lock) {
            listeners.add(l);
        }
        return this;
    }

    /** {@link #run(TrainListener...)} with one listener of the generations' statistics, e.g. a lambda. */
    public TrainedNetwork run(StatsListener listener) {
        return run(new TrainListener[] {listener});
    }

    /**
     * Runs the training loop from the start (generation 0 with the seeded initial weights, or where
     * {@link Builder#startFrom} says) to the configured generations, and returns the network. A
     * backend given by name is created for the run and closed after it. Runs once.
     *
     * @param extra listeners for this run, besides those added with {@link #listen}
     */
    public TrainedNetwork run(TrainListener... extra) {
        Trainer t;
        synchronized (lock) {
            if (ran) {
                throw new IllegalStateException("this training has run; build another");
            }
            ran = true;
        }
        Backend b = givenBackend != null ? givenBackend : Backends.create(cfg.resolvedBackend(), backendOptions);
        try (RunDirectory.Lock held = lockRun ? RunDirectory.lock(run.root()) : null) {
            synchronized (lock) {
                t = evaluator == null ? new Trainer(cfg, train, validation, b, run)
                        : new Trainer(cfg, train, validation, b, run, evaluator.apply(b));
                listeners.forEach(t::listen);
                for (TrainListener l : extra) {
                    t.listen(l);
                }
                trainer = t;
                if (stopRequested) {
                    t.requestStop();
                }
            }
            Trainer.Result r = t.run(startState, startGeneration, elapsedBefore);
            return new TrainedNetwork(spec, r.state().params(), r.generations(), r.seconds(), r.validationAccuracy(),
                    t.stopped());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (givenBackend == null) {
                b.close();
            }
        }
    }

    /**
     * Asks the run to stop after the generation in flight (any thread may call it, e.g. a shutdown
     * hook); with a run directory its checkpoint is written first. {@link TrainedNetwork#stoppedEarly()} tells.
     */
    public void requestStop() {
        synchronized (lock) {
            stopRequested = true;
            if (trainer != null) {
                trainer.requestStop();
            }
        }
    }

    /** Whether the run stopped early on {@link #requestStop()}. */
    public boolean stopped() {
        synchronized (lock) {
            return trainer != null && trainer.stopped();
        }
    }

    /** The run's configuration (a copy). */
    public TrainConfig config() {
        return cfg.copy();
    }

    /** The network's shape. */
    public SnnConfig network() {
        return network;
    }

    /** The network spec, whose names address the weight matrices. */
    public NetworkSpec spec() {
        return spec;
    }

    /** The training split. */
    public SpikeDataset trainData() {
        return train;
    }

    /** The validation split, which the periodic accuracy checks during training use. */
    public SpikeDataset validationData() {
        return validation;
    }

    /**
     * The test split, for the final score only (training never looks at it); null when
     * {@link Builder#data(SpikeDataset, SpikeDataset)} gave none.
     */
    public SpikeDataset testData() {
        return test;
    }

    /** The run directory, or null when nothing is written. */
    public RunDirectory runDirectory() {
        return run;
    }

    /** Settings of a {@link Training}. Each setter changes one field of the underlying {@link TrainConfig}. */
    public static final class Builder {
        private TrainConfig cfg = new TrainConfig();
        private NetworkSpec spec;
        private SpikeDataset train;
        private SpikeDataset validation;
        private SpikeDataset test;
        private Backend backend;
        private BackendOptions backendOptions;
        private Path runDir;
        private boolean overwrite;
        private RunDirectory run;
        private ModelState startState;
        private int startGeneration;
        private double elapsedBefore;
        private Function<Backend, PopulationEvaluator> evaluator;
        private PrintStream progress;

        private Builder() {}

        /** Every setting from a training config (a copy; later setters change the copy). */
        public Builder config(TrainConfig c) {
            this.cfg = c.copy();
            this.spec = null;
            return this;
        }

        /**
         * Changes any field of the underlying config, e.g. the synthetic task's sizes or the data
         * limits: {@code configure(c -> c.data.limitTrain = 1000)}.
         */
        public Builder configure(Consumer<TrainConfig> edit) {
            edit.accept(cfg);
            return this;
        }

        /** A built-in task by name ({@code synthetic}, {@code nmnist}, ...), loaded at {@link #build}. */
        public Builder task(String name) {
            cfg.task = name;
            return this;
        }

        /** The task's data directory (e.g. N-MNIST's {@code Train/} and {@code Test/}). */
        public Builder dataDir(Path dir) {
            cfg.data.dir = dir == null ? null : dir.toString();
            return this;
        }

        /** Where converted data and binned caches go (default {@code data}). */
        public Builder workDir(Path dir) {
            cfg.data.workDir = dir.toString();
            return this;
        }

        /**
         * Your own data: the training split (minibatches) and the validation split (the periodic
         * accuracy checks), without a test split.
         */
        public Builder data(SpikeDataset trainSplit, SpikeDataset validationSplit) {
            return data(trainSplit, validationSplit, null);
        }

        /** Your own data: training, validation and test splits (the test split only for {@link Training#testData()}). */
        public Builder data(SpikeDataset trainSplit, SpikeDataset validationSplit, SpikeDataset testSplit) {
            this.train = trainSplit;
            this.validation = validationSplit;
            this.test = testSplit;
            return this;
        }

        /** The network: hidden layers, LIF parameters, readout, initial weight scale. */
        public Builder network(NetworkSpec s) {
            s.applyTo(cfg.network);
            this.spec = s;
            return this;
        }

        /** The ES settings: mode, population, rank, sigma, noise, shaping, fitness. */
        public Builder es(EsConfig e) {
            cfg.es = e;
            return this;
        }

        /** The optimizer; a decay with {@code decaySteps} 0 decays over the run's generations. */
        public Builder optimizer(OptimizerConfig o) {
            cfg.optimizer = o;
            return this;
        }

        /** The number of generations. */
        public Builder generations(int n) {
            cfg.generations = n;
            return this;
        }

        /** Training samples a generation (shared by every member). */
        public Builder batch(int n) {
            cfg.batch = n;
            return this;
        }

        /** The run seed: keys the noise, the minibatches and the initial weights. */
        public Builder seed(long s) {
            cfg.seed = s;
            return this;
        }

        /** Held-out accuracy every {@code n} generations (and after the last). */
        public Builder evalEvery(int n) {
            cfg.evalEvery = n;
            return this;
        }

        /** Held-out samples the periodic accuracy uses (0 = all). */
        public Builder evalSamples(int n) {
            cfg.evalSamples = n;
            return this;
        }

        /** A checkpoint every {@code n} generations (with a run directory). */
        public Builder checkpointEvery(int n) {
            cfg.checkpointEvery = n;
            return this;
        }

        /** The backend by name ({@code cpu}, {@code opencl}, ...; see {@link Backends}). */
        public Builder backend(String name) {
            cfg.backend = name;
            this.backend = null;
            return this;
        }

        /** Worker threads of the backend (0 = all processors). */
        public Builder threads(int n) {
            cfg.threads = n;
            return this;
        }

        /** The backend's device (an index or a name substring). */
        public Builder device(String d) {
            cfg.device = d;
            return this;
        }

        /** Options of a backend created by name (threads, device, program binary). */
        public Builder backendOptions(BackendOptions o) {
            this.backendOptions = o;
            return this;
        }

        /** A backend you created and close yourself (its name should be the config's {@code backend}). */
        public Builder backend(Backend b) {
            this.backend = b;
            return this;
        }

        /**
         * Writes a run directory at {@code dir} (config.json, metrics.jsonl, checkpoints), created
         * at {@link #build}; {@code overwrite} replaces an existing run there.
         */
        public Builder runDirectory(Path dir, boolean overwrite) {
            this.runDir = dir;
            this.overwrite = overwrite;
            this.run = null;
            return this;
        }

        /** An existing run directory, locked by the caller (the CLI's way). */
        public Builder runDirectory(RunDirectory r) {
            this.run = r;
            this.runDir = null;
            return this;
        }

        /**
         * Starts from {@code state} before generation {@code generation}, {@code elapsedSeconds}
         * already spent (a resume from a checkpoint).
         */
        public Builder startFrom(ModelState state, int generation, double elapsedSeconds) {
            this.startState = state;
            this.startGeneration = generation;
            this.elapsedBefore = elapsedSeconds;
            return this;
        }

        /**
         * Where the population's fitness comes from, given the run's backend (e.g. a cluster's
         * workers); by default this process's backend ({@link io.eggroll.train.LocalEvaluator}).
         */
        public Builder evaluator(Function<Backend, PopulationEvaluator> e) {
            this.evaluator = e;
            return this;
        }

        /** Where a task's data preparation prints its progress and warnings (default: nowhere). */
        public Builder progress(PrintStream out) {
            this.progress = out;
            return this;
        }

        /**
         * Checks the settings, loads the task's data (unless given), creates the run directory (if
         * asked) and the initial weights. The backend is created when the run starts.
         */
        public Training build() {
            cfg.validate();
            // Without a NetworkSpec the config's network object is the network, resolved as the
            // CLI always has (dense or conv layers, evolved neurons) and named hidden0, ..., output.
            boolean fromConfig = spec == null;
            if ((train == null) != (validation == null)) {
                throw new IllegalArgumentException("give the training and the validation split: data(train, validation)");
            }
            TaskData data = train != null ? new TaskData(train, validation, test) : Tasks.load(cfg, progress);
            SnnConfig net = fromConfig ? cfg.networkConfig(data.train().inputs(), data.train().classes())
                    : spec.resolve(data.train().inputs(), data.train().classes());
            if (fromConfig) {
                spec = NetworkSpec.naming(net);
            }
            cfg.esConfig().validateFor(net);
            ModelState start = startState != null ? startState
                    : ModelState.fresh(Params.init(net, cfg.seed, cfg.network.initGain), cfg.optimizerConfig());
            RunDirectory dir = run != null ? run : runDir != null ? RunDirectory.create(runDir, cfg, overwrite) : null;
            return new Training(this, net, data, dir, start);
        }
    }
}
