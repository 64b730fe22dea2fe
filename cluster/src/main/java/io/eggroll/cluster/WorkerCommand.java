package io.eggroll.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import io.eggroll.backend.Backend;
import io.eggroll.backend.BackendOptions;
import io.eggroll.backend.Backends;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code eggroll worker}: a cluster member that hosts one backend and a replica of the run's weights. */
@Command(name = "worker", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Join an eggroll cluster as a worker that evaluates slices of the population.",
                "Hosts one backend for coordinators started with 'eggroll train --cluster'. Runs until stopped",
                "(Ctrl-C, SIGTERM).",
                "Hazelcast's open-source edition has no TLS: keep the cluster on a private network (see docs/CLUSTER.md)."})
public final class WorkerCommand implements Callable<Integer> {

    @Option(names = "--cluster-name", required = true, description = "Cluster name; must match the coordinator's.")
    String clusterName;

    @Option(names = "--cluster-secret-file", paramLabel = "FILE",
            description = "File holding the cluster's shared secret (default: the " + ClusterSecret.ENV
                    + " environment variable; without either the cluster is unauthenticated).")
    Path secretFile;

    @Option(names = "--bind", defaultValue = ClusterSettings.DEFAULT_BIND,
            description = "Interface to bind (default: ${DEFAULT-VALUE}, loopback only).")
    String bind;

    @Option(names = "--port", defaultValue = "5701", description = "First port to try (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--port-count", defaultValue = "10",
            description = "Ports tried from --port when it is taken (default: ${DEFAULT-VALUE}).")
    int portCount;

    @Option(names = "--members", split = ",",
            description = "host:port (or host:firstPort-lastPort) of members to join; default: this host's port range.")
    List<String> members;

    @Option(names = "--backend", defaultValue = "cpu", description = "Backend this worker hosts (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--device", description = "Device index or name substring for the backend.")
    String device;

    @Option(names = "--threads", defaultValue = "0", description = "Backend threads (0 = all processors).")
    int threads;

    @Option(names = "--data", description = "Official N-MNIST root on this machine (default: the run's setting).")
    Path data;

    @Option(names = "--work-dir", description = "Converted-data and cache directory on this machine; the worker "
            + "writes nowhere else, whatever the coordinator's config says (default: ./data).")
    Path workDir;

    @Option(names = "--heartbeat-timeout", defaultValue = "15",
            description = "Seconds without a heartbeat before a member is dropped (default: ${DEFAULT-VALUE}).")
    int heartbeatSeconds;

    @Option(names = "--parent-pid", description = "Exit when the process with this id ends (for scripts and tests).")
    Long parentPid;

    /** Fault injection for tests only, never set from the command line: the worker negates every fitness. */
    boolean negateFitnessForTests;

    @Override
    public Integer call() throws InterruptedException {
        ClusterSettings settings = new ClusterSettings(clusterName, bind, port, portCount,
                members != null ? members : List.of(bind + ":" + port + "-" + (port + portCount - 1)), heartbeatSeconds);
        ClusterSecret secret = ClusterSecret.load(secretFile, System.getenv());
        BackendOptions opts = BackendOptions.defaults()
                .withThreads(threads == 0 ? Runtime.getRuntime().availableProcessors() : threads).withDevice(device);
        try (Backend b = Backends.create(backend, opts)) {
            WorkerNode node = new WorkerNode(b, data, workDir);
            node.setSecret(secret);
            node.negateFitnessForTests = negateFitnessForTests;
            secret.warnIfNone("worker");
            HazelcastInstance hz = join(settings, node, "eggroll-worker-" + ProcessHandle.current().pid());
            CountDownLatch down = new CountDownLatch(1);
            hz.getLifecycleService().addLifecycleListener(e -> {
                if (e.getState() == LifecycleEvent.LifecycleState.SHUTDOWN) {
                    down.countDown();
                }
            });
            if (parentPid != null) {
                ProcessHandle.of(parentPid).ifPresentOrElse(
                        p -> p.onExit().thenRun(hz::shutdown),
                        hz::shutdown);
            }
            System.out.printf("%s ready in cluster '%s' (%d member%s)%n", node.describe(), clusterName,
                    hz.getCluster().getMembers().size(), hz.getCluster().getMembers().size() == 1 ? "" : "s");
            System.out.flush();
            down.await();
        }
        return 0;
    }

    /** Starts the Hazelcast member that hosts {@code node} and tells the node its address and the membership. */
    static HazelcastInstance join(ClusterSettings settings, WorkerNode node, String instanceName) {
        Backend b = node.backend();
        Map<String, String> attrs = Map.of(Wire.ATTR_ROLE, Wire.ROLE_WORKER,
                Wire.ATTR_PROTOCOL, Integer.toString(Wire.PROTOCOL_VERSION), Wire.ATTR_VERSION, Wire.softwareVersion(),
                Wire.ATTR_BACKEND, b.name(), Wire.ATTR_DEVICE, b.device());
        Coordinator.quietHazelcastLogs();
        HazelcastInstance hz = Hazelcast.newHazelcastInstance(settings.hazelcastConfig(instanceName, false, attrs,
                Map.of(Wire.WORKER_KEY, node)));
        node.setMembership(id -> hz.getCluster().getMembers().stream().anyMatch(m -> m.getUuid().toString().equals(id)));
        hz.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent e) {
                // admission happens when a coordinator prepares this worker
            }

            @Override
            public void memberRemoved(MembershipEvent e) {
                node.memberLeft(e.getMember().getUuid().toString(), Coordinator.address(e.getMember()));
            }
        });
        var local = hz.getCluster().getLocalMember().getAddress();
        node.setAddress(local.getHost() + ":" + local.getPort());
        return hz;
    }
}
