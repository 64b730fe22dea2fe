package io.eggroll.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code eggroll bench --suite <name>}: the side-by-side macro benchmark (bench/README.md). */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Side-by-side macro benchmark: contenders run alternating in one process after warm-up;",
                "prints a markdown table (median and min–max over repetitions) and writes <out>/<suite>.md, .json and .png.",
                "Suites: throughput (inference vs EGGROLL r=1,5,10,20 vs full-rank ES, sparse-aware and the paper's dense,",
                "large layer and N-MNIST net),",
                "ranks (the paper's rank table: EGGROLL r=1,5,10,20 and full-rank ES trained on N-MNIST at equal generations",
                "and at equal wall time, test accuracy, s/generation, memory per member),",
                "backends (one generation on every backend found)."})
public final class BenchCommand implements Callable<Integer> {

    /** The suites, in the order {@code --help} lists them. */
    public static final List<String> SUITES = List.of("throughput", "ranks", "backends");

    @Spec
    CommandSpec spec;

    @Option(names = "--suite", required = true, description = "throughput, ranks or backends.")
    String suite;

    @Option(names = "--out", defaultValue = "runs/bench", description = "Directory for <suite>.md/.json/.png (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--reps", description = "Measured repetitions (default: throughput 3, ranks 1, backends 3).")
    Integer reps;

    @Option(names = "--warmup", description = "Warm-up rounds, discarded (default: 1; ranks: 5 generations of each contender a round).")
    Integer warmup;

    @Option(names = "--threads", defaultValue = "0", description = "Worker threads (0 = all processors).")
    int threads;

    @Option(names = "--backend", defaultValue = "cpu", description = "Backend for throughput and ranks (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--workloads", split = ",", description = "large and/or nmnist (default: both; backends: nmnist).")
    List<String> workloads;

    @Option(names = "--layer", defaultValue = "1000x5000", description = "Large workload: inputs x LIF neurons (default: ${DEFAULT-VALUE}).")
    String layer;

    @Option(names = "--population", defaultValue = "0", description = "Population N (0 = large: 128, nmnist and ranks: the preset's).")
    int population;

    @Option(names = "--batch", defaultValue = "0", description = "Samples per generation B (0 = 32).")
    int batch;

    @Option(names = "--timesteps", defaultValue = "0", description = "Time steps T (0 = 16).")
    int timesteps;

    @Option(names = "--density", defaultValue = "0.10", description = "Input spike density of the large workload (default: ${DEFAULT-VALUE}).")
    double density;

    @Option(names = "--nmnist-density", defaultValue = "0.05", description = "Input spike density of the N-MNIST-sized random inputs (default: ${DEFAULT-VALUE}).")
    double nmnistDensity;

    @Option(names = "--hidden", split = ",", description = "Hidden widths of the N-MNIST network (default: the TrainConfig default).")
    int[] hidden;

    @Option(names = "--evolve-neurons", description = "N-MNIST workload: per-neuron thresholds and decays evolved "
            + "(network.evolveThreshold and network.evolveDecay).")
    boolean evolveNeurons;

    @Option(names = "--ranks", split = ",", description = "EGGROLL ranks (default: 1,5,10,20; backends: 10).")
    List<Integer> ranks;

    @Option(names = "--no-full-rank", description = "Leave out the (sparse-aware) full-rank ES contender.")
    boolean noFullRank;

    @Option(names = "--scalar-ranks", split = ",", paramLabel = "R",
            description = "Throughput suite: also run EGGROLL at these ranks on the cpu backend's scalar definition "
                    + "(--simd off), alternating with the fast path in the same run (default: none).")
    List<Integer> scalarRanks;

    @Option(names = "--no-dense-full-rank", description = "Throughput suite: leave out the paper's dense full-rank ES "
            + "contender (W + sigma E per member, a dense product).")
    boolean noDenseFullRank;

    @Option(names = "--task", defaultValue = "nmnist", description = "Ranks suite task: nmnist or synthetic (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--preset", description = "Ranks suite: start from this preset (paper: the seed paper's setup, docs/CONFIG.md) instead of the task's own.")
    String preset;

