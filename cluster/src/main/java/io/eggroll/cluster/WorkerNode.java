package io.eggroll.cluster;

import io.eggroll.backend.Backend;
import io.eggroll.data.SpikeDataset;
import io.eggroll.es.EsConfig;
import io.eggroll.es.Generation;
import io.eggroll.train.Footprint;
import io.eggroll.train.LocalEvaluator;
import io.eggroll.train.PopulationEvaluator;
import io.eggroll.train.TaskData;
import io.eggroll.train.Tasks;
import io.eggroll.train.TrainConfig;
import io.eggroll.train.schedule.ScheduleRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a worker process holds: one backend with a replica of the run's weights, and its own copy of
 * the training data. It is admitted to a run by {@link #prepare} (data check, replay of the seed
 * schedule up to the coordinator's weights hash) and then evaluates slices of the population,
 * applying each generation's schedule record before the next evaluation: the seed schedule is the
 * replication log.
 *
 * <p>Calls are serialised: one run at a time, one slice at a time. Once admitted to a run, the
 * worker serves that run only: a {@link PrepareTask} for another run is refused, naming the run it
 * serves and its coordinator, until that coordinator {@link #release releases} it at the end of the
 * run or leaves the cluster (a crash).
 */
public final class WorkerNode {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerNode.class);

    private final Backend backend;
    private final Path dataDir;
    private final Path workDir;

    /** A worker's work directory when none is given: {@code data} under its working directory. */
    static final String DEFAULT_WORK_DIR = "data";
    private volatile String address = "worker";
    private volatile ClusterSecret secret = ClusterSecret.none();
    /** Fault injection for tests only: a worker that negates every fitness it returns (and tags the lie). */
    volatile boolean negateFitnessForTests;

    private String dataKey;
    private TaskData data;

    private String runId;
    /** The coordinator of {@link #runId}: its member id, and its address for messages. */
    private String coordinator;
    private String coordinatorAddress;
    /** The member id of the coordinator that last released this worker (its run ended), until it leaves. */
    private String released;
    /** Whether a member id is still in the cluster; set by the worker process, everyone counts as present until then. */
    private volatile Predicate<String> memberPresent = id -> true;
    private TrainConfig cfg;
    private EsConfig es;
    private LocalEvaluator evaluator;
    /** The generation whose record this replica applies next: its weights are those before it. */
    private int nextGeneration;

    /**
     * @param backend the backend this worker hosts (owned: closed by the worker process)
     * @param dataDir official N-MNIST root on this machine, or null to use the run's setting
     * @param workDir converted-data and cache directory on this machine, or null for
     *                {@value #DEFAULT_WORK_DIR} under the working directory (never the coordinator's)
     */
    public WorkerNode(Backend backend, Path dataDir, Path workDir) {
        this.backend = backend;
        this.dataDir = dataDir;
        this.workDir = workDir != null ? workDir : Path.of(DEFAULT_WORK_DIR);
    }

    void setAddress(String address) {
        this.address = address;
    }

    /** The cluster secret every task must be tagged with; this worker tags its answers with it. */
    void setSecret(ClusterSecret secret) {
        this.secret = secret;
    }

    /** Tags {@code reply} as this worker's answer for run {@code run}. */
    PrepareReply signed(PrepareReply reply, String run) {
        reply.tag = secret.tag(reply.body(run));
        return reply;
    }

    /** How this worker learns whether a coordinator is still in the cluster (member id to present). */
    void setMembership(Predicate<String> present) {
        this.memberPresent = present;
    }

    String describe() {
        return "worker " + address + " (" + backend.device() + ")";
    }

    Backend backend() {
        return backend;
    }

    /** Admits this worker to the run described by the task, or says why it cannot take part. */
    synchronized PrepareReply prepare(PrepareTask t) {
        return signed(admit(t), t.runId);
    }

    private PrepareReply admit(PrepareTask t) {
        if (t.protocol == Wire.PROTOCOL_VERSION && !secret.valid(t.body(), t.tag)) {
            return refuse("the task for run " + t.runId + " from " + t.coordinatorAddress + " carries no valid "
                    + "cluster-secret tag: that coordinator lacks this cluster's secret (--cluster-secret-file or "
                    + ClusterSecret.ENV + ") or the message was altered");
        }
        if (runId != null && !runId.equals(t.runId) && memberPresent.test(coordinator)) {
            return refuse("it is serving run " + runId + " for coordinator " + coordinatorAddress
                    + ", and a worker serves one run at a time; wait for that run to end, or start another worker");
        }
        runId = null; // until the replay checks out, this worker holds no usable replica
        if (t.protocol != Wire.PROTOCOL_VERSION) {
            return refuse("the coordinator speaks cluster protocol " + t.protocol + ", this worker speaks "
                    + Wire.PROTOCOL_VERSION + " (run the same eggroll build everywhere)");
        }
        if (!Wire.softwareVersion().equals(t.version)) {
            return refuse("the coordinator runs eggroll " + t.version + ", this worker runs "
                    + Wire.softwareVersion() + " (run the same eggroll build everywhere)");
        }
        TrainConfig c = t.config();
        boolean loihi = c.precision.equals("loihi");
        if (loihi != backend.name().equals("loihi-sim")) {
            return refuse("the run uses precision '" + c.precision + "', which needs backend '"
                    + c.resolvedBackend() + "', but this worker hosts '" + backend.name() + "'");
        }
        try {
            Footprint.of(c).requireFits(Runtime.getRuntime().maxMemory());
        } catch (IllegalArgumentException e) {
            return refuse("the run does not fit this worker's heap: " + e.getMessage());
        }
        SpikeDataset train;
        try {
            train = data(c).train();
        } catch (RuntimeException e) {
            return refuse("cannot load the run's '" + c.task + "' data here: " + e.getMessage());
        }
        if (!train.fingerprint().equals(t.fingerprint)) {
            return refuse("dataset fingerprint mismatch: the coordinator trains on data with fingerprint "
                    + t.fingerprint + ", this worker loaded " + train.name() + " (" + train.size()
                    + " samples) with fingerprint " + train.fingerprint()
                    + "; give every worker the same data (--data, --work-dir)");
        }
        if (t.base.network().inputs() != train.inputs() || t.base.network().outputs() < train.classes()) {
            return refuse("network " + t.base.network() + " does not fit this worker's " + train.name());
        }
        long t0 = System.nanoTime();
        backend.load(t.base);
        cfg = c;
        es = c.esConfig();
        nextGeneration = t.baseGeneration;
        try {
            apply(t.records);
        } catch (IllegalStateException e) {
            return refuse(e.getMessage());
        }
        String hash = backend.state().params().sha256();
        long replay = System.nanoTime() - t0;
        if (!hash.equals(t.expectedHash)) {
            return refuse("replaying " + t.records.size() + " schedule records from generation " + t.baseGeneration
                    + " reached weights sha256 " + hash + ", the coordinator has " + t.expectedHash
                    + " (this worker's backend does not reproduce the update bit for bit)");
        }
        evaluator = new LocalEvaluator(backend, train, c.seed, c.batch);
        runId = t.runId;
        coordinator = t.coordinator;
        coordinatorAddress = t.coordinatorAddress;
        String msg = String.format(Locale.ROOT, "%s joined run %s at generation %d: replayed %d schedule record%s "
                        + "in %.1f ms, weights sha256 %s", describe(), t.runId, nextGeneration, t.records.size(),
                t.records.size() == 1 ? "" : "s", replay / 1e6, shortHash(hash));
        LOG.info(msg);
        return PrepareReply.accepted(hash, nextGeneration, replay, msg);
    }

    /** Ends this worker's part in the run (its coordinator is done with it); other runs may then prepare it. */
    synchronized boolean release(ReleaseTask t) {
        if (!secret.valid(t.body(), t.tag)) {
            LOG.warn("{} ignored a release of run {}: it carries no valid cluster-secret tag", describe(), t.runId);
            return false;
        }
        return release(t.runId);
    }

    synchronized boolean release(String run) {
        if (runId == null || !runId.equals(run)) {
            return false;
        }
        LOG.info("{}: run {} ended; its coordinator {} released this worker, which waits for the next run",
                describe(), runId, coordinatorAddress);
        released = coordinator;
        runId = null;
        return true;
    }

    /**
     * A member left the cluster. When it is the coordinator of the run this worker serves, the run
     * is over for this worker (the coordinator stopped or crashed without ending it); when it is
     * the coordinator that just ended its run, it says so. Either way one line, in place of
     * Hazelcast's connection errors.
     */
    synchronized void memberLeft(String memberId, String memberAddress) {
        if (runId != null && memberId.equals(coordinator)) {
            LOG.warn("{}: coordinator {} of run {} left the cluster before ending the run (stopped or crashed); "
                    + "this worker waits for the next run", describe(), memberAddress, runId);
            runId = null;
        } else if (memberId.equals(released)) {
            LOG.info("{}: coordinator {} left the cluster after its run ended", describe(), memberAddress);
            released = null;
        }
    }

    /** Applies pending records, then evaluates the slice (if any). */
    synchronized SliceResult evaluate(EvaluateTask t) {
        if (!secret.valid(t.body(), t.tag)) {
            String msg = describe() + " refused a task for run " + t.runId + " generation " + t.generation
                    + ": it carries no valid cluster-secret tag (the sender lacks this cluster's secret, or the "
                    + "message was altered)";
            LOG.warn(msg);
            throw new SecurityException(msg);
        }
        if (runId == null || !runId.equals(t.runId)) {
            throw new IllegalStateException(describe() + " is not prepared for run " + t.runId
                    + (runId == null ? "" : " (it holds run " + runId + ")"));
        }
        long t0 = System.nanoTime();
        apply(t.records);
        if (nextGeneration != t.generation) {
            runId = null;
            throw new IllegalStateException(describe() + ": replica holds the weights before generation "
                    + nextGeneration + ", the coordinator asks for generation " + t.generation);
        }
        long t1 = System.nanoTime();
        float[] fitness = new float[2 * t.pairCount];
        long correct = 0;
        if (t.pairCount > 0) {
            PopulationEvaluator.Fitnesses f = evaluator.evaluate(new Generation(cfg.seed, t.generation, es),
                    t.firstPair, t.pairCount);
            fitness = f.fitness();
            if (negateFitnessForTests) {
                for (int i = 0; i < fitness.length; i++) {
                    fitness[i] = -fitness[i];
                }
            }
            correct = f.correct();
        }
        long t2 = System.nanoTime();
        String hash = t.wantHash ? backend.state().params().sha256() : null;
        SliceResult r = new SliceResult(t.generation, t.firstPair, t.pairCount, fitness, correct, t1 - t0, t2 - t1,
                hash);
        r.tag = secret.tag(r.body(t.runId));
        return r;
    }

    /** Applies schedule records in order; each must be the next generation this replica needs. */
    private void apply(List<ScheduleRecord> records) {
        for (ScheduleRecord r : records) {
            if (r.generation() != nextGeneration) {
                runId = null;
                throw new IllegalStateException(describe() + ": schedule record for generation " + r.generation()
                        + " arrived where generation " + nextGeneration + " was expected");
            }
            backend.update(r.toGeneration(cfg.seed, es), r.shapedFitness(), r.effectivePopulation(), r.learningRate());
            nextGeneration++;
        }
    }

    /**
     * The run's config as this machine runs it: its own official-data root when given, and always
     * its own work directory. The coordinator's {@code data.workDir} is never used, so a
     * coordinator cannot make a worker create or write files where it says.
     */
    TrainConfig localConfig(TrainConfig c) {
        TrainConfig local = c.copy();
        if (dataDir != null) {
            local.data.dir = dataDir.toString();
        }
        local.data.workDir = workDir.toString();
        return local;
    }

    /** The run's data as this machine has it; loaded once per distinct data setting. */
    private TaskData data(TrainConfig c) {
        TrainConfig local = localConfig(c);
        String key = local.task + "|" + (local.task.equals("synthetic") ? local.seed + "|"
                + TrainConfig.mapper().valueToTree(local.synthetic) : TrainConfig.mapper().valueToTree(local.data));
        if (!key.equals(dataKey)) {
            LOG.info("{}: loading task '{}'", describe(), local.task);
            data = Tasks.load(local, null);
            dataKey = key;
        }
        return data;
    }

    private PrepareReply refuse(String why) {
        String msg = describe() + " refused the run: " + why;
        LOG.warn(msg);
        return PrepareReply.refused(msg);
    }

    static String shortHash(String sha) {
        return sha == null ? "-" : sha.substring(0, Math.min(12, sha.length()));
    }
}
