package io.eggroll.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eggroll.backend.Backend;
import io.eggroll.backend.BackendOptions;
import io.eggroll.backend.Backends;
import io.eggroll.backend.ModelState;
import io.eggroll.es.EsMode;
import io.eggroll.snn.Params;
import io.eggroll.snn.SnnConfig;
import io.eggroll.train.Evaluation;
import io.eggroll.train.GenerationStats;
import io.eggroll.train.TaskData;
import io.eggroll.train.Tasks;
import io.eggroll.train.TrainConfig;
import io.eggroll.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code eggroll bench --suite ranks}: the accuracy each rank (and full-rank ES) reaches in the
 * same wall-time budget. Contenders train in turns of one generation (through {@link Trainer}),
 * each stopping once its own accumulated time reaches the budget; then each is scored on the
 * held-out set. Repetitions use seeds {@code seed, seed + 1, ...}.
 */
public final class RanksSuite {

    private static final List<String> HEADER = List.of("task", "contender", "held-out accuracy %",
            "generations in budget", "s / generation", "member·sample·steps / s", "final minibatch accuracy %");

    /** One contender's run: its config, state and time so far. */
    private static final class Run {
        final String name;
        final TrainConfig cfg;
        ModelState state;
        int generations;
        double seconds;
        final List<Double> genSeconds = new ArrayList<>();
        double lastMinibatch = Double.NaN;

        Run(String name, TrainConfig cfg, ModelState state) {
            this.name = name;
            this.cfg = cfg;
            this.state = state;
        }
    }

    private RanksSuite() {}

