package io.eggroll.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.eggroll.backend.ModelState;
import io.eggroll.backend.cpu.CpuBackend;
import io.eggroll.cli.Main;
import io.eggroll.snn.Params;
import io.eggroll.snn.SnnConfig;
import io.eggroll.train.RunDirectory;
import io.eggroll.train.TaskData;
import io.eggroll.train.TrainConfig;
import io.eggroll.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real worker JVMs on loopback, each on a port the system handed out as free, spawned with the
 * test's java binary and class path; the coordinator runs in the test JVM as a Hazelcast lite
 * member on another such port. The tests run in order on
 * one set of workers: refusals, bit-identical runs (fresh and resumed), a worker killed with
 * SIGKILL in the middle of a generation, a worker that joins mid-run, and one frozen with SIGSTOP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterProcessTest {

    /** Workers started before the tests, plus the one that joins mid-run. */
    private static final int WORKER_PORTS = 4;
    private static final Pattern READY = Pattern.compile("worker (127\\.0\\.0\\.1:\\d+) \\(.*\\) ready in cluster");

    private final String clusterName = "eggroll-test-" + UUID.randomUUID().toString().substring(0, 8);
    /** Worker address -> process, in start order. */
    private final Map<String, Process> workers = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<Process> spawned = Collections.synchronizedList(new ArrayList<>());
    /** Free loopback ports for the workers, and their addresses (every member's join list). */
    private final int[] workerPorts = Loopback.freePorts(WORKER_PORTS);
    private final List<String> members = Arrays.stream(workerPorts).mapToObj(p -> "127.0.0.1:" + p).toList();

    @TempDir
    static Path tmp;

    @BeforeAll
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void startThreeWorkers() throws Exception {
        List<Process> ps = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path log = tmp.resolve("worker-" + i + ".log");
            ps.add(spawnWorker(clusterName, workerPorts[i], log));
            logs.add(log);
        }
        for (int i = 0; i < 3; i++) {
            workers.put(awaitReady(ps.get(i), logs.get(i)), ps.get(i));
        }
    }

    @AfterAll
    void stopWorkers() throws InterruptedException {
        for (Process p : new ArrayList<>(spawned)) {
            p.destroy();
        }
        for (Process p : new ArrayList<>(spawned)) {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** A coordinator's settings: a fresh free port of its own, the workers as join list. */
    private ClusterSettings coordinatorSettings(String name) {
        return new ClusterSettings(name, "127.0.0.1", Loopback.freePorts(1)[0], 1, members, 5);
    }

    private Process spawnWorker(String name, int port, Path log) throws IOException {
        List<String> cmd = Jvm.command("io.eggroll.cli.Main", List.of("worker",
                "--cluster-name", name, "--port", Integer.toString(port), "--port-count", "1", "--members", String.join(",", members),
                "--threads", "1", "--heartbeat-timeout", "5", "--parent-pid", Long.toString(ProcessHandle.current().pid())));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        spawned.add(p);
        return p;
    }

    /** Waits for the worker's "ready" line; returns its address. */
    static String awaitReady(Process p, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(80);
        while (System.nanoTime() < deadline) {
            String out = Files.exists(log) ? Files.readString(log) : "";
            Matcher m = READY.matcher(out);
            if (m.find()) {
                return m.group(1);
            }
            if (!p.isAlive()) {
                throw new AssertionError("worker exited with " + p.exitValue() + ":\n" + out);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("worker not ready after 80 s:\n" + Files.readString(log));
    }

    private static TrainConfig config(String name, int generations) {
        TrainConfig c = WorkerNodeTest.smallConfig(20260529L);
        c.name = name;
        c.generations = generations;
        c.checkpointEvery = 2;
        c.es = c.es.withPopulation(24);
        c.batch = 24;
        return c;
    }

    /** The single-process reference: the same config on the cpu backend, no cluster. */
    private static String localHash(TrainConfig cfg) {
        TaskData d = TaskData.synthetic(cfg);
        try (CpuBackend b = new CpuBackend(2)) {
            return new Trainer(cfg, d.train(), d.validation(), b, null).run(fresh(cfg, d), 0, 0).state().params().sha256();
        }
    }

    /** Trains {@code cfg} on the cluster through {@code evaluator}; returns the final weights' hash. */
    private static String train(ClusterEvaluator evaluator, TrainConfig cfg, TaskData d, CpuBackend b,
                                RunDirectory run) {
        return new Trainer(cfg, d.train(), d.validation(), b, run, evaluator).run(fresh(cfg, d), 0, 0).state().params()
                .sha256();
    }

    private ClusterEvaluator coordinator(TrainConfig cfg, TaskData d, CpuBackend b, RunDirectory run, String name,
                                         int minWorkers, int joinSeconds) {
        return new ClusterEvaluator(cfg, d.train(), b, run,
                coordinatorSettings(name),
                new Coordinator.Options(minWorkers, Duration.ofSeconds(joinSeconds), Duration.ofSeconds(30)));
    }

    private static ModelState fresh(TrainConfig cfg, TaskData d) {
        SnnConfig net = cfg.networkConfig(d.train().inputs(), d.train().classes());
        return ModelState.fresh(Params.init(net, cfg.seed, cfg.network.initGain), cfg.optimizerConfig());
    }

    @Test
    @Order(1)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void wrongClusterNameAndOtherDataAreRefused() {
        TrainConfig cfg = config("refusals", 2);
        TaskData d = TaskData.synthetic(cfg);
        String wrong = clusterName + "-other";
        try (CpuBackend b = new CpuBackend(1)) {
            assertThatThrownBy(() -> train(coordinator(cfg, d, b, null, wrong, 1, 3), cfg, d, b, null))
                    .isInstanceOf(Coordinator.ClusterException.class)
                    .hasMessageContaining("timed out after 3 s")
                    .hasMessageContaining("cluster '" + wrong + "'")
                    .hasMessageContaining("another cluster name");

            // The coordinator's data differ from what the workers load for this config.
            TrainConfig otherSeed = cfg.copy();
            otherSeed.seed = cfg.seed + 1;
            TaskData other = TaskData.synthetic(otherSeed);
            assertThatThrownBy(() -> train(coordinator(cfg, other, b, null, clusterName, 1, 30), cfg, other, b, null))
                    .isInstanceOf(Coordinator.ClusterException.class)
                    .hasMessageContaining("every worker refused the run")
                    .hasMessageContaining("dataset fingerprint mismatch")
                    .hasMessageContaining(other.train().fingerprint())
                    .hasMessageContaining(d.train().fingerprint());
        }
    }

    @Test
    @Order(2)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void threeWorkersGiveTheSingleProcessWeightsAlsoWhenResumed() throws IOException {
        TrainConfig cfg = config("three", 6);
        String expected = localHash(cfg);
        Path file = tmp.resolve("three.json");
        Files.writeString(file, cfg.toJson());
        Path runs = tmp.resolve("runs");
        String[] cluster = {"--runs-dir", runs.toString(), "--quiet", "--cluster", String.join(",", members),
            "--cluster-name", clusterName, "--cluster-port", Integer.toString(Loopback.freePorts(1)[0]), "--min-workers", "3", "--join-timeout", "30"};
        assertThat(Main.run(concat(new String[] {"train", "--config", file.toString()}, cluster))).isZero();
        assertThat(summaryHash(runs.resolve("three"))).isEqualTo(expected);
        List<JsonNode> lines = clusterLines(runs.resolve("three"));
        assertThat(lines).hasSize(6);
        assertThat(lines.get(5).get("workers").asInt()).isEqualTo(3);

        // Three generations, a coordinator restart, then --resume for the rest.
        cfg.name = "halves";
        cfg.generations = 3;
        Files.writeString(file, cfg.toJson());
        assertThat(Main.run(concat(new String[] {"train", "--config", file.toString()}, cluster))).isZero();
        assertThat(Main.run(concat(new String[] {"train", "--resume", "--name", "halves", "--generations", "6"},
                cluster))).isZero();
        assertThat(summaryHash(runs.resolve("halves"))).isEqualTo(expected);
        assertThat(clusterLines(runs.resolve("halves"))).extracting(l -> l.get("generation").asInt())
                .containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    @Order(3)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aWorkerKilledMidGenerationHasItsSliceRerun() {
        TrainConfig cfg = config("kill", 5);
        String expected = localHash(cfg);
        TaskData d = TaskData.synthetic(cfg);
        String victim = new ArrayList<>(workers.keySet()).get(1);
        List<String> reruns = Collections.synchronizedList(new ArrayList<>());
        RunDirectory run = RunDirectory.create(tmp.resolve("runs").resolve("kill"), cfg, true);
        try (CpuBackend b = new CpuBackend(1)) {
            ClusterEvaluator t = coordinator(cfg, d, b, run, clusterName, 3, 30).listen(new ClusterListener() {
                @Override
                public void onDispatch(int generation, String worker, int firstPair, int pairCount) {
                    if (generation == 2 && worker.equals(victim)) {
                        workers.remove(victim).destroyForcibly(); // SIGKILL while its slice is in flight
                    }
                }

                @Override
                public void onRerun(int generation, String worker, int firstPair, int pairCount, String reason) {
                    reruns.add(generation + " " + worker + " " + reason);
                }
            });
            assertThat(train(t, cfg, d, b, run)).isEqualTo(expected);
        }
        assertThat(workers).doesNotContainKey(victim);
        // SIGKILL goes out after the dispatch: a fast worker may still have answered generation 2,
        // and then its generation-3 slice is the one that fails.
        assertThat(reruns).hasSize(1);
        assertThat(reruns.get(0)).matches("[23] " + Pattern.quote(victim) + " left the cluster");
        int failed = Integer.parseInt(reruns.get(0).substring(0, 1));
        List<JsonNode> lines = clusterLines(run.root());
        assertThat(lines.get(failed).get("reruns").asInt()).isEqualTo(1);
        assertThat(lines.get(failed).get("slices").findValuesAsText("worker")).doesNotContain(victim);
        assertThat(lines.get(failed + 1).get("workers").asInt()).isEqualTo(2);
    }

    @Test
    @Order(4)
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aWorkerThatJoinsMidRunCatchesUpAndTakesWork() throws Exception {
        TrainConfig cfg = config("join", 8);
        String expected = localHash(cfg);
        TaskData d = TaskData.synthetic(cfg);
        Path log = tmp.resolve("worker-late.log");
        String[] late = new String[1];
        List<String> joins = Collections.synchronizedList(new ArrayList<>());
        List<String> dispatches = Collections.synchronizedList(new ArrayList<>());
        try (CpuBackend b = new CpuBackend(1)) {
            ClusterEvaluator t = coordinator(cfg, d, b, null, clusterName, workers.size(), 30).listen(new ClusterListener() {
                @Override
                public void onDispatch(int generation, String worker, int firstPair, int pairCount) {
                    dispatches.add(generation + " " + worker);
                    try {
                        if (generation == 1 && late[0] == null) {
                            Process p = spawnWorker(clusterName, workerPorts[3], log);
                            late[0] = awaitReady(p, log);
                            workers.put(late[0], p);
                        } else if (generation == 2) {
                            // Hold generation 2 until the new worker has replayed the schedule.
                            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
                            while (!Files.readString(log).contains("joined run") && System.nanoTime() < deadline) {
                                Thread.sleep(20);
                            }
                        }
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }

                @Override
                public void onJoin(int generation, String worker, String device) {
                    joins.add(generation + " " + worker);
                }
            });
            assertThat(train(t, cfg, d, b, null)).isEqualTo(expected);
        }
        assertThat(late[0]).isNotNull();
        assertThat(Files.readString(log)).contains("joined run");
        assertThat(joins).anyMatch(j -> j.endsWith(" " + late[0]));
        int joinedAt = joins.stream().filter(j -> j.endsWith(" " + late[0])).mapToInt(j -> Integer.parseInt(j.split(" ")[0]))
                .findFirst().orElseThrow();
        // It joins mid-run: not before generation 2 (it was started during generation 1), and early
        // enough to take work; on a busy machine the coordinator may only collect its admission a
        // generation or two after it replayed the schedule.
        assertThat(joinedAt).isBetween(2, cfg.generations - 2);
        assertThat(dispatches).contains((cfg.generations - 1) + " " + late[0]);
    }

    @Test
    @Order(5)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aHungWorkerHasItsSliceRerunAfterTheSliceTimeout() throws Exception {
        TrainConfig cfg = config("hang", 5);
        String expected = localHash(cfg);
        TaskData d = TaskData.synthetic(cfg);
        String victim = new ArrayList<>(workers.keySet()).get(0);
        List<String> reruns = Collections.synchronizedList(new ArrayList<>());
        try (CpuBackend b = new CpuBackend(1)) {
            ClusterEvaluator t = new ClusterEvaluator(cfg, d.train().fingerprint(), b, null,
                    coordinatorSettings(clusterName),
                    new Coordinator.Options(workers.size(), Duration.ofSeconds(30), Duration.ofSeconds(3)));
            t.listen(new ClusterListener() {
                @Override
                public void onDispatch(int generation, String worker, int firstPair, int pairCount) {
                    if (generation == 2 && worker.equals(victim)) {
                        signal("STOP", workers.get(victim)); // frozen, still a member: no answer, no MemberLeft
                    }
                }

                @Override
                public void onRerun(int generation, String worker, int firstPair, int pairCount, String reason) {
                    reruns.add(generation + " " + worker + " " + reason);
                }
            });
            assertThat(train(t, cfg, d, b, null)).isEqualTo(expected);
        } finally {
            Process p = workers.remove(victim);
            p.destroyForcibly();
        }
        // SIGSTOP goes out through kill(1) after the dispatch: the frozen worker may still have
        // answered generation 2, and then its generation-3 slice is the one that hangs.
        assertThat(reruns).hasSize(1);
        assertThat(reruns.get(0)).matches("[23] " + Pattern.quote(victim) + " gave no answer within 3 s \\(hung\\?\\)");
    }

    private static void signal(String sig, Process p) {
        try {
            new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("cannot send SIG" + sig + " to " + p.pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static String summaryHash(Path runDir) throws IOException {
        return TrainConfig.mapper().readTree(runDir.resolve("summary.json").toFile()).get("params_sha256").asText();
    }

    private static List<JsonNode> clusterLines(Path runDir) {
        try {
            List<JsonNode> out = new ArrayList<>();
            for (String line : Files.readAllLines(runDir.resolve("cluster.jsonl"))) {
                out.add(TrainConfig.mapper().readTree(line));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
