package io.eggroll.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eggroll.backend.Backend;
import io.eggroll.backend.BackendOptions;
import io.eggroll.backend.Backends;
import io.eggroll.backend.ModelState;
import io.eggroll.data.SpikeDataset;
import io.eggroll.es.EsConfig;
import io.eggroll.es.EsMode;
import io.eggroll.plot.Charts;
import io.eggroll.snn.Params;
import io.eggroll.snn.SnnConfig;
import io.eggroll.train.Evaluation;
import io.eggroll.train.TaskData;
import io.eggroll.train.Tasks;
import io.eggroll.train.TrainConfig;
import io.eggroll.train.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code eggroll bench --suite ranks}: the seed paper's rank table, measured. Each contender
 * (EGGROLL at each rank, and full-rank ES) trains from the same initial weights, in one
 * {@link Trainer} run, twice: for the same number of generations (the paper's comparison), then for
 * the same wall time (the budget: {@code --seconds}, else the full-rank run's training time of the
 * first phase; each contender runs as many generations as its own first-phase rate fits in it).
 * After each run the test split is scored ({@code --eval-samples}, 0 = all of it). Repetitions use
 * seeds {@code seed, seed + 1, ...}.
 */
public final class RanksSuite {

    static final String EQUAL_GENERATIONS = "equal generations";
    static final String EQUAL_TIME = "equal time";
    static final String FULL_RANK = "full rank";

    private static final List<String> HEADER = List.of("phase", "contender", "test accuracy %", "generations",
            "training s", "s / generation", "speed-up vs full rank", "in flight B / member", "at rest B / member");

    /** One contender: its name and ES settings. */
    private record Contender(String name, EsConfig es) {}

    /** What one training run of a contender gave. */
    private record Outcome(int generations, double seconds, double accuracy) {
        double secondsPerGeneration() {
            return seconds / generations;
        }
    }

    /** Generations each contender trains per warm-up round (discarded). */
    static final int WARMUP_GENERATIONS = 5;

    private RanksSuite() {}

    public static Report run(Settings s, String command) {
        TrainConfig base = baseConfig(s);
        int generations = base.generations;
        TaskData data = Tasks.load(base, System.err);
        SpikeDataset test = data.test();
        SnnConfig net = base.networkConfig(data.train().inputs(), data.train().classes());
        List<Contender> contenders = contenders(s, base, net);
        boolean hasFull = contenders.getLast().name().equals(FULL_RANK);
        if (s.budgetSeconds() <= 0 && !hasFull) {
            throw new IllegalArgumentException("the equal-time runs take the full-rank run's time as their budget: "
                    + "with --no-full-rank give --seconds");
        }
        int c = contenders.size();
        Outcome[][] equalGen = new Outcome[c][s.reps()];
        Outcome[][] equalTime = new Outcome[c][s.reps()];
        double[] budgets = new double[s.reps()];
        try (Backend backend = Backends.create(s.backend(), BackendOptions.defaults().withThreads(s.threads()))) {
            // Warm-up: the first runs execute interpreted code until the JIT has compiled the kernels.
            for (int round = 0; round < s.warmup(); round++) {
                for (Contender ct : contenders) {
                    train(base, ct, s.seed(), Math.min(generations, WARMUP_GENERATIONS), data, test, net, backend, s);
                }
                s.log().accept("warm-up " + (round + 1) + "/" + s.warmup() + " done");
            }
            for (int rep = 0; rep < s.reps(); rep++) {
                long seed = s.seed() + rep;
                for (int k = 0; k < c; k++) {
                    int i = (k + rep) % c; // the order rotates from repetition to repetition
                    equalGen[i][rep] = train(base, contenders.get(i), seed, generations, data, test, net, backend, s);
                    log(s, rep, EQUAL_GENERATIONS, contenders.get(i), equalGen[i][rep]);
                }
                double budget = s.budgetSeconds() > 0 ? s.budgetSeconds() : equalGen[c - 1][rep].seconds();
                budgets[rep] = budget;
                for (int k = 0; k < c; k++) {
                    int i = (k + rep) % c;
                    int fit = generationsIn(budget, equalGen[i][rep].secondsPerGeneration());
                    equalTime[i][rep] = train(base, contenders.get(i), seed, fit, data, test, net, backend, s);
                    log(s, rep, EQUAL_TIME, contenders.get(i), equalTime[i][rep]);
                }
            }
        }
        Summary budget = Summary.of(budgets);
        Report report = new Report("ranks", String.format(Locale.ROOT,
                "Ranks: test accuracy after %d generations, and after %s s of training (%s)", generations,
                budget.format(3), s.budgetSeconds() > 0 ? "--seconds" : "the full-rank run's time"), command,
                Machine.here(), HEADER);
        report.chart("Test accuracy by rank (median of the repetitions, min and max marked)",
                Charts.Axis.percent("test accuracy (%)"));
        addRows(report, EQUAL_GENERATIONS, contenders, equalGen, hasFull, base, net);
        addRows(report, EQUAL_TIME, contenders, equalTime, hasFull, base, net);
        report.extra().put("generations", generations);
        ThroughputSuite.summary(report.extra().putObject("budget_seconds"), budget);
        report.extra().put("budget_from", s.budgetSeconds() > 0 ? "--seconds" : "full rank");
        report.note(String.format(Locale.ROOT, "task %s%s, network %s; %d training / %d test samples (scored on %s); "
                        + "N=%d, B=%d, T=%d, sigma=%s, %s lr=%s %s; backend %s, threads %d; %d repetition(s) with "
                        + "seeds %d..%d",
                base.task, base.preset != null ? " (preset " + base.preset + ")" : "", shape(net),
                data.train().size(), test.size(), s.evalSamples() == 0 ? "all" : s.evalSamples(),
                base.es.population(), base.batch, data.train().timesteps(), base.es.sigma(), base.optimizer.kind(),
                base.optimizer.learningRate(), base.optimizer.decay(), s.backend(), s.threads(), s.reps(), s.seed(),
                s.seed() + s.reps() - 1));
        report.note("every run trains from the same initial weights through io.eggroll.train.Trainer; training s is "
                + "the Trainer's wall time (generations only: the test split is scored after it); equal time: each "
                + "contender runs floor(budget / its equal-generations s / generation) generations, its learning-rate "
                + "schedule over them; " + s.warmup() + " warm-up round(s) of " + WARMUP_GENERATIONS
                + " generations per contender before, discarded");
        report.note("in flight: the noise a member holds while it is evaluated, r(m + n) (full rank m·n) plus n bias "
                + "values per layer, and its state, the membrane potential of every neuron and the readout, 4 bytes "
                + "each; at rest: the 8-byte run seed and the 4-byte generation and pair counters that key its noise");
        return report;
    }

    /** The ranks of {@code --ranks}, then full rank unless {@code --no-full-rank}. */
    private static List<Contender> contenders(Settings s, TrainConfig base, SnnConfig net) {
        List<Contender> list = new ArrayList<>();
        for (int r : s.ranks()) {
            EsConfig es = base.es.withMode(EsMode.EGGROLL).withRank(r);
            es.validateFor(net);
            list.add(new Contender("eggroll r=" + r, es));
        }
        if (s.fullRank()) {
            list.add(new Contender(FULL_RANK, base.es.withMode(EsMode.FULL_RANK)));
        }
        return list;
    }

    /** Generations that fit {@code budget} seconds at {@code secondsPerGeneration}; at least one. */
    static int generationsIn(double budget, double secondsPerGeneration) {
        double fit = Math.floor(budget / secondsPerGeneration + 1e-9);
        return (int) Math.max(1, Math.min(TrainConfig.MAX_GENERATIONS, fit));
    }

    /** One contender trained for {@code generations} from the seed's initial weights, then scored on the test split. */
    private static Outcome train(TrainConfig base, Contender ct, long seed, int generations, TaskData data,
                                 SpikeDataset test, SnnConfig net, Backend backend, Settings s) {
        TrainConfig c = base.copy();
        c.seed = seed;
        c.es = ct.es();
        c.generations = generations;
        c.evalEvery = generations; // the Trainer's own check runs once, at the end, on one sample
        c.evalSamples = 1;
        c.validate();
        ModelState start = ModelState.fresh(Params.init(net, seed, c.network.initGain), c.optimizerConfig());
        Trainer.Result res = new Trainer(c, data.train(), data.validation(), backend, null).run(start, 0, 0);
        backend.load(res.state());
        double accuracy = Evaluation.of(backend, test, s.evalSamples(), 512).accuracy();
        return new Outcome(res.generations(), res.seconds(), accuracy);
    }

    private static void addRows(Report report, String phase, List<Contender> contenders, Outcome[][] outcomes,
                                boolean hasFull, TrainConfig base, SnnConfig net) {
        double fullSecPerGen = hasFull ? secondsPerGeneration(outcomes[contenders.size() - 1]).median() : Double.NaN;
        for (int i = 0; i < contenders.size(); i++) {
            Contender ct = contenders.get(i);
            Summary acc = Summary.of(Arrays.stream(outcomes[i]).mapToDouble(o -> 100 * o.accuracy()).toArray());
            Summary gens = Summary.of(Arrays.stream(outcomes[i]).mapToDouble(Outcome::generations).toArray());
            Summary secs = Summary.of(Arrays.stream(outcomes[i]).mapToDouble(Outcome::seconds).toArray());
            Summary perGen = secondsPerGeneration(outcomes[i]);
            double speedup = fullSecPerGen / perGen.median();
            long noise = GenerationTrial.bytesInFlight(ct.es(), net);
            long state = stateBytesInFlight(net);
            long atRest = GenerationTrial.bytesAtRest();
            ObjectNode o = report.newRecord();
            o.put("phase", phase);
            o.put("contender", ct.name());
            o.put("mode", ct.es().mode().name().toLowerCase(Locale.ROOT));
            if (ct.es().mode() == EsMode.EGGROLL) {
                o.put("rank", ct.es().rank());
            }
            o.put("task", base.task);
            o.put("network", shape(net));
            ThroughputSuite.summary(o.putObject("test_accuracy_percent"), acc);
            ThroughputSuite.summary(o.putObject("generations"), gens);
            ThroughputSuite.summary(o.putObject("training_seconds"), secs);
            ThroughputSuite.summary(o.putObject("seconds_per_generation"), perGen);
            ThroughputSuite.putFinite(o, "speedup_vs_full_rank", speedup);
            o.put("noise_bytes_in_flight_per_member", noise);
            o.put("state_bytes_in_flight_per_member", state);
            o.put("bytes_in_flight_per_member", noise + state);
            o.put("bytes_at_rest_per_member", atRest);
            String genCell = gens.min() == gens.max() ? Long.toString((long) gens.median()) : gens.format(4);
            report.row(List.of(phase, ct.name(), acc.format(4), genCell, secs.format(3), perGen.format(3),
                    Double.isFinite(speedup) ? Summary.num(speedup, 3) + "×" : "—",
                    ThroughputSuite.bytes(noise + state), atRest + " B"), o);
            report.bar(new Charts.Bar(phase + " · " + ct.name(), acc.median(), acc.min(), acc.max()));
        }
    }

    private static Summary secondsPerGeneration(Outcome[] reps) {
        return Summary.of(Arrays.stream(reps).mapToDouble(Outcome::secondsPerGeneration).toArray());
    }

    /**
     * A member's state while it is evaluated, whatever the rank: the membrane potential of every
     * LIF neuron and the readout accumulators (spike counts or the leaky membrane), 4 bytes each.
     */
    static long stateBytesInFlight(SnnConfig net) {
        long values = net.outputs();
        for (int l = 0; l < net.layers(); l++) {
            values += net.fanOut(l);
        }
        return 4 * values;
    }

    private static String shape(SnnConfig net) {
        return Arrays.toString(net.sizes()).replace(", ", "→").replace("[", "").replace("]", "");
    }

    private static void log(Settings s, int rep, String phase, Contender ct, Outcome o) {
        s.log().accept(String.format(Locale.ROOT, "repetition %d, %s: %s: %d generations in %.1f s, test %.2f%%",
                rep + 1, phase, ct.name(), o.generations(), o.seconds(), 100 * o.accuracy()));
    }

    /** The preset of {@code --task} (or {@code --preset}) with the suite's options over it. */
    static TrainConfig baseConfig(Settings s) {
        TrainConfig c = TrainConfig.defaults(s.task(), s.preset(), null, "float");
        c.seed = s.seed();
        c.threads = s.threads();
        c.backend = s.backend();
        if (s.hidden() != null) {
            c.network.hidden = s.hidden().clone();
        }
        if (s.population() > 0) {
            c.es = c.es.withPopulation(s.population());
        }
        if (s.batch() > 0) {
            c.batch = s.batch();
        }
        if (s.timesteps() > 0) {
            c.data.timesteps = s.timesteps();
            c.synthetic.timesteps = s.timesteps();
        }
        if (s.generations() > 0) {
            c.generations = s.generations();
        }
        if (s.data() != null) {
            c.data.dir = s.data().toString();
        }
        c.data.limitTrain = s.limitTrain();
        c.data.limitTest = s.limitTest();
        c.checkpointEvery = Integer.MAX_VALUE;
        c.validate();
        return c;
    }
}
