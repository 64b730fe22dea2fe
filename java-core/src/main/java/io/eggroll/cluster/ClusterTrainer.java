package io.eggroll.cluster;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eggroll.backend.Backend;
import io.eggroll.backend.ModelState;
import io.eggroll.data.SpikeDataset;
import io.eggroll.es.EsConfig;
import io.eggroll.es.EsMode;
import io.eggroll.es.FitnessShaping;
import io.eggroll.es.Generation;
import io.eggroll.es.schedule.ScheduleRecord;
import io.eggroll.train.BatchSampler;
import io.eggroll.train.Checkpoint;
import io.eggroll.train.GenerationStats;
import io.eggroll.train.RunDirectory;
import io.eggroll.train.TrainConfig;
import io.eggroll.train.TrainListener;
import io.eggroll.train.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ES loop of {@link Trainer}, with the population evaluated by cluster workers. Each generation
 * the coordinator sends (generation, slice of pairs) and the schedule records a worker has not
 * applied; workers sample the same minibatch from (seed, generation), evaluate their slice and
 * return one fitness float per member. Shaping, the update (on the coordinator's own backend, its
 * replica), metrics, held-out evaluation and checkpoints run exactly as in one process, so a
 * distributed run ends with the same weights, bit for bit, as {@code Trainer} with the same config
 * and seed, whatever the number of workers and whatever faults happened on the way.
 *
 * <p>Besides {@code metrics.jsonl} it writes {@code cluster.jsonl}: per generation the slices, the
 * wall time of the distributed evaluation, the slowest worker's compute time and the difference
 * (the coordination overhead).
 */
