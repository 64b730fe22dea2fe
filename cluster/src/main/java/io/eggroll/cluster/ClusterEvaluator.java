package io.eggroll.cluster;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eggroll.backend.Backend;
import io.eggroll.backend.ModelState;
import io.eggroll.es.Generation;
import io.eggroll.train.PopulationEvaluator;
import io.eggroll.train.RunDirectory;
import io.eggroll.train.TrainConfig;
import io.eggroll.train.Trainer;
import io.eggroll.train.schedule.ScheduleRecord;
import io.eggroll.data.SpikeDataset;
import io.eggroll.es.EsConfig;
import io.eggroll.train.LocalEvaluator;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The population evaluated by cluster workers, for {@link Trainer}'s generation loop. Each
 * generation the coordinator sends (generation, slice of pairs) and the schedule records a worker
 * has not applied; workers sample the same minibatch from (seed, generation), evaluate their slice
 * and return one fitness float per member. Shaping, the update (on the loop's backend, the
 * coordinator's replica), metrics, held-out evaluation and checkpoints are the loop's, exactly as
 * in one process, so a distributed run ends with the same weights, bit for bit, as a local run with
 * the same config and seed, whatever the number of workers and whatever faults happened on the way.
 * At every checkpoint the workers' replicas are checked against the coordinator's weights.
 *
 * <p>Besides {@code metrics.jsonl} the run writes {@code cluster.jsonl}: per generation the
 * slices, the wall time of the distributed evaluation, the slowest worker's compute time and the
 * difference (the coordination overhead).
 */
public final class ClusterEvaluator implements PopulationEvaluator {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterEvaluator.class);

    private final TrainConfig cfg;
    private final String datasetFingerprint;
    /** The training data, for recomputing workers' slices; null: no verification. */
    private final SpikeDataset train;
    private final Backend backend;
    private final RunDirectory run;
    private final ClusterSettings settings;
    private final Coordinator.Options options;
    private final List<ClusterListener> clusterListeners = new ArrayList<>();
    private final List<Coordinator.Evaluation> evaluations = new ArrayList<>();

    private ClusterSecret secret = ClusterSecret.none();
    private Coordinator co;
    private int start;
    private int lastVerified;
    private Coordinator.Evaluation current;

    /**
     * @param backend the training loop's backend (the coordinator's replica: its weights are what
     *                joining workers must reach)
     * @param run     where {@code cluster.jsonl} goes, or null
     */
    public ClusterEvaluator(TrainConfig cfg, String datasetFingerprint, Backend backend, RunDirectory run,
                            ClusterSettings settings, Coordinator.Options options) {
        this(cfg, datasetFingerprint, null, backend, run, settings, options);
    }

    /**
     * As above, with the training data: the coordinator then recomputes a random share of every
     * worker's slice ({@link Coordinator.Options#verifyFraction()}) on {@code backend} and evicts
     * a worker whose fitness differs.
     */
    public ClusterEvaluator(TrainConfig cfg, SpikeDataset train, Backend backend, RunDirectory run,
                            ClusterSettings settings, Coordinator.Options options) {
        this(cfg, train.fingerprint(), train, backend, run, settings, options);
    }

    private ClusterEvaluator(TrainConfig cfg, String datasetFingerprint, SpikeDataset train, Backend backend,
                             RunDirectory run, ClusterSettings settings, Coordinator.Options options) {
        this.cfg = cfg;
        this.datasetFingerprint = datasetFingerprint;
        this.train = train;
        this.backend = Objects.requireNonNull(backend, "backend");
        this.run = run;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** The cluster secret (default: none, an unauthenticated cluster). */
    public ClusterEvaluator secret(ClusterSecret s) {
        this.secret = Objects.requireNonNull(s, "secret");
        return this;
    }

    public ClusterEvaluator listen(ClusterListener l) {
        clusterListeners.add(l);
        return this;
    }

    /** Per-generation cluster timings of the last run. */
    public List<Coordinator.Evaluation> evaluations() {
        return List.copyOf(evaluations);
    }

    /** Joins the cluster, opens the run and waits for {@code --min-workers} to be admitted. */
    @Override
    public void begin(ModelState state, int start) {
        this.start = start;
        lastVerified = -1;
        evaluations.clear();
        if (run != null) {
            truncateClusterLog(start);
        }
        String runId = cfg.name + "-" + UUID.randomUUID();
        co = new Coordinator(settings, options).secret(secret);
        if (train != null && options.verifyFraction() > 0) {
            LocalEvaluator local = new LocalEvaluator(backend, train, cfg.seed, cfg.batch);
            EsConfig es = cfg.esConfig();
            co.verifyWith(new Coordinator.SliceCheck() {
                @Override
                public float[] fitness(int g, int firstPair, int pairCount) {
                    return local.evaluate(new Generation(cfg.seed, g, es), firstPair, pairCount).fitness();
                }

                @Override
                public String backend() {
                    return backend.name();
                }
            }, new SecureRandom().nextLong());
        } else {
            LOG.warn("workers' results are not verified ({}): a worker that returns wrong fitness goes unnoticed",
                    train == null ? "the coordinator was given no training data" : "--verify-fraction 0");
        }
        clusterListeners.forEach(co::listen);
        co.start();
        co.beginRun(runId, cfg, datasetFingerprint, state, start, this::weightsHash);
        co.awaitWorkers(options.minWorkers(), start);
        LOG.info("run {}: {} worker{} admitted; generations {}..{}", runId, co.workers(),
                co.workers() == 1 ? "" : "s", start, cfg.generations - 1);
    }

    @Override
    public Fitnesses evaluate(Generation g) {
        current = co.evaluate(g.index());
        evaluations.add(current);
        return new Fitnesses(current.fitness(), current.correct());
    }

    /** Every replica applies the record before its next evaluation. */
    @Override
    public void updated(ScheduleRecord record, long updateNanos) {
        co.record(record);
        if (run != null) {
            appendClusterLine(record.generation(), current, updateNanos);
        }
    }

    /** Checks the replicas against the checkpoint and rebases catch-up on it. */
    @Override
    public void checkpointed(int generation, ModelState state) {
        if (co.workers() > 0) {
            co.verify(generation + 1, state.params().sha256());
        }
        co.rebase(state, generation + 1);
        lastVerified = generation;
    }

    @Override
    public void end(int generations, ModelState state) {
        if (lastVerified != generations - 1 && start < generations) {
            co.verify(generations, state.params().sha256());
        }
        logSummary();
    }

    @Override
    public void stop() {
        if (co != null) {
            co.close();
            co = null;
        }
    }

    private String weightsHash() {
        return backend.state().params().sha256();
    }

    private void appendClusterLine(int gen, Coordinator.Evaluation ev, long updateNanos) {
        ObjectNode o = TrainConfig.mapper().createObjectNode();
        o.put("generation", gen + 1);   // counted from 1, as in metrics.jsonl and the progress line
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
        run.append(clusterLog(), o.toString());
    }

    private Path clusterLog() {
        return run.root().resolve("cluster.jsonl");
    }

    /** A resumed run rewrites the lines from its first generation on, as metrics.jsonl does. */
    private void truncateClusterLog(int start) {
        run.truncateAfter(clusterLog(), start - 1);
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
