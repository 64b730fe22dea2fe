package io.eggroll.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eggroll.api.TrainedNetwork;
import io.eggroll.api.Training;
import io.eggroll.backend.Backend;
import io.eggroll.backend.BackendOptions;
import io.eggroll.backend.BackendUnavailableException;
import io.eggroll.backend.Backends;
import io.eggroll.backend.ModelState;
import io.eggroll.data.SpikeDataset;
import io.eggroll.es.EsMode;
import io.eggroll.es.FitnessKind;
import io.eggroll.es.LrDecay;
import io.eggroll.es.OptimizerConfig;
import io.eggroll.es.OptimizerKind;
import io.eggroll.es.Shaping;
import io.eggroll.plot.RunCharts;
import io.eggroll.rng.NoiseKind;
import io.eggroll.snn.Params;
import io.eggroll.snn.Readout;
import io.eggroll.snn.SnnConfig;
import io.eggroll.train.Checkpoint;
import io.eggroll.train.Evaluation;
import io.eggroll.train.Footprint;
import io.eggroll.train.LocalEvaluator;
import io.eggroll.train.PopulationEvaluator;
import io.eggroll.train.Progress;
import io.eggroll.train.RunDirectory;
import io.eggroll.train.TaskData;
import io.eggroll.train.Tasks;
import io.eggroll.train.TrainConfig;
import io.eggroll.train.TrainListenerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eggroll train}: runs ES training into {@code runs/<name>/}. */
@Command(name = "train", sortOptions = false, // Main adds --help and --version after the providers' options
        description = {"Train a LIF spiking network with EGGROLL (low-rank ES) or full-rank ES.",
                "Writes runs/<name>/config.json, metrics.jsonl (one JSON line per generation), checkpoints/ and summary.json.",
                "Options override the defaults, or the values of --config."})
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--config", description = "JSON config file (see docs/CONFIG.md); command-line options override it.")
    Path configFile;

    @Option(names = "--name", description = "Run name: output goes to <runs-dir>/<name> (default: from config, 'default').")
    String name;

    @Option(names = "--runs-dir", defaultValue = "runs", description = "Parent directory of run directories (default: ${DEFAULT-VALUE}).")
    Path runsDir;

    @Option(names = "--resume", description = "Continue the run <runs-dir>/<name> from its latest checkpoint, bit-identical to an uninterrupted run.")
    boolean resume;

    @Option(names = "--overwrite", description = "Replace an existing run of the same name.")
    boolean overwrite;

    @Option(names = "--task", description = "nmnist (default), synthetic (built-in Poisson spike patterns), shd (SHD/SSC "
            + "HDF5 files in --data) or events (the generic event format of docs/DATA.md in --data); each has its own defaults.")
    String task;

    @Option(names = "--preset", description = "paper: the seed paper's N-MNIST setup (SGD alpha 0.1 = rate 0.002 here, sigma 0.02, N=200, r=10, 200 generations; docs/CONFIG.md). Default: the task's own preset.")
    String preset;

    @Option(names = "--data", description = "nmnist: the official root with Train/ and Test/ (default: the converted set); "
            + "shd: the folder of shd_train.h5 and shd_test.h5; events: the folder of manifest.json.")
    Path data;

    @Option(names = "--generations", description = "Number of generations.")
    Integer generations;

    @Option(names = "--population", description = "Population size N (even: antithetic pairs).")
    Integer population;

    @Option(names = "--rank", description = "Rank r of the EGGROLL perturbations.")
    Integer rank;

    @Option(names = "--full-rank", description = "Use the full-rank ES baseline instead of EGGROLL.")
    boolean fullRank;

    @Option(names = "--sigma", description = "Perturbation scale sigma.")
    Float sigma;

    @Option(names = "--noise", description = "Noise distribution: ${COMPLETION-CANDIDATES}.")
    NoiseKind noise;

    @Option(names = "--shaping", description = "Fitness shaping: ${COMPLETION-CANDIDATES}.")
    Shaping shaping;

    @Option(names = "--fitness", description = "Fitness: ${COMPLETION-CANDIDATES}.")
    FitnessKind fitness;

    @Option(names = "--optimizer", description = "Optimizer: ${COMPLETION-CANDIDATES}.")
    OptimizerKind optimizer;

    @Option(names = {"--lr", "--learning-rate"}, description = "Learning rate.")
    Float lr;

    @Option(names = "--lr-decay", description = "Learning-rate schedule: ${COMPLETION-CANDIDATES}.")
    LrDecay lrDecay;

    @Option(names = "--batch", description = "Minibatch size (samples per generation, shared by all members).")
    Integer batch;

    @Option(names = "--hidden", split = ",", description = "Hidden layer widths, e.g. 128 or 256,64.")
    int[] hidden;

    @Option(names = "--layers", split = ",", description = "Hidden layers, conv and dense, instead of --hidden: "
            + "conv:KERNEL:CHANNELS[:STRIDE] ('valid' padding) and dense:WIDTH, convolutions first, e.g. "
            + "conv:5:16:2,dense:128.")
    String[] layers;

    @Option(names = "--readout", description = "Readout: ${COMPLETION-CANDIDATES}.")
    Readout readout;

    @Option(names = "--timesteps", description = "Time steps (frames) per sample.")
    Integer timesteps;

    @Option(names = "--pool", description = "Spatial OR-pooling factor of the sensor (N-MNIST 2: 34x34 -> 17x17; SHD 5: 700 -> 140 units).")
    Integer pool;

    @Option(names = "--window-ms", description = "Event tasks: the time window binned into --timesteps frames, from 0 ms.")
    Double windowMs;

    @Option(names = "--eval-every", description = "Held-out evaluation every N generations.")
    Integer evalEvery;

    @Option(names = "--eval-samples", description = "Held-out samples per periodic evaluation (0 = all).")
    Integer evalSamples;

    @Option(names = "--seed", description = "Run seed: keys all noise, batches and initial weights.")
    Long seed;

    @Option(names = "--threads", description = "Worker threads (0 = all processors).")
    Integer threads;

    @Option(names = "--backend", description = "Backend (default: cpu; 'eggroll devices' lists those installed).")
    String backend;

    @Option(names = "--program-binary", description = "Prebuilt OpenCL program binary (e.g. an FPGA .aocx/.xclbin) for --backend opencl.")
    Path programBinary;

    @Option(names = "--precision", description = "float (default) or loihi: train with the bit-accurate Loihi 2 fixed-point forward.")
    String precision;

    @Option(names = "--device", description = "Device index or name substring for the backend.")
    String device;

    @Option(names = "--limit-train", description = "Use at most N training samples (0 = all).")
    Integer limitTrain;

    @Option(names = "--limit-test", description = "Use at most N test samples (0 = all).")
    Integer limitTest;

    @Option(names = "--validation", paramLabel = "N", description = "Validation samples every periodic check runs on: carved off the training split, class-stratified (N-MNIST: 5000), or drawn as their own split (synthetic: 500).")
    Integer validation;

    @Option(names = "--quiet", description = "No progress line.")
    boolean quiet;

    @Option(names = "--print-config", description = "Print the resolved configuration (JSON, as config.json would hold it) and exit without training or writing anything.")
    boolean printConfig;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (resume && configFile != null) {
            throw new IllegalArgumentException("--resume takes the config from the run's checkpoint; drop --config");
        }
        if (resume) {
            refuseRunChangingOptions();
        }
        initial = initialNetwork(); // before the config: --init sets the network's shape
        if (resume && initial != null) {
            throw new IllegalArgumentException("--init starts a new run from a file; --resume continues a run from its "
                    + "checkpoint: drop one of them");
        }
        TrainConfig fresh = resume ? null : newConfig();
        if (printConfig) {
            TrainConfig shown = fresh != null ? fresh
                    : resumedConfig(resumedCheckpoint(RunDirectory.under(runsDir, resumedName())));
            spec.commandLine().getOut().println(shown.toJson());
            return 0;
        }
        if (fresh != null) {
            Footprint.of(fresh).requireFits(Runtime.getRuntime().maxMemory()); // before anything is written
        }
        Path dir = RunDirectory.under(runsDir, resume ? resumedName() : fresh.name);
        if (resume && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("cannot resume: no run directory " + dir);
        }
        // One writer a run: a second training (or resume, or cluster coordinator) of it is refused.
        try (RunDirectory.Lock lock = RunDirectory.lock(dir)) {
            return train(dir, fresh);
        }
    }

    /** Trains into {@code dir} (locked): a new run of {@code fresh}, or a resume when it is null. */
    private int train(Path dir, TrainConfig fresh) throws IOException {
        Checkpoint.Data resumed = fresh == null ? resumedCheckpoint(dir) : null;
        TrainConfig cfg = resumed != null ? resumedConfig(resumed) : fresh;
        cfg.validate();
        Footprint.of(cfg).requireFits(Runtime.getRuntime().maxMemory());
        if (resumed != null && alreadyDone(dir, resumed.nextGeneration(), cfg.generations)) {
            return 0;
        }
        // Fail before any data preparation when the backend cannot run here.
        var provider = Backends.provider(cfg.resolvedBackend());
        provider.unavailableReason().ifPresent(r -> {
            throw new BackendUnavailableException("backend '" + provider.name() + "' is unavailable: " + r);
        });
        TaskData taskData = Tasks.load(cfg, System.err);
        SnnConfig net = cfg.networkConfig(taskData.train().inputs(), taskData.train().classes());
        cfg.esConfig().validateFor(net);
        BackendOptions opts = new BackendOptions(cfg.resolvedThreads(), cfg.device, programBinary);
        try (Backend b = Backends.create(cfg.resolvedBackend(), opts)) {
            Start start = resumed != null ? resumeRun(dir, cfg, resumed, taskData) : newRun(dir, cfg, net, b.device());
            spec.commandLine().getErr().printf(Locale.ROOT, "run %s | %s | task %s (%d train, %d validation, %d test) | network %s | readout %s | %s N=%d%s sigma=%s | %s | backend %s%n",
                    dir, resumed != null ? "resuming at generation " + (start.generation() + 1) : "new",
                    cfg.task + (cfg.preset != null ? ", preset " + cfg.preset : ""),
                    taskData.train().size(), taskData.validation().size(), taskData.test().size(), Arrays.toString(net.sizes()), readout(cfg),
                    cfg.es.mode(), cfg.es.population(), cfg.es.mode() == EsMode.EGGROLL ? " r=" + cfg.es.rank() : "",
                    cfg.es.sigma(), schedule(cfg.optimizerConfig()), b.device());
            // The run is built through the library's builder, the one way to train (docs/API.md).
            PopulationEvaluator ev = evaluator(cfg, taskData.train(), b, start.run());
            Training training = Training.builder().config(cfg)
                    .data(taskData.train(), taskData.validation(), taskData.test())
                    .backend(b).runDirectory(start.run()).evaluator(loopBackend -> ev)
                    .startFrom(start.state(), start.generation(), start.elapsedSeconds())
                    .build();
            if (!quiet) {
                training.listen(Progress.forConsole());
            }
            for (TrainListenerFactory f : ServiceLoader.load(TrainListenerFactory.class)) {
                f.create(start.run(), cfg, start.generation() - 1).ifPresent(training::listen);
            }
            // SIGINT or SIGTERM: the hook asks the loop to stop after the generation in flight and
            // holds the JVM until its checkpoint (or, on the last generation, the summary) is written.
            CountDownLatch finished = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                training.requestStop();
                awaitUninterruptibly(finished);
            }, "eggroll-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                TrainedNetwork result = training.run();
                if (result.stoppedEarly()) {
                    System.err.println("stopped after generation " + result.generations() + "; checkpoint "
                            + start.run().latestCheckpoint() + " written; continue with --resume --name " + cfg.name);
                    return STOPPED;
                }
                Evaluation validation = Evaluation.of(b, taskData.validation(), 0, 512);
                Evaluation test = Evaluation.of(b, taskData.test(), 0, 512);
                writeSummary(start.run(), cfg, result, validation, test, b.device());
                RunCharts.write(start.run());
                System.out.printf(Locale.ROOT, "validation accuracy: %.2f%% (%d samples of %s)%n",
                        100 * validation.accuracy(), validation.samples(), taskData.validation().name());
                System.out.printf(Locale.ROOT, "test accuracy: %.2f%% (%d samples of %s) after %d generations in %s%n",
                        100 * test.accuracy(), test.samples(), taskData.test().name(), result.generations(),
                        Progress.duration(result.trainingSeconds()));
                System.out.println("run directory: " + dir + " (metrics.jsonl, summary.json, fitness.png, accuracy.png, checkpoints/)");
            } finally {
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it returns now that the latch is down
                }
            }
        }
        return 0;
    }

    private String readout(TrainConfig cfg) {
        return readout(cfg, readout != null);
    }

    /**
     * The readout for the banner, saying when Loihi precision chose it over the preset's (no
     * {@code --readout} given: {@code explicit} false).
     */
    static String readout(TrainConfig cfg, boolean explicit) {
        Readout preset = TrainConfig.defaults(cfg.task, cfg.preset, null, "float").network.readout;
        boolean chosen = !explicit && cfg.precision.equals("loihi") && cfg.network.readout == TrainConfig.LOIHI_READOUT
                && preset != TrainConfig.LOIHI_READOUT;
        return cfg.network.readout + (chosen ? " (chosen for --precision loihi: Loihi cannot run the preset's " + preset
                + " readout)" : "");
    }

    /** The optimizer and its learning-rate schedule for the banner, e.g. {@code ADAM lr=0.006 COSINE over 16000 generations to 2%}. */
    static String schedule(OptimizerConfig o) {
        String s = String.format(Locale.ROOT, "%s lr=%s %s", o.kind(), o.learningRate(), o.decay());
        if (o.decay() == LrDecay.COSINE) {
            s += String.format(Locale.ROOT, " over %d generations to %s", o.decaySteps(),
                    Math.round(OptimizerConfig.COSINE_FLOOR * 100) + "%");
        }
        return s;
    }

    /** The exit code of a run stopped by SIGINT/SIGTERM (the shell's 128 + SIGINT). */
    static final int STOPPED = 130;

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Where a run starts: its directory, the state before {@code generation}, the time already spent. */
    private record Start(RunDirectory run, ModelState state, int generation, double elapsedSeconds) {}

    /**
     * The latest checkpoint of the run in {@code dir}; before its first one (a run stopped early),
     * the initial weights, so that it starts again from generation 0.
     */
    private Checkpoint.Data resumedCheckpoint(Path dir) {
        RunDirectory run = new RunDirectory(dir);
        Path ckpt = run.latestCheckpoint();
        if (!Files.exists(ckpt)) {
            if (!Files.exists(run.initialCheckpoint())) {
                throw new IllegalArgumentException("cannot resume: no checkpoint at " + ckpt + " nor "
                        + run.initialCheckpoint().getFileName());
            }
            System.err.println("run " + dir + " stopped before its first checkpoint; starting it again from "
                    + run.initialCheckpoint());
            ckpt = run.initialCheckpoint();
        }
        return Checkpoint.read(ckpt);
    }

    /**
     * The options a resume may take: which run, how far, and where and how fast it runs. The others
     * (the config's, such as --population or --seed) would change the run, so a resume refuses them.
     */
    private static final Set<String> RESUME_OPTIONS = Set.of("--resume", "--name", "--runs-dir", "--generations",
            "--threads", "--backend", "--device", "--program-binary", "--data", "--quiet", "--simd", "--print-config");

    /** Refuses, naming them, the options of this command given with --resume that would change the run. */
    private void refuseRunChangingOptions() {
        Set<OptionSpec> ofMixins = spec.mixins().values().stream().flatMap(m -> m.options().stream())
                .collect(Collectors.toSet());
        List<String> changing = spec.commandLine().getParseResult().matchedOptions().stream()
                .filter(o -> !ofMixins.contains(o))
                .map(OptionSpec::shortestName)
                .filter(n -> !RESUME_OPTIONS.contains(n))
                .distinct().toList();
        if (!changing.isEmpty()) {
            throw new IllegalArgumentException("--resume continues the run as its checkpoint configured it; "
                    + String.join(", ", changing) + " would change it (a resume takes only "
                    + RESUME_OPTIONS.stream().sorted().collect(Collectors.joining(", "))
                    + "); train a new run with --name instead");
        }
    }

    /** The run a resume continues: {@code --name}, else {@code default}. */
    private String resumedName() {
        return name == null ? "default" : name;
    }

    /**
     * The checkpoint's config with the options a resume may change. The name is the directory's:
     * a renamed or copied run continues where it lies, never in the directory of the name it was
     * trained under.
     */
    private TrainConfig resumedConfig(Checkpoint.Data resumed) {
        TrainConfig cfg = resumed.config();
        cfg.name = resumedName();
        if (generations != null && generations != cfg.generations) {
            // The learning-rate schedule is the one the run began with: a decay over "the run's
            // generations" stays over the original ones, and past them continues at its floor.
            if (cfg.optimizer.decay() != LrDecay.CONSTANT && cfg.optimizer.decaySteps() == 0) {
                cfg.optimizer = cfg.optimizer.withDecaySteps(cfg.generations);
            }
            changedGenerations = cfg.generations;
            cfg.generations = generations;
        }
        if (threads != null) {
            cfg.threads = threads;
        }
        if (backend != null) {
            cfg.backend = backend;
        }
        if (device != null) {
            cfg.device = device;
        }
        if (data != null) {
            cfg.data.dir = data.toString();
        }
        return cfg;
    }

    /** The generations of the resumed run before {@code --generations} changed them; 0 when unchanged. */
    private int changedGenerations;

    /**
     * Records in config.json that a resume changed the run's generations (the decay length fixed to
     * the original ones), written through a temporary file so that a crash leaves the old or the new one.
     */
    private void recordGenerations(RunDirectory run, TrainConfig cfg) throws IOException {
        if (changedGenerations == 0) {
            return;
        }
        run.rewriteConfig(cfg);
        spec.commandLine().getErr().printf(Locale.ROOT, "run %s: generations %d -> %d (config.json updated)%s%n",
                run.root(), changedGenerations, cfg.generations, cfg.optimizer.decay() == LrDecay.CONSTANT ? ""
                        : "; the " + cfg.optimizer.decay() + " decay keeps its " + cfg.optimizer.decaySteps()
                        + " generations and continues at its floor after them");
    }

    private TrainConfig newConfig() {
        // --preset, --optimizer and --precision choose the preset (its learning rate, decay and readout), as in a
        // config file; an optimizer not given is the preset's own.
        TrainConfig cfg = configFile != null ? TrainConfig.load(configFile, preset, optimizer, precision)
                : TrainConfig.defaults(task != null ? task : "nmnist", preset, optimizer, precision);
        applyOverrides(cfg);
        if (initial != null) {
            initial.applyTo(cfg, hidden, readout);
        }
        cfg.validate(); // before the run directory is created
        return cfg;
    }

    private Start resumeRun(Path dir, TrainConfig cfg, Checkpoint.Data resumed, TaskData taskData) throws IOException {
        if (!resumed.datasetFingerprint().equals(taskData.train().fingerprint())) {
            throw new IllegalArgumentException("cannot resume: the training data differ from the checkpoint's (fingerprint "
                    + taskData.train().fingerprint() + " vs " + resumed.datasetFingerprint() + ")");
        }
        RunDirectory run = new RunDirectory(dir);
        run.truncateMetricsAfter(resumed.generation());
        recordGenerations(run, cfg);
        int start = resumed.nextGeneration();
        return new Start(run, resumed.state(), start, resumed.elapsedSeconds());
    }

    /**
     * Whether a resume has nothing to do: the run has {@code done} generations and {@code wanted}
     * are asked for. A run already past them, or finished (its summary written), is left as it is;
     * a run stopped after its last checkpoint but before its summary goes on to write it.
     */
    private boolean alreadyDone(Path dir, int done, int wanted) {
        if (done > wanted) {
            spec.commandLine().getErr().println("run " + dir + " is already past " + wanted + " generations (it has completed " + done
                    + "); nothing changed");
            return true;
        }
        if (done == wanted && Files.exists(new RunDirectory(dir).summary())) {
            spec.commandLine().getErr().println("run " + dir + " already completed " + done
                    + " generations; nothing changed (pass --generations to extend it)");
            return true;
        }
        return false;
    }

    private Start newRun(Path dir, TrainConfig cfg, SnnConfig net, String device) throws IOException {
        Params params = initial != null ? initial.paramsFor(net) : Params.init(net, cfg.seed, cfg.network.initGain);
        RunDirectory run = RunDirectory.create(dir, cfg, overwrite, provenance(device));
        if (initial != null) {
            spec.commandLine().getErr().println("initial weights from " + initial.source() + ": " + initial.summary()
                    + " (kept as they are in " + run.initialCheckpoint() + ")");
        }
        return new Start(run, ModelState.fresh(params, cfg.optimizerConfig()), 0, 0);
    }

    /** The network of {@code --init} (an {@link InitialNetworkProvider}'s options), or null for random weights. */
    private InitialNetwork initial;

    private InitialNetwork initialNetwork() {
        List<InitialNetwork> chosen = new ArrayList<>();
        for (Object mixin : spec.mixins().values().stream().map(CommandSpec::userObject).toList()) {
            if (mixin instanceof InitialNetworkProvider p) {
                p.initialNetwork().ifPresent(chosen::add);
            }
        }
        if (chosen.size() > 1) {
            throw new IllegalArgumentException("the options name " + chosen.size() + " initial networks; choose one");
        }
        return chosen.isEmpty() ? null : chosen.getFirst();
    }

    /**
     * The evaluator of a provider whose options (added to this command as mixins) select it, e.g.
     * {@code --cluster}; else this process's backend.
     */
    private PopulationEvaluator evaluator(TrainConfig cfg, SpikeDataset train, Backend b, RunDirectory run) {
        List<PopulationEvaluator> chosen = new ArrayList<>();
        for (Object mixin : spec.mixins().values().stream().map(CommandSpec::userObject).toList()) {
            if (mixin instanceof PopulationEvaluatorProvider p) {
                p.evaluator(cfg, train, b, run).ifPresent(chosen::add);
            }
        }
        if (chosen.size() > 1) {
            throw new IllegalArgumentException("the options select " + chosen.size()
                    + " ways of evaluating the population; choose one");
        }
        return chosen.isEmpty() ? LocalEvaluator.of(b, train, cfg) : chosen.getFirst();
    }

    private void writeSummary(RunDirectory run, TrainConfig cfg, TrainedNetwork r, Evaluation validation,
                              Evaluation ev, String device) throws IOException {
        ObjectNode o = TrainConfig.mapper().createObjectNode();
        o.put("name", cfg.name);
        o.put("generations", r.generations());
        o.put("seconds", r.trainingSeconds());
        o.put("val_accuracy", validation.accuracy());
        o.put("val_samples", validation.samples());
        o.put("test_accuracy", ev.accuracy());
        o.put("test_samples", ev.samples());
        o.put("params_sha256", r.params().sha256());
        o.putPOJO("confusion", ev.confusion());
        // What produced the run: the build, the JVM and the backend device.
        provenance(device).forEach(o.putObject("provenance")::put);
        Files.writeString(run.summary(), TrainConfig.mapper().writeValueAsString(o) + "\n");
    }

    /** The build, the JVM and the backend device of this process, as config.json and summary.json record them. */
    static java.util.Map<String, String> provenance(String device) {
        BuildInfo build = BuildInfo.current();
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("version", build.version());
        m.put("commit", build.commit());
        m.put("jvm", build.jvm());
        m.put("device", device);
        return m;
    }

    private void applyOverrides(TrainConfig cfg) {
        if (name != null) cfg.name = name;
        if (task != null) cfg.task = task;
        if (data != null) {
            cfg.data.dir = data.toString();
            // --data means data: a synthetic config turns to N-MNIST, an event task keeps its reader.
            if (task == null && cfg.task.equals("synthetic")) cfg.task = "nmnist";
        }
        if (generations != null) cfg.generations = generations;
        if (population != null) cfg.es = cfg.es.withPopulation(population);
        if (rank != null) cfg.es = cfg.es.withRank(rank);
        if (fullRank) cfg.es = cfg.es.withMode(EsMode.FULL_RANK);
        if (sigma != null) cfg.es = cfg.es.withSigma(sigma);
        if (noise != null) cfg.es = cfg.es.withNoise(noise);
        if (shaping != null) cfg.es = cfg.es.withShaping(shaping);
        if (fitness != null) cfg.es = cfg.es.withFitness(fitness);
        if (optimizer != null) cfg.optimizer = cfg.optimizer.withKind(optimizer);
        if (lr != null) cfg.optimizer = cfg.optimizer.withLearningRate(lr);
        if (batch != null) cfg.batch = batch;
        if (lrDecay != null) cfg.optimizer = cfg.optimizer.withDecay(lrDecay);
        if (hidden != null && layers != null) {
            throw new TrainConfig.ConfigException("--hidden and --layers are mutually exclusive: give the dense widths "
                    + "with --hidden, or every layer with --layers");
        }
        if (hidden != null) {
            cfg.network.hidden = hidden;
            cfg.network.layers = null;
        }
        if (layers != null) {
            cfg.network.layers = java.util.Arrays.stream(layers).map(io.eggroll.train.LayerSpec::valueOf)
                    .toArray(io.eggroll.train.LayerSpec[]::new);
            cfg.network.hidden = null;
        }
        if (readout != null) cfg.network.readout = readout;
        if (timesteps != null) {
            cfg.data.timesteps = timesteps;
            cfg.synthetic.timesteps = timesteps;
        }
        if (evalEvery != null) cfg.evalEvery = evalEvery;
        if (pool != null) cfg.data.pool = pool;
        if (windowMs != null) cfg.data.windowMs = windowMs;
        if (evalSamples != null) cfg.evalSamples = evalSamples;
        if (seed != null) cfg.seed = seed;
        if (threads != null) cfg.threads = threads;
        if (backend != null) cfg.backend = backend;
        if (device != null) cfg.device = device;
        if (precision != null) cfg.precision = precision;
        if (limitTrain != null) cfg.data.limitTrain = limitTrain;
        if (validation != null) cfg.data.validation = validation;
        if (limitTest != null) cfg.data.limitTest = limitTest;
    }

    /**
     * The task presets' main values, for the end of {@code train --help}: the options are unset by
     * default (a config file or the task's preset fills them), so their help cannot show a value.
     */
    static String[] presetFooter() {
        java.util.List<String> lines = new java.util.ArrayList<>();
        lines.add("");
        lines.add("Defaults: an option not given takes its value from --config, else from");
        lines.add("the preset of its task, or the one --preset names:");
        java.util.List<String> labels = new java.util.ArrayList<>(TrainConfig.TASKS.reversed());
        labels.add(TrainConfig.PAPER);
        for (String label : labels) {
            boolean paper = label.equals(TrainConfig.PAPER);
            TrainConfig c = paper ? TrainConfig.defaults("nmnist", TrainConfig.PAPER, null, "float")
                    : TrainConfig.defaults(label);
            boolean events = !c.task.equals("synthetic");
            int timesteps = events ? c.data.timesteps : c.synthetic.timesteps;
            String pad = " ".repeat(label.length() + 4);
            if (paper) {
                lines.add("  --preset paper, the seed paper's setup on task nmnist:");
            }
            lines.add(String.format(Locale.ROOT, "  %s: --generations %d --population %d --rank %d --sigma %s", label,
                    c.generations, c.es.population(), c.es.rank(), c.es.sigma()));
            lines.add(String.format(Locale.ROOT, "%s--optimizer %s --lr %s --lr-decay %s --batch %d", pad,
                    c.optimizer.kind(), c.optimizer.learningRate(), c.optimizer.decay(), c.batch));
            lines.add(String.format(Locale.ROOT, "%s--hidden %s --readout %s --timesteps %d%s", pad,
                    Arrays.stream(c.network.hidden).mapToObj(Integer::toString)
                            .collect(java.util.stream.Collectors.joining(",")),
                    c.network.readout, timesteps, events ? " --pool " + c.data.pool + " --window-ms " + c.data.windowMs : ""));
            lines.add(String.format(Locale.ROOT, "%s--eval-every %d --seed %d", pad, c.evalEvery, c.seed));
        }
        lines.add("'eggroll train --print-config [options]' shows the resolved configuration.");
        return lines.toArray(String[]::new);
    }
}