    @Option(names = "--generations", defaultValue = "0", description = "Ranks suite: generations of the equal-generations runs (0 = the preset's: paper 200, nmnist 6500).")
    int generations;

    @Option(names = "--data", description = "Ranks suite: official N-MNIST root (default: the converted set).")
    Path data;

    @Option(names = {"--seconds", "--budget"}, defaultValue = "0", description = "Ranks suite: training seconds of the equal-time runs (0 = the full-rank run's training time at equal generations).")
    double budget;

    @Option(names = "--limit-train", defaultValue = "0", description = "Ranks suite: at most N training samples (0 = all).")
    int limitTrain;

    @Option(names = "--limit-test", defaultValue = "0", description = "Ranks suite: at most N test samples (0 = all).")
    int limitTest;

    @Option(names = "--eval-samples", defaultValue = "0", description = "Ranks suite: test samples scored after each run (0 = all).")
    int evalSamples;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for weights, inputs and noise (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--quiet", description = "No progress lines on stderr.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        if (!SUITES.contains(suite)) {
            throw new ParameterException(spec.commandLine(), "--suite must be one of " + SUITES + ", got '" + suite + "'");
        }
        Settings s = settings();
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        String command = "eggroll " + (args.isEmpty() || !args.getFirst().equals("bench") ? "bench " : "")
                + String.join(" ", args);
        long t0 = System.nanoTime();
        Report report = switch (suite) {
            case "throughput" -> ThroughputSuite.run(s, command);
            case "ranks" -> RanksSuite.run(s, command);
            default -> BackendsSuite.run(s, command);
        };
        double total = Alternation.since(t0);
        if (s.warmup() == 0) {
            // The first rounds run interpreted and JIT-compile the kernels (the Vector API code is
            // orders of magnitude slower until C2 has compiled it): their times are not the engine's.
            String warning = "WARNING: --warmup 0: the measured rounds include JIT compilation; these times are not "
                    + "comparable (use --warmup 1 or more)";
            spec.commandLine().getErr().println("bench: " + warning);
            report.note(warning);
        }
        report.note(String.format(Locale.ROOT, "suite wall time %.1f s; load average at the end %s", total,
                Summary.num(Machine.currentLoad(), 3)));
        List<Path> files = report.write(out);
        spec.commandLine().getOut().print(report.markdown());
        spec.commandLine().getOut().println();
        spec.commandLine().getOut().println("wrote " + files.stream().map(Path::toString).toList());
        spec.commandLine().getOut().flush();
        return 0;
    }

    Settings settings() {
        String[] mn = layer.toLowerCase(Locale.ROOT).split("x");
        int m;
        int n;
        try {
            if (mn.length != 2) {
                throw new NumberFormatException();
            }
            m = Integer.parseInt(mn[0].trim());
            n = Integer.parseInt(mn[1].trim());
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "--layer must look like 1000x5000 (inputs x neurons), got '"
                    + layer + "'");
        }
        if (m < 1 || n < 1) {
            throw new ParameterException(spec.commandLine(), "--layer sizes must be >= 1, got '" + layer + "'");
        }
        boolean backends = suite.equals("backends");
        boolean ranksSuite = suite.equals("ranks");
        int r = reps != null ? reps : ranksSuite ? 1 : 3;
        int w = warmup != null ? warmup : 1;
        List<String> wl = workloads != null ? workloads : backends ? List.of("nmnist") : List.of("large", "nmnist");
        List<Integer> rk = ranks != null ? ranks : backends ? List.of(10) : List.of(1, 5, 10, 20);
        int th = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        var err = spec.commandLine().getErr();
        return new Settings(w, r, th, backend, wl, m, n, population, batch, timesteps, density, nmnistDensity, hidden,
                evolveNeurons, rk, !noFullRank, !noDenseFullRank, task, preset, generations, data, budget, limitTrain, limitTest, evalSamples, seed,
                scalarRanks == null ? List.of() : scalarRanks,
                quiet ? line -> { } : line -> {
                    err.println("bench: " + line);
                    err.flush();
                });
    }
}
