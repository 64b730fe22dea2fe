package io.eggroll.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.eggroll.backend.ModelState;
import io.eggroll.backend.cpu.CpuBackend;
import io.eggroll.snn.Params;
import io.eggroll.snn.SnnConfig;
import io.eggroll.train.TaskData;
import io.eggroll.train.TrainConfig;
import io.eggroll.train.Trainer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Workers as Hazelcast members in this JVM: an honest one, a rogue one that holds the secret but
 * negates every fitness, one without the secret and one with another secret. The outsiders are
 * refused, the rogue is evicted by the coordinator's recomputation and named, and the run ends
 * with the weights of a single-process run.
 */
class ClusterVerificationTest {

    private final List<HazelcastInstance> members = new ArrayList<>();
    private final List<CpuBackend> backends = new ArrayList<>();

    @AfterEach
    void tearDown() {
        members.forEach(HazelcastInstance::shutdown);
        backends.forEach(CpuBackend::close);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aRogueWorkerIsEvictedAndWorkersWithoutTheSecretAreRefused() throws IOException {
        TrainConfig cfg = WorkerNodeTest.smallConfig(20261201L);
        cfg.name = "verify";
        cfg.generations = 4;
        TaskData d = TaskData.synthetic(cfg);
        String expected;
        try (CpuBackend b = new CpuBackend(1)) {
            expected = new Trainer(cfg, d.train(), d.validation(), b, null).run(fresh(cfg, d), 0, 0).state().params()
                    .sha256();
        }

        String name = "eggroll-verify-" + UUID.randomUUID().toString().substring(0, 8);
        int[] ports = Loopback.freePorts(5);
        List<String> list = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            list.add("127.0.0.1:" + ports[i]);
        }
        ClusterSecret secret = ClusterSecret.of("the-secret");
        String honest = worker(name, ports[0], list, secret, false);
        String rogue = worker(name, ports[1], list, secret, true);
        String stranger = worker(name, ports[2], list, ClusterSecret.none(), false);
        String impostor = worker(name, ports[3], list, ClusterSecret.of("another-secret"), false);

        List<String> joined = Collections.synchronizedList(new ArrayList<>());
        List<String> dispatched = Collections.synchronizedList(new ArrayList<>());
        List<String> reruns = Collections.synchronizedList(new ArrayList<>());
        String got;
        try (CpuBackend b = new CpuBackend(2)) {
            ClusterEvaluator ev = new ClusterEvaluator(cfg, d.train(), b, null,
                    new ClusterSettings(name, "127.0.0.1", ports[4], 1, list, 5),
                    new Coordinator.Options(2, Duration.ofSeconds(60), Duration.ofSeconds(30), 0.05))
                    .secret(secret)
                    .listen(new ClusterListener() {
                        @Override
                        public void onJoin(int generation, String worker, String device) {
                            joined.add(worker);
                        }

                        @Override
                        public void onDispatch(int generation, String worker, int firstPair, int pairCount) {
                            dispatched.add(worker);
                        }

                        @Override
                        public void onRerun(int generation, String worker, int firstPair, int pairCount,
                                            String reason) {
                            reruns.add(generation + " " + worker + ": " + reason);
                        }
                    });
            got = new Trainer(cfg, d.train(), d.validation(), b, null, ev).run(fresh(cfg, d), 0, 0).state().params()
                    .sha256();
        }

        assertThat(got).isEqualTo(expected);
        assertThat(joined).containsExactlyInAnyOrder(honest, rogue);
        assertThat(dispatched).doesNotContain(stranger, impostor);
        assertThat(reruns).containsExactly("0 " + rogue
                + ": returned fitness that differs from the coordinator's recomputation");
        assertThat(dispatched.stream().filter(rogue::equals)).hasSize(1);
    }

    /** Starts a worker member; returns its address. */
    private String worker(String cluster, int port, List<String> list, ClusterSecret secret, boolean rogue) {
        CpuBackend b = new CpuBackend(1);
        backends.add(b);
        WorkerNode node = new WorkerNode(b, null, null);
        node.setSecret(secret);
        node.negateFitnessForTests = rogue;
        HazelcastInstance hz = WorkerCommand.join(new ClusterSettings(cluster, "127.0.0.1", port, 1, list, 5), node,
                "eggroll-verify-worker-" + port);
        members.add(hz);
        var a = hz.getCluster().getLocalMember().getAddress();
        return a.getHost() + ":" + a.getPort();
    }

    private static ModelState fresh(TrainConfig cfg, TaskData d) {
        SnnConfig net = cfg.networkConfig(d.train().inputs(), d.train().classes());
        return ModelState.fresh(Params.init(net, cfg.seed, cfg.network.initGain), cfg.optimizerConfig());
    }
}
