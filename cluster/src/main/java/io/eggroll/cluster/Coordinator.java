package io.eggroll.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import io.eggroll.backend.ModelState;
import io.eggroll.train.TrainConfig;
import io.eggroll.train.schedule.ScheduleRecord;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's side of the cluster: a Hazelcast lite member (it stores nothing and runs no
 * tasks) that admits workers to a run ({@link Admissions}), splits each generation's antithetic
 * pairs across them in proportion to their measured speed, gathers per-member fitness, and re-runs
 * the slice of any worker that leaves, hangs or errs on the others (dispatch, here). It keeps the
 * run's seed schedule since the last rebase ({@link CatchUpLog}), so a worker that joins late
 * replays it and must reach the coordinator's weights hash before it takes work.
 */
public final class Coordinator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    /**
     * @param minWorkers   workers that must be admitted before the first generation
     * @param joinTimeout  how long to wait for them (and for any worker when none is left)
     * @param sliceTimeout a slice not answered within this is re-run elsewhere (a hung worker)
     * @param verifyFraction share of each worker slice's pairs the coordinator recomputes itself each
     *                       generation (at least one pair per slice while > 0; 0 turns verification off)
     */
    public record Options(int minWorkers, Duration joinTimeout, Duration sliceTimeout, double verifyFraction) {

        /** Default of {@link #verifyFraction}: 5 % of each slice, at least one pair. */
        public static final double DEFAULT_VERIFY_FRACTION = 0.05;

        public Options(int minWorkers, Duration joinTimeout, Duration sliceTimeout) {
            this(minWorkers, joinTimeout, sliceTimeout, DEFAULT_VERIFY_FRACTION);
        }

        public Options {
            if (!(verifyFraction >= 0 && verifyFraction <= 1)) {
                throw new IllegalArgumentException("--verify-fraction must be in [0, 1], got " + verifyFraction);
            }
            if (minWorkers < 1) {
                throw new IllegalArgumentException("--min-workers must be >= 1, got " + minWorkers);
            }
            if (joinTimeout.isNegative() || joinTimeout.isZero()) {
                throw new IllegalArgumentException("--join-timeout must be > 0, got " + joinTimeout);
            }
            if (sliceTimeout.isNegative() || sliceTimeout.isZero()) {
                throw new IllegalArgumentException("--slice-timeout must be > 0, got " + sliceTimeout);
            }
        }
    }

    /** One worker's share of a generation. */
    public record Slice(String worker, int firstPair, int pairCount, long applyNanos, long computeNanos) {}

    /**
     * A generation's gathered results: per-member fitness (member order), the number of correct
     * (member, sample) predictions, the wall time from first dispatch to last answer, the slowest
     * worker's own time (apply + evaluate), and how many slices had to be re-run.
     */
    public record Evaluation(float[] fitness, long correct, long wallNanos, long slowestWorkerNanos, int reruns,
                             List<Slice> slices) {
        /** Wall time not spent computing on the slowest worker: messaging, scheduling, waiting. */
        public long overheadNanos() {
            return Math.max(0, wallNanos - slowestWorkerNanos);
        }
    }

    /**
     * Recomputes fitness on the coordinator's own replica, which holds the weights before the
     * generation being evaluated: the reference a worker's result is checked against.
     */
    public interface SliceCheck {
        /** Fitness of members {@code [2 firstPair, 2 (firstPair + pairCount))} of generation {@code g}. */
        float[] fitness(int g, int firstPair, int pairCount);

        /** The backend the recomputation runs on: a worker on another one is compared with a tolerance. */
        String backend();
    }

    private record Dispatched(WorkerHandle worker, int firstPair, int pairCount, Future<SliceResult> result) {}

    private final ClusterSettings settings;
    private final Options options;
    private final List<ClusterListener> listeners = new ArrayList<>();
    private HazelcastInstance hz;
    private IExecutorService exec;

    private String runId;
    private TrainConfig cfg;
    private String fingerprint;
    private Supplier<String> weightsHash;
    private final CatchUpLog log = new CatchUpLog();

    private final Map<UUID, WorkerHandle> active = new LinkedHashMap<>();
    private final Admissions admissions;
    private ClusterSecret secret = ClusterSecret.none();
    private SliceCheck check;
    private SplittableRandom verifyRng;

    public Coordinator(ClusterSettings settings, Options options) {
        this.settings = settings;
        this.options = options;
        this.admissions = new Admissions(listeners, options.sliceTimeout());
    }

    /** The cluster secret: tasks carry its tag, and results without a valid one are refused. */
    public Coordinator secret(ClusterSecret s) {
        this.secret = s;
        admissions.secret(s);
        return this;
    }

    /**
     * Checks workers' results against {@code check}: each generation, a random run of
     * {@code verifyFraction} of each slice's pairs (at least one), chosen by an RNG seeded with
     * {@code seed} (keep it from the workers, or a liar could avoid the checked pairs).
     */
    public Coordinator verifyWith(SliceCheck check, long seed) {
        this.check = check;
        this.verifyRng = new SplittableRandom(seed);
        return this;
    }

    public Coordinator listen(ClusterListener l) {
        listeners.add(l);
        return this;
    }

    /** Hazelcast logs warnings and errors only, unless the user configured its level. */
    static void quietHazelcastLogs() {
        System.setProperty("hazelcast.logging.type", "slf4j");
        if (System.getProperty("org.slf4j.simpleLogger.log.com.hazelcast") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.com.hazelcast", "warn");
            // Its start-up advice on --add-opens concerns Hazelcast's own data structures, which
            // this cluster does not use (only scalars travel); see docs/CLUSTER.md for the flags.
            System.setProperty("org.slf4j.simpleLogger.log.com.hazelcast.instance.impl.HazelcastInstanceFactory",
                    "error");
            // A member that leaves (a coordinator at the end of its run, a worker that stops) is
            // first retried, with "Connection refused" warnings, then removed: the coordinator and
            // the workers each log one line of their own for that (left the cluster, run ended).
            System.setProperty("org.slf4j.simpleLogger.log.com.hazelcast.internal.server.tcp."
                    + "TcpServerConnectionErrorHandler", "error");
        }
    }

    /** Joins the cluster as a lite member. */
    public void start() {
        quietHazelcastLogs();
        secret.warnIfNone("coordinator");
        Map<String, String> attrs = Map.of(Wire.ATTR_ROLE, Wire.ROLE_COORDINATOR,
                Wire.ATTR_PROTOCOL, Integer.toString(Wire.PROTOCOL_VERSION), Wire.ATTR_VERSION, Wire.softwareVersion());
        hz = Hazelcast.newHazelcastInstance(settings.hazelcastConfig("eggroll-coordinator-"
                + ProcessHandle.current().pid() + "-" + INSTANCES.incrementAndGet(), true, attrs, Map.of()));
        exec = hz.getExecutorService(Wire.EXECUTOR);
        int size = hz.getCluster().getMembers().size();
        LOG.info("coordinator {} joined cluster '{}' ({} member{})", address(hz.getCluster().getLocalMember()),
                settings.clusterName(), size, size == 1 ? "" : "s");
    }

    /**
     * Starts a run: workers are admitted with {@code state} as the weights before generation
     * {@code nextGeneration} plus the schedule records since. {@code weightsHash} gives the
     * coordinator's current weights hash (what a joining worker must reach).
     */
    public void beginRun(String id, TrainConfig config, String datasetFingerprint, ModelState state,
                         int nextGeneration, Supplier<String> currentWeightsHash) {
        runId = id;
        cfg = config;
        fingerprint = datasetFingerprint;
        weightsHash = currentWeightsHash;
        active.clear();
        admissions.clear();
        log.reset(state, nextGeneration);
    }

    /**
     * New joiners start from {@code state}, the weights before {@code nextGeneration} (called at
     * checkpoints, so catch-up replays at most one checkpoint interval and old records are freed).
     */
    public void rebase(ModelState state, int nextGeneration) {
        log.rebase(state, nextGeneration);
        prune();
    }

    /** Adds a generation's schedule record: every replica applies it before its next evaluation. */
    public void record(ScheduleRecord r) {
        log.add(r);
    }

    /** Workers admitted and taking work. */
    public int workers() {
        return active.size();
    }

    /** Waits until at least {@code min} workers are admitted (or fails naming why none could be). */
    public void awaitWorkers(int min, int generation) {
        long deadline = System.nanoTime() + options.joinTimeout().toNanos();
        while (true) {
            pollAdmissions(generation);
            if (active.size() >= min) {
                return;
            }
            boolean hopeless = admissions.hopeless(workerMembers());
            if (hopeless || System.nanoTime() > deadline) {
                throw new ClusterException(admissions.whyTooFew(active.size(), min, hopeless, options.joinTimeout(),
                        workerMembers(), settings));
            }
            sleep(20);
        }
    }

    /** Evaluates every pair of generation {@code g} across the workers; re-runs failed slices. */
    public Evaluation evaluate(int g) {
        int pairs = cfg.es.population() / 2;
        float[] fitness = new float[2 * pairs];
        long correct = 0;
        long slowest = 0;
        int reruns = 0;
        List<Slice> slices = new ArrayList<>();
        Deque<int[]> todo = new ArrayDeque<>();
        todo.add(new int[] {0, pairs});
        long t0 = System.nanoTime();
        while (!todo.isEmpty()) {
            int[] range = todo.poll();
            pollAdmissions(g);
            if (active.isEmpty()) {
                LOG.warn("generation {}: no worker left; waiting up to {} s for one to join", g,
                        options.joinTimeout().toSeconds());
                awaitWorkers(1, g);
            }
            List<Dispatched> sent = dispatch(g, range[0], range[1]);
            long deadline = System.nanoTime() + options.sliceTimeout().toNanos();
            for (Dispatched d : sent) {
                Answer<SliceResult> a = Answer.await(d.result(), deadline, options.sliceTimeout());
                SliceResult r = a.value();
                if (r != null && !secret.valid(r.body(runId), r.tag)) {
                    evict(d.worker(), g, "its result for pairs [" + d.firstPair() + ", "
                            + (d.firstPair() + d.pairCount()) + ") carries no valid cluster-secret tag (it lacks this "
                            + "cluster's secret, or the message was altered)");
                    r = null;
                    a = new Answer<>(null, "sent a result without a valid cluster-secret tag", false);
                }
                if (r != null && r.fitness != null && r.fitness.length == 2 * d.pairCount()) {
                    String lie = recompute(g, d, r);
                    if (lie != null) {
                        evict(d.worker(), g, lie);
                        r = null;
                        a = new Answer<>(null, "returned fitness that differs from the coordinator's recomputation",
                                false);
                    }
                }
                if (r != null) {
                    if (r.generation != g || r.firstPair != d.firstPair() || r.fitness.length != 2 * d.pairCount()) {
                        throw new ClusterException(d.worker() + " answered generation " + r.generation + " pairs ["
                                + r.firstPair + ", +" + r.fitness.length / 2 + ") for generation " + g + " pairs ["
                                + d.firstPair() + ", +" + d.pairCount() + ")");
                    }
                    System.arraycopy(r.fitness, 0, fitness, 2 * d.firstPair(), 2 * d.pairCount());
                    correct += r.correct;
                    d.worker().nextRecord = g;
                    d.worker().observe(d.pairCount(), r.computeNanos);
                    slowest = Math.max(slowest, r.applyNanos + r.computeNanos);
                    slices.add(new Slice(d.worker().address, d.firstPair(), d.pairCount(), r.applyNanos,
                            r.computeNanos));
                    continue;
                }
                String failure = a.failure();
                reruns++;
                drop(d.worker());
                LOG.warn("generation {}: {} {} while evaluating pairs [{}, {}); re-running the slice on the other "
                        + "workers", g, d.worker(), failure, d.firstPair(), d.firstPair() + d.pairCount());
                for (ClusterListener l : listeners) {
                    l.onRerun(g, d.worker().address, d.firstPair(), d.pairCount(), failure);
                }
                todo.add(new int[] {d.firstPair(), d.pairCount()});
            }
        }
        prune();
        return new Evaluation(fitness, correct, System.nanoTime() - t0, slowest, reruns, slices);
    }

    /**
     * Brings every worker's replica to the weights before {@code nextGeneration} and checks its
     * hash against {@code hash}; a worker that differs is dropped and refused for the rest of the
     * run. Returns how many replicas match.
     */
    public int verify(int nextGeneration, String hash) {
        List<Dispatched> sent = new ArrayList<>();
        for (WorkerHandle w : new ArrayList<>(active.values())) {
            EvaluateTask t = new EvaluateTask(runId, nextGeneration, 0, 0, true, recordsFor(w, nextGeneration)).signed(secret);
            sent.add(new Dispatched(w, 0, 0, exec.submitToMember(t, w.member)));
        }
        int ok = 0;
        long deadline = System.nanoTime() + options.sliceTimeout().toNanos();
        for (Dispatched d : sent) {
            WorkerHandle w = d.worker();
            Answer<SliceResult> a = Answer.await(d.result(), deadline, options.sliceTimeout());
            if (a.value() == null) {
                LOG.warn("{} could not be verified before generation {}: it {}", w, nextGeneration, a.failure());
                drop(w);
            } else if (!secret.valid(a.value().body(runId), a.value().tag)) {
                evict(w, nextGeneration, "its replica check carries no valid cluster-secret tag");
            } else if (hash.equals(a.value().weightsHash)) {
                w.nextRecord = nextGeneration;
                ok++;
            } else {
                String msg = w + " diverged: its replica has weights sha256 " + a.value().weightsHash
                        + " before generation " + nextGeneration + ", the coordinator has " + hash;
                LOG.error(msg);
                drop(w);
                admissions.refuse(w.member.getUuid(), msg);
            }
        }
        prune();
        LOG.info("before generation {}: {} worker replica{} match weights sha256 {}", nextGeneration, ok,
                ok == 1 ? "" : "s", WorkerNode.shortHash(hash));
        return ok;
    }

    @Override
    public void close() {
        if (hz != null) {
            releaseWorkers();
            hz.shutdown();
            hz = null;
        }
    }

    // ------------------------------------------------------------------ internals

    private List<Dispatched> dispatch(int g, int firstPair, int pairCount) {
        List<WorkerHandle> ws = new ArrayList<>(active.values());
        ws.sort(Comparator.comparing(w -> w.address));
        double[] speed = new double[ws.size()];
        for (int i = 0; i < speed.length; i++) {
            speed[i] = ws.get(i).pairsPerSecond;
        }
        int[] counts = SliceAllocator.split(pairCount, speed);
        List<Dispatched> sent = new ArrayList<>();
        int first = firstPair;
        for (int i = 0; i < ws.size(); i++) {
            if (counts[i] == 0) {
                continue;
            }
            WorkerHandle w = ws.get(i);
            EvaluateTask t = new EvaluateTask(runId, g, first, counts[i], false, recordsFor(w, g)).signed(secret);
            sent.add(new Dispatched(w, first, counts[i], exec.submitToMember(t, w.member)));
            for (ClusterListener l : listeners) {
                l.onDispatch(g, w.address, first, counts[i]);
            }
            first += counts[i];
        }
        return sent;
    }

    /**
     * Tells every worker that this run is over, so that it may serve another coordinator at once
     * (a worker serves one run at a time; without this it would wait until this member has left).
     */
    private void releaseWorkers() {
        if (runId == null || exec == null) {
            return;
        }
        List<Future<Boolean>> sent = new ArrayList<>();
        try {
            for (Member m : workerMembers()) {
                sent.add(exec.submitToMember(signed(new ReleaseTask(runId)), m));
            }
        } catch (RuntimeException e) {
            LOG.debug("releasing the workers of run {}: {}", runId, e.toString());
        }
        for (Future<Boolean> f : sent) {
            try {
                f.get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                // a worker that left or hangs is released anyway once this member has left the cluster
                LOG.debug("releasing a worker of run {}: {}", runId, e.toString());
            }
        }
    }

    /**
     * Recomputes a random run of the slice's pairs and compares: bit for bit when the worker hosts
     * the coordinator's backend, else within a relative 1e-3 (backends may round differently).
     * Returns why the result is false, or null.
     */
    private String recompute(int g, Dispatched d, SliceResult r) {
        if (check == null || options.verifyFraction() <= 0) {
            return null;
        }
        int n = Math.min(d.pairCount(), Math.max(1, (int) Math.ceil(options.verifyFraction() * d.pairCount())));
        int from = d.firstPair() + verifyRng.nextInt(d.pairCount() - n + 1);
        float[] expected = check.fitness(g, from, n);
        boolean exact = check.backend().equals(d.worker().member.getAttribute(Wire.ATTR_BACKEND));
        for (int k = 0; k < expected.length; k++) {
            float got = r.fitness[2 * (from - d.firstPair()) + k];
            float want = expected[k];
            boolean same = exact ? Float.floatToRawIntBits(got) == Float.floatToRawIntBits(want)
                    : Math.abs(got - want) <= 1e-3f * Math.max(1f, Math.abs(want));
            if (!same) {
                return String.format(java.util.Locale.ROOT, "its fitness of member %d is %s where the coordinator's "
                        + "recomputation gives %s (%s); its slice is re-run", 2 * from + k, got, want,
                        exact ? "bit for bit on the same backend" : "beyond the cross-backend tolerance");
            }
        }
        return null;
    }

    private ReleaseTask signed(ReleaseTask t) {
        t.tag = secret.tag(t.body());
        return t;
    }

    /** Drops a worker and refuses it for the rest of the run, naming it and why. */
    private void evict(WorkerHandle w, int g, String why) {
        String msg = "generation " + g + ": " + w + " evicted: " + why;
        LOG.error(msg);
        drop(w);
        admissions.refuse(w.member.getUuid(), msg);
    }

    /** Records a worker still needs before it can evaluate generation {@code g}. */
    private List<ScheduleRecord> recordsFor(WorkerHandle w, int g) {
        return log.between(w.nextRecord, g);
    }

    /** Forgets records that neither a replica nor a future joiner needs. */
    private void prune() {
        log.prune(active.values().stream().mapToInt(w -> w.nextRecord).min().orElse(Integer.MAX_VALUE));
    }

    /** Admits new workers (asynchronously) and collects finished admissions. */
    private void pollAdmissions(int nextGeneration) {
        admissions.poll(workerMembers(), active, nextGeneration, () -> new PrepareTask(runId,
                hz.getCluster().getLocalMember().getUuid().toString(), address(hz.getCluster().getLocalMember()), cfg, fingerprint,
                log.baseGeneration(), log.base(), log.sinceBase(nextGeneration), weightsHash.get()).signed(secret), exec);
    }

    private void drop(WorkerHandle w) {
        active.remove(w.member.getUuid());
    }

    private List<Member> workerMembers() {
        List<Member> out = new ArrayList<>();
        for (Member m : hz.getCluster().getMembers()) {
            if (!m.isLiteMember() && !m.localMember()) {
                out.add(m);
            }
        }
        return out;
    }

    static String address(Member m) {
        return m.getAddress().getHost() + ":" + m.getAddress().getPort();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while waiting for workers");
        }
    }

    /** A cluster problem the run cannot continue through; the message says what and why. */
    public static final class ClusterException extends RuntimeException {
        public ClusterException(String message) {
            super(message);
        }
    }
}
