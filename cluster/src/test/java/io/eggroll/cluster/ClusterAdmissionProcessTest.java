package io.eggroll.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.eggroll.cli.Main;
import io.eggroll.train.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every member in a JVM of its own, started with the launcher's JVM flags: a coordinator
 * ({@code eggroll train --cluster}) and three workers that hold the secret, hold none, or hold it
 * and negate every fitness ({@link RogueWorker}). The outsider is refused and the rogue evicted,
 * each named in the coordinator's log; the run ends with the weights of an honest run in this JVM;
 * each worker says that the run ended, with no connection errors, and no JVM prints
 * {@code sun.misc.Unsafe} warnings.
 */
class ClusterAdmissionProcessTest {

    private final List<Process> spawned = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void stop() {
        spawned.forEach(Process::destroyForcibly);
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aRogueAndAWorkerWithoutTheSecretAreTurnedAwayAndTheRunEndsWithTheHonestWeights() throws Exception {
        TrainConfig cfg = WorkerNodeTest.smallConfig(20261202L);
        cfg.name = "admission";
        cfg.generations = 4;
        cfg.checkpointEvery = 2;
        Path config = tmp.resolve("admission.json");
        Files.writeString(config, cfg.toJson());
        Path localRuns = tmp.resolve("local");
        assertThat(Main.run("train", "--config", config.toString(), "--runs-dir", localRuns.toString(), "--quiet"))
                .isZero();
        String honestWeights = ClusterProcessTest.summaryHash(localRuns.resolve("admission"));

        Path secret = tmp.resolve("secret");
        Files.writeString(secret, "s3cret-" + UUID.randomUUID() + "\n");
        String name = "eggroll-admission-" + UUID.randomUUID().toString().substring(0, 8);
        int[] ports = Loopback.freePorts(4);
        String members = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1] + ",127.0.0.1:" + ports[2];
        Path honestLog = tmp.resolve("honest.log");
        Path rogueLog = tmp.resolve("rogue.log");
        Path strangerLog = tmp.resolve("stranger.log");
        Process honest = spawn("io.eggroll.cli.Main", worker(name, ports[0], members, secret), honestLog);
        Process rogue = spawn(RogueWorker.class.getName(), worker(name, ports[1], members, secret), rogueLog);
        Process stranger = spawn("io.eggroll.cli.Main", worker(name, ports[2], members, null), strangerLog);
        ClusterProcessTest.awaitReady(honest, honestLog);
        String rogueAddress = ClusterProcessTest.awaitReady(rogue, rogueLog);
        String strangerAddress = ClusterProcessTest.awaitReady(stranger, strangerLog);

        Path clusterRuns = tmp.resolve("cluster");
        Path coordinatorLog = tmp.resolve("coordinator.log");
        Process coordinator = spawn("io.eggroll.cli.Main", List.of("train", "--config", config.toString(),
                "--runs-dir", clusterRuns.toString(), "--quiet", "--cluster", members, "--cluster-name", name,
                "--cluster-port", Integer.toString(ports[3]), "--cluster-secret-file", secret.toString(),
                "--min-workers", "2", "--join-timeout", "60"), coordinatorLog);
        assertThat(coordinator.waitFor(120, TimeUnit.SECONDS)).as("coordinator finished").isTrue();
        String coordinatorOut = Files.readString(coordinatorLog);
        assertThat(coordinator.exitValue()).as(coordinatorOut).isZero();

        assertThat(coordinatorOut)
                .contains("worker " + strangerAddress + " refused: its answer carries no valid cluster-secret tag")
                .containsPattern(Pattern.quote("worker " + rogueAddress) + " \\(.*\\) evicted: its fitness of member "
                        + "\\d+ is .* where the coordinator's recomputation gives .*");
        assertThat(ClusterProcessTest.summaryHash(clusterRuns.resolve("admission"))).isEqualTo(honestWeights);
        for (String line : Files.readAllLines(clusterRuns.resolve("admission").resolve("cluster.jsonl"))) {
            JsonNode slices = TrainConfig.mapper().readTree(line).get("slices");
            assertThat(slices.findValuesAsText("worker")).as(line).doesNotContain(rogueAddress, strangerAddress);
        }

        // The workers say that the run ended, and no Hazelcast connection error follows.
        for (Path log : List.of(honestLog, rogueLog, strangerLog)) {
            awaitLine(log, "left the cluster after its run ended");
            assertThat(Files.readString(log)).contains("ended; its coordinator")
                    .doesNotContain("Connection refused").doesNotContain("Exception");
        }
        for (Path log : List.of(coordinatorLog, honestLog, rogueLog, strangerLog)) {
            assertThat(Files.readString(log)).as(log.toString()).doesNotContain("sun.misc.Unsafe");
        }
    }

    private static List<String> worker(String cluster, int port, String members, Path secret) {
        List<String> args = new ArrayList<>(List.of("worker", "--cluster-name", cluster, "--port",
                Integer.toString(port), "--port-count", "1", "--members", members, "--threads", "1",
                "--heartbeat-timeout", "5", "--parent-pid", Long.toString(ProcessHandle.current().pid())));
        if (secret != null) {
            args.addAll(List.of("--cluster-secret-file", secret.toString()));
        }
        return args;
    }

    private Process spawn(String main, List<String> args, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Jvm.command(main, args)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).directory(tmp.toFile());
        pb.environment().remove(ClusterSecret.ENV);
        Process p = pb.start();
        spawned.add(p);
        return p;
    }

    /** Waits (within the test's timeout) for a line containing {@code text} in {@code log}. */
    private static void awaitLine(Path log, String text) throws IOException, InterruptedException {
        while (!Files.readString(log).contains(text)) {
            Thread.sleep(50);
        }
    }
}
