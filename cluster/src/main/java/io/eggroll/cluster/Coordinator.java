package io.eggroll.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import io.eggroll.backend.ModelState;
import io.eggroll.train.schedule.ScheduleRecord;
import io.eggroll.train.TrainConfig;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's side of the cluster: a Hazelcast lite member (it stores nothing and runs no
 * tasks) that admits workers to a run, splits each generation's antithetic pairs across them in
 * proportion to their measured speed, gathers per-member fitness, and re-runs the slice of any
 * worker that leaves, hangs or errs on the others. It keeps the run's seed schedule since the last
 * rebase, so a worker that joins late replays it and must reach the coordinator's weights hash
 * before it takes work.
 */
public final class Coordinator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    /**
     * @param minWorkers   workers that must be admitted before the first generation
     * @param joinTimeout  how long to wait for them (and for any worker when none is left)
     * @param sliceTimeout a slice not answered within this is re-run elsewhere (a hung worker)
     */
    public record Options(int minWorkers, Duration joinTimeout, Duration sliceTimeout) {
        public Options {
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

    private static final class WorkerHandle {
        final Member member;
        final String address;
        final String device;
        /** Generation of the next schedule record this replica needs. */
        int nextRecord;
        double pairsPerSecond = Double.NaN;

        WorkerHandle(Member member, int nextRecord) {
            this.member = member;
            this.address = address(member);
            this.device = String.valueOf(member.getAttribute(Wire.ATTR_DEVICE));
            this.nextRecord = nextRecord;
        }

        void observe(int pairs, long nanos) {
            double s = pairs / Math.max(1e-9, nanos / 1e9);
            pairsPerSecond = Double.isNaN(pairsPerSecond) ? s : 0.5 * pairsPerSecond + 0.5 * s;
        }

        @Override
        public String toString() {
            return "worker " + address + " (" + device + ")";
        }
    }

    private record Admission(Member member, Future<PrepareReply> reply, int nextGeneration) {}

    private record Dispatched(WorkerHandle worker, int firstPair, int pairCount, Future<SliceResult> result) {}

    private final ClusterSettings settings;
    private final Options options;
    private final List<ClusterListener> listeners = new ArrayList<>();
    private HazelcastInstance hz;
    private IExecutorService exec;

    private String runId;
    private TrainConfig cfg;
    private String fingerprint;
    private ModelState base;
    private int baseGeneration;
    private Supplier<String> weightsHash;
    private final TreeMap<Integer, ScheduleRecord> records = new TreeMap<>();

    private final Map<UUID, WorkerHandle> active = new LinkedHashMap<>();
    private final Map<UUID, Admission> admitting = new LinkedHashMap<>();
    private final Map<UUID, String> refused = new LinkedHashMap<>();

    public Coordinator(ClusterSettings settings, Options options) {
        this.settings = settings;
        this.options = options;
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
        }
    }

    /** Joins the cluster as a lite member. */
    public void start() {
        quietHazelcastLogs();
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
        records.clear();
        active.clear();
        admitting.clear();
        refused.clear();
        rebase(state, nextGeneration);
    }

    /**
     * New joiners start from {@code state}, the weights before {@code nextGeneration} (called at
     * checkpoints, so catch-up replays at most one checkpoint interval and old records are freed).
     */
    public void rebase(ModelState state, int nextGeneration) {
        base = state.copy();
        baseGeneration = nextGeneration;
        prune();
    }

    /** Adds a generation's schedule record: every replica applies it before its next evaluation. */
    public void record(ScheduleRecord r) {
        records.put(r.generation(), r);
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
            boolean hopeless = admitting.isEmpty() && !refused.isEmpty() && workerMembers().stream()
                    .allMatch(m -> refused.containsKey(m.getUuid()));
            if (hopeless || System.nanoTime() > deadline) {
                throw new ClusterException(noWorkersMessage(min, hopeless));
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
                Answer<SliceResult> a = await(d.result(), deadline);
                SliceResult r = a.value();
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
            EvaluateTask t = new EvaluateTask(runId, nextGeneration, 0, 0, true, recordsFor(w, nextGeneration));
            sent.add(new Dispatched(w, 0, 0, exec.submitToMember(t, w.member)));
        }
        int ok = 0;
        long deadline = System.nanoTime() + options.sliceTimeout().toNanos();
        for (Dispatched d : sent) {
            WorkerHandle w = d.worker();
            Answer<SliceResult> a = await(d.result(), deadline);
            if (a.value() == null) {
                LOG.warn("{} could not be verified before generation {}: it {}", w, nextGeneration, a.failure());
                drop(w);
            } else if (hash.equals(a.value().weightsHash)) {
                w.nextRecord = nextGeneration;
                ok++;
            } else {
                String msg = w + " diverged: its replica has weights sha256 " + a.value().weightsHash
                        + " before generation " + nextGeneration + ", the coordinator has " + hash;
                LOG.error(msg);
                drop(w);
                refused.put(w.member.getUuid(), msg);
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
            EvaluateTask t = new EvaluateTask(runId, g, first, counts[i], false, recordsFor(w, g));
            sent.add(new Dispatched(w, first, counts[i], exec.submitToMember(t, w.member)));
            for (ClusterListener l : listeners) {
                l.onDispatch(g, w.address, first, counts[i]);
            }
            first += counts[i];
        }
        return sent;
    }

    /** Records a worker still needs before it can evaluate generation {@code g}. */
    private List<ScheduleRecord> recordsFor(WorkerHandle w, int g) {
        return recordsBetween(w.nextRecord, g);
    }

    private List<ScheduleRecord> recordsBetween(int from, int to) {
        List<ScheduleRecord> out = new ArrayList<>(records.subMap(from, true, to, false).values());
        if (out.size() != to - from) {
            throw new IllegalStateException("schedule records [" + from + ", " + to + ") are not all held ("
                    + out.size() + " of " + (to - from) + ")");
        }
        return out;
    }

    /** Forgets records that neither a replica nor a future joiner needs. */
    private void prune() {
        int keep = baseGeneration;
        for (WorkerHandle w : active.values()) {
            keep = Math.min(keep, w.nextRecord);
        }
        records.headMap(keep, false).clear();
    }

    /** Admits new workers (asynchronously) and collects finished admissions. */
    private void pollAdmissions(int nextGeneration) {
        Set<UUID> present = new HashSet<>();
        String hash = null;
        for (Member m : workerMembers()) {
            UUID id = m.getUuid();
            present.add(id);
            if (active.containsKey(id) || admitting.containsKey(id) || refused.containsKey(id)) {
                continue;
            }
            String bad = incompatible(m);
            if (bad != null) {
                refused.put(id, bad);
                LOG.warn(bad);
                continue;
            }
            if (hash == null) {
                hash = weightsHash.get();
            }
            PrepareTask t = new PrepareTask(runId, cfg, fingerprint, baseGeneration, base,
                    recordsBetween(baseGeneration, nextGeneration), hash);
            admitting.put(id, new Admission(m, exec.submitToMember(t, m), nextGeneration));
        }
        active.values().removeIf(w -> {
            if (!present.contains(w.member.getUuid())) {
                LOG.warn("{} left the cluster", w);
                return true;
            }
            return false;
        });
        admitting.entrySet().removeIf(e -> finishAdmission(e.getKey(), e.getValue(), nextGeneration));
    }

    private boolean finishAdmission(UUID id, Admission a, int generation) {
        if (!a.reply().isDone()) {
            return false;
        }
        Answer<PrepareReply> answer = await(a.reply(), System.nanoTime());
        PrepareReply r = answer.value();
        if (r == null) {
            String msg = "worker " + address(a.member()) + " could not join: it " + answer.failure();
            if (!answer.left()) {
                refused.put(id, msg);
            }
            LOG.warn(msg);
        } else if (r.accepted) {
            WorkerHandle w = new WorkerHandle(a.member(), r.nextGeneration);
            active.put(id, w);
            LOG.info("generation {}: {}", generation, r.message);
            for (ClusterListener l : listeners) {
                l.onJoin(generation, w.address, w.device);
            }
        } else {
            refused.put(id, r.message);
            LOG.warn(r.message);
        }
        return true;
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

    /** Why a member cannot be a worker of this coordinator, or null. */
    private static String incompatible(Member m) {
        String where = "member " + address(m);
        if (!Wire.ROLE_WORKER.equals(m.getAttribute(Wire.ATTR_ROLE))) {
            return where + " is not an eggroll worker (role " + m.getAttribute(Wire.ATTR_ROLE) + "); ignoring it";
        }
        String protocol = m.getAttribute(Wire.ATTR_PROTOCOL);
        if (!Integer.toString(Wire.PROTOCOL_VERSION).equals(protocol)) {
            return where + " refused: it speaks cluster protocol " + protocol + ", this coordinator speaks "
                    + Wire.PROTOCOL_VERSION + " (run the same eggroll build everywhere)";
        }
        String version = m.getAttribute(Wire.ATTR_VERSION);
        if (!Wire.softwareVersion().equals(version)) {
            return where + " refused: it runs eggroll " + version + ", this coordinator runs "
                    + Wire.softwareVersion() + " (run the same eggroll build everywhere)";
        }
        return null;
    }

    private String noWorkersMessage(int min, boolean hopeless) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s: %d of %d worker%s admitted to cluster '%s'",
                hopeless ? "every worker refused the run" : "timed out after "
                        + options.joinTimeout().toSeconds() + " s waiting for workers",
                active.size(), min, min == 1 ? "" : "s", settings.clusterName()));
        if (!refused.isEmpty()) {
            sb.append("; refused: ").append(String.join("; ", refused.values()));
        } else if (workerMembers().isEmpty()) {
            sb.append("; no worker joined. Start workers with 'eggroll worker --cluster-name ")
                    .append(settings.clusterName()).append("' listening on one of ")
                    .append(settings.members().stream().limit(6).collect(Collectors.joining(", ")))
                    .append(settings.members().size() > 6 ? ", ..." : "")
                    .append(" (a worker with another cluster name forms its own cluster and is never seen)");
        } else {
            sb.append("; still catching up: ").append(admitting.values().stream()
                    .map(a -> address(a.member())).collect(Collectors.joining(", ")));
        }
        return sb.toString();
    }

    /** A task's result, or why there is none ({@code left}: its member left the cluster). */
    private record Answer<T>(T value, String failure, boolean left) {}

    /**
     * Waits for a task until {@code deadline}. Hazelcast reports a member that left as a
     * MemberLeftException (itself an ExecutionException), or wrapped in an unchecked
     * HazelcastException depending on the path; both count as "left the cluster".
     */
    private <T> Answer<T> await(Future<T> f, long deadline) {
        try {
            return new Answer<>(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS), null, false);
        } catch (TimeoutException e) {
            // No cancel: Hazelcast's cancel is a remote call that waits on the silent member. The
            // worker is dropped, and whatever it answers later is ignored.
            return new Answer<>(null, "gave no answer within " + options.sliceTimeout().toSeconds() + " s (hung?)",
                    false);
        } catch (ExecutionException | RuntimeException e) {
            if (left(e)) {
                return new Answer<>(null, "left the cluster", true);
            }
            Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            return new Answer<>(null, "failed: " + (t.getMessage() == null ? t.toString() : t.getMessage()), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while waiting for workers");
        }
    }

    private static boolean left(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MemberLeftException || t instanceof TargetNotMemberException
                    || t instanceof HazelcastInstanceNotActiveException) {
                return true;
            }
        }
        return false;
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
