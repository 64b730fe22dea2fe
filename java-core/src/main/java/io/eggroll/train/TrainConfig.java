package io.eggroll.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eggroll.es.EsConfig;
import io.eggroll.es.LrDecay;
import io.eggroll.es.OptimizerConfig;
import io.eggroll.es.OptimizerKind;
import io.eggroll.snn.ConvGeometry;
import io.eggroll.snn.Readout;
import io.eggroll.snn.SnnConfig;
import java.nio.file.Path;

/**
 * Everything a training run is: written to {@code runs/<name>/config.json} and stored in every
 * checkpoint. Loaded with strict typing: a field with the wrong type or an unknown field is an
 * error naming the field and the value.
 */
@JsonPropertyOrder({"name", "seed", "task", "preset", "generations", "batch", "network", "es", "optimizer"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public final class TrainConfig {

    public String name = "default";
    public long seed = 1;
    /**
     * {@code synthetic} (built-in spike-pattern task), {@code nmnist}, {@code shd} (SHD/SSC HDF5
     * files in {@code data.dir}) or {@code events} (the generic event format of docs/DATA.md in
     * {@code data.dir}).
     */
    public String task = "synthetic";  // the class defaults; the CLI starts from defaults("nmnist")
    /**
     * The preset the fields a config leaves out come from: absent (null) for the task's own,
     * {@value #PAPER} for the seed paper's N-MNIST setup ({@link #defaults(String, String, OptimizerKind, String)}).
     * Left out of the JSON when absent, so configs without one read and write as before.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public String preset = null;
    public int generations = 300;
    public int batch = 32;
    /** Held-out evaluation every this many generations (and at the end). */
    public int evalEvery = 25;
    /** Held-out samples used by the periodic evaluation; 0 = the whole held-out set. */
    public int evalSamples = 0;
    public int checkpointEvery = 25;
    /** Worker threads; 0 = all available processors. */
    public int threads = 0;
    public String backend = "cpu";
    /**
     * {@code float} (default) or {@code loihi}: train with the bit-accurate Loihi 2 fixed-point
     * forward (8-bit weights, 12-bit decays, 24-bit state), so what was measured is what the chip
     * runs. Loihi precision runs on the {@code loihi-sim} backend.
     */
    public String precision = "float";
    public String device = null;

    public Network network = new Network();
    /** Evolution-strategy settings (the JSON object {@code es}). */
    public EsConfig es = EsConfig.eggroll(64, 1, 0.05f);
    /**
     * Optimizer settings (the JSON object {@code optimizer}); {@code decaySteps} 0 means the run's
     * generations, which {@link #optimizerConfig()} fills in.
     */
    public OptimizerConfig optimizer = OptimizerConfig.adam(0.02f);
    public Synthetic synthetic = new Synthetic();
    public Data data = new Data();

    @JsonIgnoreProperties(ignoreUnknown = false)
    public static final class Network {
        /**
         * Hidden layer widths (dense layers); input and output sizes come from the dataset. Null
         * when {@link #layers} is given: the two are mutually exclusive.
         */
        @JsonInclude(JsonInclude.Include.NON_NULL)
        public int[] hidden = {32};
        public float threshold = SnnConfig.DEFAULT_THRESHOLD;
        public float decay = SnnConfig.DEFAULT_DECAY;
        public Readout readout = Readout.SPIKE_COUNT;
        /** Initial weights are uniform with standard deviation initGain / sqrt(fan-in). */
        public float initGain = 1.0f;
        /** Each neuron's threshold is its own, trained by ES (starting at {@code threshold}). */
        public boolean evolveThreshold = false;
        /** Each neuron's decay is its own, trained by ES (starting at {@code decay}). */
        public boolean evolveDecay = false;
        /**
         * The hidden layers as conv and dense entries ({@link LayerSpec}), instead of {@link #hidden};
         * null (absent) means {@code hidden}.
         */
        @JsonInclude(JsonInclude.Include.NON_NULL)
        public LayerSpec[] layers = null;
    }

    public static final class Synthetic {
        public int classes = 10;
        public int inputs = 64;
        public int timesteps = 20;
        public int trainSamples = 2000;
        public int testSamples = 500;
        public double highRate = 0.35;
        public double lowRate = 0.03;
    }

    public static final class Data {
        /**
         * nmnist: the official root (with Train/ and Test/), null = the converted set; shd: the
         * folder of shd_train.h5 and shd_test.h5 (or ssc_*); events: the folder of manifest.json.
         */
        public String dir = null;
        /** Where converted data and binned caches live. */
        public String workDir = "data";
        public int timesteps = 16;
        public double windowMs = 300;
        /**
         * Spatial OR-pooling factor of the sensor (1 = none; N-MNIST 2: 34 x 34 -> 17 x 17; SHD 5:
         * 700 units -> 140).
         */
        public int pool = 1;
        /** Use at most this many training / test samples; 0 = all. */
        public int limitTrain = 0;
        public int limitTest = 0;
        public boolean lenient = false;
        /**
         * Validation samples: carved off the training split, class-stratified (file-backed tasks),
         * or generated as a split of their own (synthetic); 0 = a tenth of the training samples. Every periodic check runs on them; the
         * test split is touched only for the final score.
         */
        public int validation = 500;
        /** Seed of the validation split's draw: fixed, so that runs with other seeds share it. */
        public long validationSeed = 1;

        /** The validation samples for a training split of {@code trainSamples}: {@code validation}, or a tenth when 0. */
        public int validationCount(int trainSamples) {
            return validation > 0 ? validation : Math.max(1, trainSamples / 10);
        }
    }

    // ------------------------------------------------------------------ presets

    /** The preset of {@code task} for Adam at float precision: see {@link #defaults(String, OptimizerKind, String)}. */
    public static TrainConfig defaults(String task) {
        return defaults(task, OptimizerKind.ADAM, "float");
    }

    /** The task's own preset: {@link #defaults(String, String, OptimizerKind, String)} without a named preset. */
    public static TrainConfig defaults(String task, OptimizerKind optimizer, String precision) {
        return defaults(task, null, optimizer, precision);
    }

    /** The named preset that reproduces the seed paper's N-MNIST experiment (docs/CONFIG.md). */
    public static final String PAPER = "paper";

    /**
     * The defaults of a task, or of a named preset. {@code synthetic}: the field initialisers of
     * this class (a small network that learns the built-in task in seconds). {@code nmnist}: the
     * configuration chosen by experiment for N-MNIST on a 2-core machine (bench/RESULTS.md,
     * "N-MNIST accuracy"): 2x2 OR-pooled input (2 x 17 x 17), 128 LIF hidden neurons, a leaky
     * membrane readout, EGGROLL r = 1 with N = 512, sigma = 0.02, Adam 0.006 with cosine decay, 64
     * samples a generation. {@code preset} {@value #PAPER} (task nmnist only): the seed paper's
     * setup, LIF threshold 1.0 and decay 0.9 with hard reset, sigma = 0.02, plain SGD at 0.1,
     * 200 generations, N = 200, EGGROLL r = 10; what the paper leaves open (the network, the
     * batch, the pooling, the readout) is chosen as docs/CONFIG.md says. The optimizer's learning
     * rate and decay are those of {@link #optimizerDefaults} for {@code optimizer} (null: the
     * preset's own, Adam for the tasks' presets, SGD for the paper's); at {@code loihi} precision
     * the readout is {@link Readout#SPIKE_COUNT}, the one Loihi's LIF can run. The CLI and a config
     * file both start from this preset.
     */
    public static TrainConfig defaults(String task, String preset, OptimizerKind optimizer, String precision) {
        TrainConfig c = new TrainConfig();
        switch (task) {
            case "synthetic" -> c.task = "synthetic";
            case "nmnist" -> {
                c.task = "nmnist";
                c.generations = NMNIST_GENERATIONS;
                c.batch = 64;
                c.evalEvery = 500;
                c.evalSamples = 2000;
                c.checkpointEvery = 250;
                c.data.pool = 2;
                c.data.validation = NMNIST_VALIDATION;
                c.data.timesteps = 16;
                c.network.hidden = new int[] {128};
                c.network.readout = Readout.MEMBRANE;
                c.es = EsConfig.eggroll(512, 1, NMNIST_SIGMA);
            }
            case "shd", "events" -> {
                // Starting points, not tuned by experiment: N-MNIST's network and ES on the new input.
                c.task = task;
                c.generations = EVENT_GENERATIONS;
                c.batch = 64;
                c.evalEvery = 500;
                c.evalSamples = 2000;
                c.checkpointEvery = 250;
                c.data.pool = task.equals("shd") ? 5 : 1;
                c.data.timesteps = task.equals("shd") ? 50 : 20;
                c.data.windowMs = 1000;
                c.data.validation = 0;   // a tenth of whatever the user's training split holds
                c.network.hidden = new int[] {128};
                c.network.readout = Readout.MEMBRANE;
                c.es = EsConfig.eggroll(512, 1, 0.02f);
            }
            default -> throw new IllegalArgumentException("task must be one of " + TASKS + ", got '" + task + "'");
        }
        if (preset != null) {
            checkPreset(preset, task);
            c.preset = PAPER;
            c.generations = 200;
            c.batch = 128;
            c.evalEvery = 50;
            c.checkpointEvery = 50;
            c.network.threshold = 1.0f;
            c.network.decay = 0.9f;
            c.network.readout = Readout.SPIKE_COUNT;
            c.es = EsConfig.eggroll(200, 10, 0.02f);
        }
        OptimizerKind kind = optimizer != null ? optimizer : preset != null ? OptimizerKind.SGD : OptimizerKind.ADAM;
        c.optimizer = optimizerDefaults(task, preset, kind);
        if ("loihi".equals(precision)) {
            c.precision = "loihi";
            c.network.readout = LOIHI_READOUT;
        }
        return c;
    }

    /** Refuses a preset other than {@value #PAPER}, or the paper's on a task other than nmnist. */
    static void checkPreset(String preset, String task) {
        if (!PAPER.equals(preset)) {
            throw new ConfigException("preset must be '" + PAPER + "' (or left out for the task's own preset), got "
                    + (preset == null ? "null" : "'" + preset + "'"));
        }
        if (!"nmnist".equals(task)) {
            throw new ConfigException("preset '" + PAPER + "' is the seed paper's N-MNIST setup and needs task "
                    + "'nmnist', got '" + task + "'");
        }
    }

    /** The readout the preset takes at {@code loihi} precision: the only one Loihi's LIF can run. */
    public static final Readout LOIHI_READOUT = Readout.SPIKE_COUNT;

    /** The optimizer of a task's own preset for {@code kind}: {@link #optimizerDefaults(String, String, OptimizerKind)}. */
    public static OptimizerConfig optimizerDefaults(String task, OptimizerKind kind) {
        return optimizerDefaults(task, null, kind);
    }

    /**
     * The optimizer of a preset for {@code kind}: Adam 0.006 with cosine decay (nmnist and the
     * event-data tasks) or Adam 0.02 constant (synthetic); SGD 0.1 with the same decay as the
     * task's Adam. The paper's preset keeps its rate constant: SGD {@value #PAPER_SGD_RATE} (the
     * paper's alpha = 0.1 on the sigma-free estimator, see {@link #PAPER_SGD_RATE}) as in the paper's ES
     * update, Adam 0.006. Choosing an optimizer without a learning rate or decay takes these.
     */
    public static OptimizerConfig optimizerDefaults(String task, String preset, OptimizerKind kind) {
        boolean nmnist = !task.equals("synthetic"); // the event-data tasks share N-MNIST's optimizer
        LrDecay decay = nmnist && preset == null ? LrDecay.COSINE : LrDecay.CONSTANT;
        OptimizerConfig o = switch (kind) {
            case ADAM -> OptimizerConfig.adam(nmnist ? 0.006f : 0.02f);
            case SGD -> OptimizerConfig.sgd(PAPER.equals(preset) ? PAPER_SGD_RATE : 0.1f);
        };
        return o.withDecay(decay);
    }

    /**
     * The paper preset's SGD rate: its alpha = 0.1 applied to the gradient estimate written without
     * the 1/sigma, (1/N) sum f_i eps_i, which is alpha * sigma = 0.1 * 0.02 on this engine's
     * estimate (1/(N sigma)) sum f_i eps_i. Taken literally on ours, 0.1 moves every weight by about
     * 0.1 a step, twice the initial weights' scale, and 200 generations end near chance
     * (docs/CONFIG.md, "The paper preset").
     */
    public static final float PAPER_SGD_RATE = 0.002f;

    /** The tasks: the built-in one, N-MNIST, SHD/SSC and the generic event format. */
    public static final java.util.List<String> TASKS = java.util.List.of("synthetic", "nmnist", "shd", "events");

    /** Generations of the shd and events presets (not sized by experiment). */
    public static final int EVENT_GENERATIONS = 3000;

    /** Generations of the default N-MNIST run: sized to finish within 30 minutes on 2 cores. */
    public static final int NMNIST_GENERATIONS = 18000;
    /**
     * σ of the default N-MNIST run: 0.04 beat 0.01, 0.02, 0.03 and 0.06 on the validation split
     * in equal 3,000-generation runs (bench/RESULTS.md, "Experiments of 2026-12-01, night").
     */
    public static final float NMNIST_SIGMA = 0.04f;
    /** N-MNIST's validation split: 5,000 of the 60,000 training samples. */
    public static final int NMNIST_VALIDATION = 5000;

    // ------------------------------------------------------------------ derived, validated views

    public EsConfig esConfig() {
        return es;
    }

    /** The optimizer settings with {@code decaySteps} 0 resolved to the run's generations. */
    public OptimizerConfig optimizerConfig() {
        return optimizer.decaySteps() > 0 ? optimizer : optimizer.withDecaySteps(generations);
    }

    public SnnConfig networkConfig(int inputs, int classes) {
        if (network.layers != null) {
            return layeredConfig(inputShape(inputs), classes);
        }
        int[] sizes = new int[network.hidden.length + 2];
        sizes[0] = inputs;
        System.arraycopy(network.hidden, 0, sizes, 1, network.hidden.length);
        sizes[sizes.length - 1] = classes;
        return networkConfig(sizes);
    }

    /** The network of this config's neuron settings with the layer widths {@code sizes} (input first). */
    public SnnConfig networkConfig(int[] sizes) {
        return networkConfig(sizes, null);
    }

    /**
     * The network of this config's neuron settings with the layer widths {@code sizes} (input first)
     * and the conv layers {@code conv} (null for a dense network).
     */
    public SnnConfig networkConfig(int[] sizes, ConvGeometry[] conv) {
        return new SnnConfig(sizes, network.threshold, network.decay, network.readout, network.evolveThreshold,
                network.evolveDecay, conv);
    }

    /**
     * The (channels, height, width) shape a convolution sees in {@code inputs} input neurons:
     * N-MNIST's {@code (2, s, s)} (polarity, y, x; s = ceil(34 / data.pool)); for the synthetic task
     * (and other inputs) {@code (1, s, s)} when {@code inputs = s^2}, else {@code (1, 1, inputs)}.
     */
    public int[] inputShape(int inputs) {
        if (task.equals("nmnist")) {
            int side = (34 + data.pool - 1) / data.pool;
            if (2 * side * side == inputs) {
                return new int[] {2, side, side};
            }
        }
        int s = (int) Math.round(Math.sqrt(inputs));
        return s * s == inputs ? new int[] {1, s, s} : new int[] {1, 1, inputs};
    }

    /** {@link #networkConfig} from {@code network.layers}. */
    private SnnConfig layeredConfig(int[] shape, int classes) {
        LayerSpec.validate(network.layers);
        int convs = 0;
        while (convs < network.layers.length && network.layers[convs].conv != null) {
            convs++;
        }
        int[][] conv = new int[convs][];
        for (int i = 0; i < convs; i++) {
            LayerSpec.Conv c = network.layers[i].conv;
            conv[i] = new int[] {c.kernel, c.channels, c.stride};
        }
        int[] dense = new int[network.layers.length - convs + 1];
        for (int i = convs; i < network.layers.length; i++) {
            dense[i - convs] = network.layers[i].dense;
        }
        dense[dense.length - 1] = classes;
        try {
            SnnConfig net = SnnConfig.convolutional(shape, conv, dense, network.threshold, network.decay,
                    network.readout);
            return networkConfig(net.sizes(), net.conv());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage() + " (input shape " + shape[0] + " x " + shape[1] + " x " + shape[2]
                    + ")");
        }
    }

    /**
     * A run name is a plain name, the name of a directory directly under the runs directory:
     * letters, digits, '.', '_' and '-', and not '.' or '..'.
     */
    public static void checkName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9._-]+") || name.equals(".") || name.equals("..")) {
            throw new ConfigException("name must be a plain name: non-empty, only letters, digits, '.', '_' "
                    + "and '-', and not '.' or '..'; got " + (name == null ? "null" : "'" + name + "'"));
        }
    }

    /** Upper bounds of the numeric fields: beyond them a value is a typo, or overflows an index. */
    public static final int MAX_GENERATIONS = Integer.MAX_VALUE;
    public static final int MAX_SAMPLES = 100_000_000;
    public static final int MAX_THREADS = 4096;
    public static final int MAX_WIDTH = 1 << 20;
    /** The largest population of a config (EsConfig itself takes any even int, for device limit tests). */
    public static final int MAX_POPULATION = 1 << 24;
    public static final int MAX_TIMESTEPS = 100_000;
    public static final double MAX_WINDOW_MS = 60_000;

    /**
     * Checks every field that can be checked without the data, nulls included; throws a
     * {@link ConfigException} naming field and value.
     */
    public void validate() {
        checkName(name);
        if (!TASKS.contains(task)) {
            throw new ConfigException("task must be one of " + TASKS + ", got " + (task == null ? "null" : "'" + task + "'"));
        }
        if (preset != null) {
            checkPreset(preset, task);
        }
        oneOf("precision", precision, "float", "loihi");
        notNull("backend", backend);
        in("generations", generations, 1, MAX_GENERATIONS);
        in("batch", batch, 1, MAX_SAMPLES);
        in("evalEvery", evalEvery, 1, MAX_GENERATIONS);
        in("evalSamples", evalSamples, 0, MAX_SAMPLES);
        in("checkpointEvery", checkpointEvery, 1, MAX_GENERATIONS);
        in("threads", threads, 0, MAX_THREADS);
        notNull("network", network);
        if (network.hidden != null && network.layers != null) {
            throw new ConfigException("network.hidden and network.layers are mutually exclusive: give the dense widths "
                    + "as network.hidden, or every layer (conv and dense) as network.layers");
        }
        if (network.layers != null) {
            LayerSpec.validate(network.layers);
            if ((network.evolveThreshold || network.evolveDecay)
                    && java.util.Arrays.stream(network.layers).anyMatch(layer -> layer.conv != null)) {
                throw new ConfigException((network.evolveThreshold ? "network.evolveThreshold" : "network.evolveDecay")
                        + " is on, but network.layers has conv layers: evolved (per-neuron) thresholds and decays "
                        + "are not implemented for convolutional networks; turn it off, or use a dense network");
            }
        } else {
            notNull("network.hidden", network.hidden);
            for (int i = 0; i < network.hidden.length; i++) {
                in("network.hidden[" + i + "]", network.hidden[i], 1, MAX_WIDTH);
            }
        }
        notNull("network.readout", network.readout);
        if (precision.equals("loihi") && network.readout != LOIHI_READOUT) {
            throw new ConfigException("precision 'loihi' needs network.readout " + LOIHI_READOUT + ", got "
                    + network.readout + " (a non-spiking membrane readout has no Loihi LIF equivalent): pass --readout "
                    + LOIHI_READOUT + ", or leave the readout out and --precision loihi chooses it");
        }
        if (!(network.initGain > 0) || !Float.isFinite(network.initGain)) {
            throw new ConfigException("network.initGain must be a finite number > 0, got " + network.initGain);
        }
        notNull("es", es);
        in("es.population", es.population(), 2, MAX_POPULATION);
        notNull("optimizer", optimizer);
        notNull("synthetic", synthetic);
        in("synthetic.classes", synthetic.classes, 2, MAX_WIDTH);
        in("synthetic.inputs", synthetic.inputs, 1, MAX_WIDTH);
        in("synthetic.timesteps", synthetic.timesteps, 1, MAX_TIMESTEPS);
        in("synthetic.trainSamples", synthetic.trainSamples, 1, MAX_SAMPLES);
        in("synthetic.testSamples", synthetic.testSamples, 1, MAX_SAMPLES);
        rate("synthetic.highRate", synthetic.highRate);
        rate("synthetic.lowRate", synthetic.lowRate);
        notNull("data", data);
        notNull("data.workDir", data.workDir);
        in("data.timesteps", data.timesteps, 1, MAX_TIMESTEPS);
        if (!(data.windowMs > 0 && data.windowMs <= MAX_WINDOW_MS)) {
            throw new ConfigException("data.windowMs must lie in (0, " + (long) MAX_WINDOW_MS + "], got " + data.windowMs);
        }
        in("data.pool", data.pool, 1, MAX_WIDTH);
        in("data.limitTrain", data.limitTrain, 0, Integer.MAX_VALUE);
        in("data.limitTest", data.limitTest, 0, Integer.MAX_VALUE);
        in("data.validation", data.validation, 0, MAX_SAMPLES);
        optimizerConfig();
        if (network.layers == null) {
            networkConfig(1, 2);
        } else if (task.equals("nmnist")) {
            int side = (34 + data.pool - 1) / data.pool;
            networkConfig(2 * side * side, 10); // the shapes fit the data
        }
        Footprint.of(this).requireIndexable();
    }

    private static void notNull(String field, Object value) {
        if (value == null) {
            throw new ConfigException(field + " must be given, got null");
        }
    }

    private static void oneOf(String field, String value, String a, String b) {
        if (!a.equals(value) && !b.equals(value)) {
            throw new ConfigException(field + " must be '" + a + "' or '" + b + "', got "
                    + (value == null ? "null" : "'" + value + "'"));
        }
    }

    private static void in(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ConfigException(field + " must lie in [" + min + ", " + max + "], got " + value);
        }
    }

    private static void rate(String field, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new ConfigException(field + " is a rate and must lie in [0, 1], got " + value);
        }
    }

    /** The backend that runs this config: {@code loihi-sim} for Loihi precision. */
    public String resolvedBackend() {
        if (precision.equals("loihi")) {
            if (!backend.equals("cpu") && !backend.equals("loihi-sim")) {
                throw new IllegalArgumentException("precision 'loihi' runs on the loihi-sim backend; backend '" + backend
                        + "' cannot run it");
            }
            return "loihi-sim";
        }
        return backend;
    }

    public int resolvedThreads() {
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }

    // ------------------------------------------------------------------ JSON

    /** The JSON mapper for configs (strict: unknown fields, nulls for primitives, coerced scalars). */
    public static ObjectMapper mapper() {
        return ConfigJson.mapper();
    }

    public String toJson() {
        return ConfigJson.write(this);
    }

    /**
     * Parses a config. Fields the JSON leaves out take the defaults of its {@code task} (nmnist when
     * absent), so {@code {"task": "synthetic"}} and {@code {}} are complete configs.
     */
    public static TrainConfig fromJson(String json, String source) {
        return ConfigJson.read(json, source);
    }

    public static TrainConfig load(Path file) {
        return ConfigJson.load(file, null, null, null);
    }

    /**
     * {@link #load(Path)} with the command line's {@code --optimizer} and {@code --precision} (null:
     * not given) set in the file before its preset is chosen, so that the fields the file leaves
     * out take the defaults of that optimizer and precision, as without a file.
     */
    public static TrainConfig load(Path file, OptimizerKind optimizer, String precision) {
        return load(file, null, optimizer, precision);
    }

    /** {@link #load(Path, OptimizerKind, String)} with the command line's {@code --preset} (null: not given) too. */
    public static TrainConfig load(Path file, String preset, OptimizerKind optimizer, String precision) {
        return ConfigJson.load(file, preset, optimizer, precision);
    }

    public TrainConfig copy() {
        return fromJson(toJson(), "copy");
    }

    /** A configuration problem; the message names the source, the field and the value. */
    public static final class ConfigException extends IllegalArgumentException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
