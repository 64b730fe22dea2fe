package io.eggroll.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.IExecutorService;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission of workers to a run: each worker member not seen before is checked (role, protocol,
 * software version) and sent a {@link PrepareTask} (data check and catch-up replay, answered
 * asynchronously); a worker that answers with the coordinator's weights hash becomes active, one
 * that cannot take part is refused for the rest of the run with the reason. Used from the
 * training thread only.
 */
final class Admissions {

    private static final Logger LOG = LoggerFactory.getLogger(Admissions.class);

    private record Pending(Member member, Future<PrepareReply> reply, int nextGeneration, String runId) {}

    private final List<ClusterListener> listeners;
    private final Duration answerTimeout;
    private final Map<UUID, Pending> admitting = new LinkedHashMap<>();
    private final Map<UUID, String> refused = new LinkedHashMap<>();
    private ClusterSecret secret = ClusterSecret.none();

    Admissions(List<ClusterListener> listeners, Duration answerTimeout) {
        this.listeners = listeners;
        this.answerTimeout = answerTimeout;
    }

    /** The secret every worker's reply must be tagged with. */
    void secret(ClusterSecret s) {
        this.secret = s;
    }

    /** Forgets every admission and refusal (a new run). */
    void clear() {
        admitting.clear();
        refused.clear();
    }

    /** Refuses a worker for the rest of the run. */
    void refuse(UUID id, String why) {
        refused.put(id, why);
    }

    /**
     * Starts the admission of the worker members not seen yet ({@code task} gives the one
     * {@link PrepareTask} this poll sends, asked at most once), drops active workers that left the
     * cluster, and moves finished admissions into {@code active}.
     */
    void poll(List<Member> workers, Map<UUID, WorkerHandle> active, int nextGeneration, Supplier<PrepareTask> task,
              IExecutorService exec) {
        Set<UUID> present = new HashSet<>();
        PrepareTask t = null;
        for (Member m : workers) {
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
            if (t == null) {
                t = task.get();
            }
            admitting.put(id, new Pending(m, exec.submitToMember(t, m), nextGeneration, t.runId));
        }
        active.values().removeIf(w -> {
            if (!present.contains(w.member.getUuid())) {
                LOG.warn("{} left the cluster", w);
                return true;
            }
            return false;
        });
        admitting.entrySet().removeIf(e -> finish(e.getKey(), e.getValue(), active, nextGeneration));
    }

    /** Whether every worker member has been refused and none is still being admitted. */
    boolean hopeless(List<Member> workers) {
        return admitting.isEmpty() && !refused.isEmpty()
                && workers.stream().allMatch(m -> refused.containsKey(m.getUuid()));
    }

    /** Why fewer than {@code min} workers are active: the refusals, or what is missing. */
    String whyTooFew(int admitted, int min, boolean hopeless, Duration joinTimeout, List<Member> workers,
                     ClusterSettings settings) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s: %d of %d worker%s admitted to cluster '%s'",
                hopeless ? "every worker refused the run" : "timed out after "
                        + joinTimeout.toSeconds() + " s waiting for workers",
                admitted, min, min == 1 ? "" : "s", settings.clusterName()));
        if (!refused.isEmpty()) {
            sb.append("; refused: ").append(String.join("; ", refused.values()));
        } else if (workers.isEmpty()) {
            sb.append("; no worker joined. Start workers with 'eggroll worker --cluster-name ")
                    .append(settings.clusterName()).append("' listening on one of ")
                    .append(settings.members().stream().limit(6).collect(Collectors.joining(", ")))
                    .append(settings.members().size() > 6 ? ", ..." : "")
                    .append(" (a worker with another cluster name forms its own cluster and is never seen)");
        } else {
            sb.append("; still catching up: ").append(admitting.values().stream()
                    .map(a -> Coordinator.address(a.member())).collect(Collectors.joining(", ")));
        }
        return sb.toString();
    }

    private boolean finish(UUID id, Pending a, Map<UUID, WorkerHandle> active, int generation) {
        if (!a.reply().isDone()) {
            return false;
        }
        Answer<PrepareReply> answer = Answer.await(a.reply(), System.nanoTime(), answerTimeout);
        PrepareReply r = answer.value();
        if (r == null) {
            String msg = "worker " + Coordinator.address(a.member()) + " could not join: it " + answer.failure();
            if (!answer.left()) {
                refused.put(id, msg);
            }
            LOG.warn(msg);
        } else if (!secret.valid(r.body(a.runId()), r.tag)) {
            String msg = "worker " + Coordinator.address(a.member()) + " refused: its answer carries no valid "
                    + "cluster-secret tag (it lacks this cluster's secret, --cluster-secret-file or "
                    + ClusterSecret.ENV + ", or has another one)";
            refused.put(id, msg);
            LOG.error(msg);
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

    /** Why a member cannot be a worker of this coordinator, or null. */
    private static String incompatible(Member m) {
        String where = "member " + Coordinator.address(m);
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
}