    public static Report run(Settings s, String command) {
        Report report = new Report("ranks", "Ranks: held-out accuracy after " + Summary.num(s.budgetSeconds(), 3)
                + " s of training per contender", command, Machine.here(), HEADER);
        report.chart("Held-out accuracy after the time budget (median, min–max whiskers)", "held-out accuracy %", false);
        TrainConfig base = baseConfig(s);
        TaskData data = Tasks.load(base, System.err);
        SnnConfig net = base.networkConfig(data.train().inputs(), data.train().classes());
        List<String> names = new ArrayList<>();
        List<TrainConfig> cfgs = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int r : s.ranks()) {
            TrainConfig c = base.copy();
            c.es = c.es.withRank(r);
            try {
                c.esConfig().validateFor(net);
            } catch (IllegalArgumentException e) {
                skipped.add("eggroll r=" + r + "\t" + e.getMessage());
                continue;
            }
            names.add("eggroll r=" + r);
            cfgs.add(c);
        }
        if (s.fullRank()) {
            TrainConfig c = base.copy();
            c.es = c.es.withMode(EsMode.FULL_RANK);
            names.add("full rank");
            cfgs.add(c);
        }
        double[][] acc = new double[names.size()][s.reps()];
        double[][] gens = new double[names.size()][s.reps()];
        double[][] secPerGen = new double[names.size()][s.reps()];
        double[][] minibatch = new double[names.size()][s.reps()];
        try (Backend backend = Backends.create(s.backend(), BackendOptions.defaults().withThreads(s.threads()))) {
            for (int rep = 0; rep < s.reps(); rep++) {
                List<Run> runs = new ArrayList<>();
                for (int i = 0; i < names.size(); i++) {
                    TrainConfig c = cfgs.get(i).copy();
                    c.seed = s.seed() + rep;
                    runs.add(new Run(names.get(i), c, ModelState.fresh(Params.init(net, c.seed, c.network.initGain),
                            c.optimizerConfig())));
                }
                train(runs, data, backend, s, rep);
                for (int i = 0; i < runs.size(); i++) {
                    Run r = runs.get(i);
                    backend.load(r.state);
                    acc[i][rep] = 100 * Evaluation.of(backend, data.test(), s.evalSamples(), 512).accuracy();
                    gens[i][rep] = r.generations;
                    secPerGen[i][rep] = Summary.of(r.genSeconds.stream().mapToDouble(Double::doubleValue).toArray())
                            .median();
                    minibatch[i][rep] = 100 * r.lastMinibatch;
                    s.log().accept(String.format(Locale.ROOT, "repetition %d: %s: %d generations, held-out %.2f%%",
                            rep + 1, r.name, r.generations, acc[i][rep]));
                }
            }
        }
        String task = base.task + " " + java.util.Arrays.toString(net.sizes()).replace(", ", "→").replace("[", "")
                .replace("]", "");
        long work = (long) base.es.population() * base.batch * data.train().timesteps();
        for (int i = 0; i < names.size(); i++) {
            Summary a = Summary.of(acc[i]);
            Summary g = Summary.of(gens[i]);
            Summary t = Summary.of(secPerGen[i]);
            Summary mb = Summary.of(minibatch[i]);
            ObjectNode o = report.newRecord();
            o.put("task", base.task);
            o.put("network", task);
            o.put("contender", names.get(i));
            o.put("budget_seconds", s.budgetSeconds());
            ThroughputSuite.summary(o.putObject("heldout_accuracy_percent"), a);
            ThroughputSuite.summary(o.putObject("generations"), g);
            ThroughputSuite.summary(o.putObject("seconds_per_generation"), t);
            o.put("member_sample_steps_per_second", work / t.median());
            ThroughputSuite.summary(o.putObject("final_minibatch_accuracy_percent"), mb);
            report.row(List.of(task, names.get(i), a.format(3), g.format(3), t.format(3), Summary.num(work / t.median(), 3),
                    mb.format(3)), o);
            report.bar(new Chart.Bar(names.get(i), a.median(), a.min(), a.max()));
        }
        for (String sk : skipped) {
            String[] p = sk.split("\t", 2);
            ObjectNode o = report.newRecord();
            o.put("task", base.task);
            o.put("contender", p[0]);
            o.put("skipped", p[1]);
            report.row(List.of(task, p[0], "skipped: " + p[1], "—", "—", "—", "—"), o);
        }
        report.note(String.format(Locale.ROOT, "%d training / %d test samples (test scored on %s); N=%d, B=%d, "
                        + "T=%d, sigma=%s, lr=%s; backend %s, %d threads; %d repetition(s) with seeds %d..%d",
                data.train().size(), data.test().size(),
                s.evalSamples() == 0 ? "all" : "the first " + s.evalSamples(), base.es.population(), base.batch,
                data.train().timesteps(), base.es.sigma(), base.optimizer.learningRate(), s.backend(), s.threads(),
                s.reps(), s.seed(), s.seed() + s.reps() - 1));
        report.note("each contender trains in turns of one generation until its own time reaches the budget; the "
                + "time includes the trainer's per-call state copy and a one-sample held-out check");
        return report;
    }

    private static TrainConfig baseConfig(Settings s) {
        TrainConfig c = TrainConfig.defaults(s.task());
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
        if (s.data() != null) {
            c.data.dir = s.data().toString();
        }
        c.data.limitTrain = s.limitTrain();
        c.data.limitTest = s.limitTest();
        // One generation per Trainer call: its end-of-run held-out check scores a single sample.
        c.evalSamples = 1;
        c.evalEvery = Integer.MAX_VALUE;
        c.checkpointEvery = Integer.MAX_VALUE;
        c.generations = Integer.MAX_VALUE;
        c.validate();
        return c;
    }

    private static void train(List<Run> runs, TaskData data, Backend backend, Settings s, int rep) {
        boolean any = true;
        for (int round = 0; any; round++) {
            any = false;
            for (int k = 0; k < runs.size(); k++) {
                Run r = runs.get((k + round) % runs.size());
                if (r.seconds >= s.budgetSeconds()) {
                    continue;
                }
                any = true;
                TrainConfig c = r.cfg;
                c.generations = r.generations + 1;
                long t0 = System.nanoTime();
                Trainer.Result res = new Trainer(c, data.train(), data.validation(), backend, null)
                        .run(r.state, r.generations, r.seconds);
                r.seconds += Alternation.since(t0);
                r.state = res.state();
                r.generations++;
                GenerationStats st = res.history().getLast();
                r.genSeconds.add(st.generationSeconds());
                r.lastMinibatch = st.minibatchAccuracy();
            }
            if (round % 20 == 0) {
                s.log().accept("repetition " + (rep + 1) + ", round " + round + ": "
                        + runs.stream().map(x -> x.name + " " + x.generations + " gen").toList());
            }
        }
    }
}