public final class ClusterTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterTrainer.class);

    private final TrainConfig cfg;
    private final SpikeDataset train;
    private final SpikeDataset heldout;
    private final Backend backend;
    private final RunDirectory run;
    private final ClusterSettings settings;
    private final Coordinator.Options options;
    private final List<TrainListener> listeners = new ArrayList<>();
    private final List<ClusterListener> clusterListeners = new ArrayList<>();
    private final List<Coordinator.Evaluation> evaluations = new ArrayList<>();

    public ClusterTrainer(TrainConfig cfg, SpikeDataset train, SpikeDataset heldout, Backend backend, RunDirectory run,
                          ClusterSettings settings, Coordinator.Options options) {
        this.cfg = cfg;
        this.train = train;
        this.heldout = heldout;
        this.backend = backend;
        this.run = run;
        this.settings = settings;
        this.options = options;
    }

    public ClusterTrainer listen(TrainListener l) {
        listeners.add(l);
        return this;
    }

    public ClusterTrainer listen(ClusterListener l) {
        clusterListeners.add(l);
        return this;
    }

    /** Per-generation cluster timings of the last run. */
    public List<Coordinator.Evaluation> evaluations() {
        return List.copyOf(evaluations);
    }

    /** Same contract as {@link Trainer#run}: generations {@code [start, cfg.generations)} from {@code state}. */
    public Trainer.Result run(ModelState state, int start, double elapsedBefore) {
        EsConfig es = cfg.esConfig();
        es.validateFor(state.network());
        if (state.network().inputs() != train.inputs() || state.network().outputs() < train.classes()) {
            throw new IllegalArgumentException("network " + state.network() + " does not fit dataset " + train.name()
                    + " (" + train.inputs() + " inputs, " + train.classes() + " classes)");
        }
        backend.load(state);
        evaluations.clear();
        BatchSampler sampler = new BatchSampler(cfg.seed, train.size(), cfg.batch);
        List<GenerationStats> history = new ArrayList<>();
        double heldoutAcc = Double.NaN;
        long step = state.optimizerState().step();
        String runId = cfg.name + "-" + UUID.randomUUID();
        if (run != null) {
            truncateClusterLog(start);
        }
        try (Coordinator co = new Coordinator(settings, options)) {
            clusterListeners.forEach(co::listen);
            co.start();
            co.beginRun(runId, cfg, train.fingerprint(), state, start, this::weightsHash);
            if (start == 0 && run != null) {
                checkpoint(run.initialCheckpoint(), -1, elapsedBefore, co);
            }
            co.awaitWorkers(options.minWorkers(), start);
            LOG.info("run {}: {} worker{} admitted; generations {}..{}", runId, co.workers(),
                    co.workers() == 1 ? "" : "s", start, cfg.generations - 1);
            long t0 = System.nanoTime();
            int lastVerified = -1;
            for (int gen = start; gen < cfg.generations; gen++) {
                long g0 = System.nanoTime();
                Generation g = new Generation(cfg.seed, gen, es);
                Coordinator.Evaluation ev = co.evaluate(gen);
                evaluations.add(ev);
                float[] fitness = ev.fitness();
                FitnessShaping.Shaped shaped = FitnessShaping.shape(es.shaping(), fitness);
                for (int m : shaped.excluded()) {
                    if (!Float.isFinite(fitness[m])) {
                        LOG.warn("generation {}: member {} has fitness {}; its antithetic pair is excluded from the "
                                + "update", gen, m, fitness[m]);
                        for (TrainListener l : listeners) {
                            l.onExcluded(gen, m, fitness[m]);
                        }
                    }
                }
                if (shaped.effectivePopulation() == 0) {
                    throw new IllegalStateException("generation " + gen + ": every member's fitness is NaN or infinite; "
                            + "the network diverged (try a smaller optimizer.learningRate or es.sigma)");
                }
                long u0 = System.nanoTime();
                backend.update(g, shaped.weights(), shaped.effectivePopulation());
                long updateNanos = System.nanoTime() - u0;
                co.record(new ScheduleRecord(gen, es.population(), es.mode() == EsMode.EGGROLL ? es.rank() : 1,
                        es.sigma(), cfg.optimizerConfig().learningRateAt(step + 1), ++step, shaped.effectivePopulation(), shaped.weights()));
                for (TrainListener l : listeners) {
                    l.onUpdate(g, shaped.weights(), shaped.effectivePopulation());
                }
                boolean last = gen == cfg.generations - 1;
                double acc = Double.NaN;
                if ((gen + 1) % cfg.evalEvery == 0 || last) {
                    acc = Trainer.evaluate(backend, heldout, cfg.evalSamples, cfg.batch * 8).accuracy();
                    heldoutAcc = acc;
                }
                double now = elapsedBefore + (System.nanoTime() - t0) / 1e9;
                double genSec = (System.nanoTime() - g0) / 1e9;
                GenerationStats s = stats(gen, fitness, ev.correct(), acc, now, genSec, shaped.excluded());
                history.add(s);
                if (run != null) {
                    run.appendMetrics(s);
                    appendClusterLine(gen, ev, updateNanos);
                }
                for (TrainListener l : listeners) {
                    l.onStats(s, cfg.generations);
                }
                if (run != null && ((gen + 1) % cfg.checkpointEvery == 0 || last)) {
                    checkpoint(run.latestCheckpoint(), gen, now, co);
                    lastVerified = gen;
                }
            }
            if (lastVerified != cfg.generations - 1 && start < cfg.generations) {
                co.verify(cfg.generations, weightsHash());
            }
            double total = elapsedBefore + (System.nanoTime() - t0) / 1e9;
            logSummary();
            return new Trainer.Result(backend.state(), cfg.generations, heldoutAcc, total, history);
        }
    }

    private String weightsHash() {
        return backend.state().params().sha256();
    }

    /** Checkpoints as {@link Trainer} does, then checks the replicas and rebases catch-up on this state. */
    private void checkpoint(Path file, int gen, double elapsed, Coordinator co) {
        ModelState st = backend.state();
        try {
            Checkpoint.write(file, new Checkpoint.Data(cfg, gen, st, train.fingerprint(), elapsed));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file, e);
        }
        for (TrainListener l : listeners) {
            l.onCheckpoint(gen, file);
        }
        if (co.workers() > 0) {
            co.verify(gen + 1, st.params().sha256());
        }
        co.rebase(st, gen + 1);
    }

    private GenerationStats stats(int gen, float[] fitness, long correct, double heldoutAcc, double seconds,
                                  double genSec, int[] excluded) {
        double sum = 0;
        double max = Double.NEGATIVE_INFINITY;
        int finite = 0;
        for (float f : fitness) {
            if (Float.isFinite(f)) {
                sum += f;
                max = Math.max(max, f);
                finite++;
            }
        }
        long evaluations = (long) fitness.length * cfg.batch;
        return new GenerationStats(gen, finite == 0 ? Double.NaN : sum / finite, max, (double) correct / evaluations,
                heldoutAcc, seconds, genSec, evaluations / genSec, excluded);
    }

    private void appendClusterLine(int gen, Coordinator.Evaluation ev, long updateNanos) {
        ObjectNode o = TrainConfig.mapper().createObjectNode();
        o.put("generation", gen);
        o.put("workers", ev.slices().stream().map(Coordinator.Slice::worker).distinct().count());
        o.put("eval_ms", ms(ev.wallNanos()));
        o.put("slowest_worker_ms", ms(ev.slowestWorkerNanos()));
        o.put("overhead_ms", ms(ev.overheadNanos()));
        o.put("update_ms", ms(updateNanos));
        o.put("reruns", ev.reruns());
        ArrayNode slices = o.putArray("slices");
        for (Coordinator.Slice s : ev.slices()) {
            slices.addObject().put("worker", s.worker()).put("first_pair", s.firstPair()).put("pairs", s.pairCount())
                    .put("apply_ms", ms(s.applyNanos())).put("compute_ms", ms(s.computeNanos()));
        }
        try {
            Files.writeString(run.root().resolve("cluster.jsonl"), o.toString() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + run.root().resolve("cluster.jsonl"), e);
        }
    }

    /** A resumed run rewrites the lines from its first generation on, as metrics.jsonl does. */
    private void truncateClusterLog(int start) {
        Path file = run.root().resolve("cluster.jsonl");
        if (!Files.exists(file)) {
            return;
        }
        try {
            StringBuilder kept = new StringBuilder();
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank() && TrainConfig.mapper().readTree(line).path("generation").asInt(Integer.MAX_VALUE)
                        < start) {
                    kept.append(line).append('\n');
                }
            }
            Files.writeString(file, kept.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + file, e);
        }
    }

    private void logSummary() {
        if (evaluations.isEmpty()) {
            return;
        }
        double wall = 0;
        double slowest = 0;
        int reruns = 0;
        for (Coordinator.Evaluation e : evaluations) {
            wall += e.wallNanos();
            slowest += e.slowestWorkerNanos();
            reruns += e.reruns();
        }
        int n = evaluations.size();
        LOG.info(String.format(Locale.ROOT, "cluster: %d generations, distributed evaluation %.2f ms/gen, of which "
                        + "slowest worker %.2f ms and coordination %.2f ms; %d slice%s re-run", n, wall / n / 1e6,
                slowest / n / 1e6, (wall - slowest) / n / 1e6, reruns, reruns == 1 ? "" : "s"));
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }
}
