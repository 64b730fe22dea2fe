package io.eggroll.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.eggroll.train.Checkpoint;
import io.eggroll.train.RunDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run directory is self-contained and nothing the CLI is asked to do clobbers another run or loses one. */
class RunIntegrityTest {

    @TempDir
    Path runs;

    /** What one CLI invocation returned and printed on stderr. */
    record Outcome(int exit, String err) {}

    Outcome cli(String... args) {
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Outcome(exit, err.toString());
    }

    /** A small synthetic run of {@code generations} generations named {@code name}, plus {@code extra} options. */
    Outcome train(String name, int generations, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--task", "synthetic", "--name", name, "--runs-dir",
                runs.toString(), "--generations", String.valueOf(generations), "--population", "8", "--hidden", "8",
                "--quiet"));
        a.addAll(List.of(extra));
        return cli(a.toArray(String[]::new));
    }

    Outcome resume(String name, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--resume", "--name", name, "--runs-dir", runs.toString(),
                "--quiet"));
        a.addAll(List.of(extra));
        return cli(a.toArray(String[]::new));
    }

    /** The metric lines of a run without the timing fields, which differ between runs. */
    static List<String> metricsWithoutTiming(Path run) throws IOException {
        return Files.readAllLines(run.resolve("metrics.jsonl")).stream()
                .map(l -> l.replaceAll("\"(seconds|generation_seconds|member_evals_per_second)\":[0-9.eE+-]+,?", ""))
                .toList();
    }

    static com.fasterxml.jackson.databind.JsonNode json(Path p) throws IOException {
        return io.eggroll.train.TrainConfig.mapper().readTree(p.toFile());
    }

    static byte[] bytes(Path p) throws IOException {
        return Files.readAllBytes(p);
    }

    @Test
    void resumingARenamedRunContinuesWhereItLiesAndLeavesTheRunOfItsOldNameAlone() throws IOException {
        assertThat(train("exp", 3).exit()).isZero();
        Files.move(runs.resolve("exp"), runs.resolve("exp_old"));
        assertThat(train("exp", 2, "--seed", "7").exit()).isZero();
        Path exp = runs.resolve("exp");
        byte[] expMetrics = bytes(exp.resolve("metrics.jsonl"));
        byte[] expCkpt = bytes(exp.resolve("checkpoints/latest.ckpt"));
        byte[] expSummary = bytes(exp.resolve("summary.json"));

        Outcome r = resume("exp_old", "--generations", "5");

        assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
        assertThat(bytes(exp.resolve("metrics.jsonl"))).isEqualTo(expMetrics);
        assertThat(bytes(exp.resolve("checkpoints/latest.ckpt"))).isEqualTo(expCkpt);
        assertThat(bytes(exp.resolve("summary.json"))).isEqualTo(expSummary);
        Path old = runs.resolve("exp_old");
        assertThat(Checkpoint.read(old.resolve("checkpoints/latest.ckpt")).generation()).isEqualTo(4);
        assertThat(Files.readAllLines(old.resolve("metrics.jsonl"))).hasSize(5);
        assertThat(json(old.resolve("summary.json")).get("name").asText()).isEqualTo("exp_old");
        // provenance: the build, the JVM and the device the run came from
        var made = json(old.resolve("summary.json")).get("provenance");
        assertThat(made.get("version").asText()).isEqualTo(BuildInfo.current().version()).isNotEqualTo("unknown");
        assertThat(made.get("commit").asText()).isEqualTo(BuildInfo.current().commit());
        assertThat(made.get("jvm").asText()).contains(Runtime.version().toString());
        assertThat(made.get("device").asText()).startsWith("cpu: ");
        // config.json records the same provenance, keeps it when the extension rewrites it, and
        // still reads back as a config (the provenance is skipped)
        var config = json(old.resolve("config.json"));
        assertThat(config.get("provenance")).isEqualTo(made);
        assertThat(config.get("generations").asInt()).isEqualTo(5);
        assertThat(io.eggroll.train.TrainConfig.load(old.resolve("config.json")).generations).isEqualTo(5);
    }

    @Test
    void aSecondWriterOfARunIsRefusedWithTheRunDirectoryNamed() throws IOException {
        assertThat(train("exp", 2).exit()).isZero();
        Path exp = runs.resolve("exp");
        byte[] metrics = bytes(exp.resolve("metrics.jsonl"));
        try (RunDirectory.Lock held = RunDirectory.lock(exp)) {
            Outcome again = resume("exp", "--generations", "4");
            assertThat(again.exit()).isNotZero();
            assertThat(again.err()).contains("run directory " + exp, "being written by another training");
            Outcome over = train("exp", 2, "--overwrite");
            assertThat(over.exit()).isNotZero();
            assertThat(over.err()).contains("run directory " + exp);
        }
        assertThat(bytes(exp.resolve("metrics.jsonl"))).as("untouched").isEqualTo(metrics);
        assertThat(resume("exp", "--generations", "4").exit()).as("the lock is released").isZero();
        assertThat(Files.readAllLines(exp.resolve("metrics.jsonl"))).hasSize(4);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"..", ".", "", "a/b", "../escape", "a\\b", "/tmp/abs"})
    void aRunNameThatIsNotAPlainNameIsRefusedBeforeAnythingIsWritten(String bad) throws IOException {
        Path inner = Files.createDirectories(runs.resolve("inner"));
        Outcome o = cli("train", "--task", "synthetic", "--name", bad, "--runs-dir", inner.toString(),
                "--generations", "1", "--population", "8", "--hidden", "8", "--quiet");
        assertThat(o.exit()).isNotZero();
        assertThat(o.err()).contains("name must be a plain name", "got '" + bad + "'");
        assertThat(files(runs)).as("nothing written").isEmpty();
        Outcome r = resume(bad);
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("name must be a plain name", "got '" + bad + "'");
    }

    @Test
    void aRunKilledBeforeItsFirstCheckpointResumesFromItsInitialCheckpoint() throws IOException {
        assertThat(train("exp", 3).exit()).isZero();
        Path exp = runs.resolve("exp");
        List<String> uninterrupted = metricsWithoutTiming(exp);
        byte[] weights = bytes(exp.resolve("checkpoints/latest.ckpt"));
        // A kill before the first checkpoint leaves config.json, initial.ckpt and some metric lines.
        Files.delete(exp.resolve("checkpoints/latest.ckpt"));
        Files.delete(exp.resolve("summary.json"));

        Outcome r = resume("exp");

        assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
        assertThat(metricsWithoutTiming(exp)).isEqualTo(uninterrupted);
        Checkpoint.Data resumed = Checkpoint.read(exp.resolve("checkpoints/latest.ckpt"));
        assertThat(resumed.generation()).isEqualTo(2);
        assertThat(resumed.state().params().sha256())
                .isEqualTo(Checkpoint.read(writeTo(exp.resolve("uninterrupted.ckpt"), weights)).state().params().sha256());
    }

    @Test
    void aShorterOrRepeatedResumeOfAFinishedRunChangesNothing() throws IOException {
        assertThat(train("exp", 4).exit()).isZero();
        Path exp = runs.resolve("exp");
        java.util.Map<Path, String> before = snapshot(exp);

        Outcome shorter = resume("exp", "--generations", "2");
        assertThat(shorter.exit()).as("stderr: %s", shorter.err()).isZero();
        assertThat(shorter.err()).contains("already past 2 generations", "nothing changed");
        assertThat(snapshot(exp)).isEqualTo(before);

        Outcome again = resume("exp");
        assertThat(again.exit()).as("stderr: %s", again.err()).isZero();
        assertThat(again.err()).contains("already completed 4 generations", "nothing changed");
        assertThat(snapshot(exp)).isEqualTo(before);
    }

    @Test
    void aResumeRefusesTheOptionsThatWouldChangeTheRunAndNamesThem() throws IOException {
        assertThat(train("exp", 2).exit()).isZero();
        Path exp = runs.resolve("exp");
        java.util.Map<Path, String> before = snapshot(exp);

        Outcome r = resume("exp", "--generations", "4", "--population", "16", "--sigma", "0.1", "--lr", "0.01",
                "--hidden", "16", "--seed", "3", "--batch", "8");

        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("--resume continues the run", "--population", "--sigma", "--lr", "--hidden",
                "--seed", "--batch").doesNotContain("--generations would");
        assertThat(snapshot(exp)).isEqualTo(before);
        Outcome allowed = resume("exp", "--generations", "3", "--threads", "1", "--backend", "cpu");
        assertThat(allowed.exit()).as("stderr: %s", allowed.err()).isZero();
        assertThat(Files.readAllLines(exp.resolve("metrics.jsonl"))).hasSize(3);
    }

    @Test
    void anOverwriteClearsTheOldRunBeforeItWritesAnything() throws IOException {
        assertThat(train("exp", 3).exit()).isZero();
        Path exp = runs.resolve("exp");
        Files.writeString(exp.resolve("cluster.jsonl"), "{}\n");
        Files.createDirectories(exp.resolve("checkpoints/extra"));
        Files.writeString(exp.resolve("checkpoints/extra/old.ckpt"), "old");
        assertThat(files(exp)).contains(Path.of("summary.json"), Path.of("fitness.png"), Path.of("accuracy.png"));
        io.eggroll.train.TrainConfig cfg = io.eggroll.train.TrainConfig.defaults("synthetic");
        cfg.name = "exp";

        // The state an overwrite interrupted right after it started leaves.
        RunDirectory.create(exp, cfg, true);

        assertThat(files(exp)).containsExactlyInAnyOrder(Path.of("config.json"), Path.of(RunDirectory.LOCK_FILE));
        assertThat(exp.resolve("checkpoints")).isDirectory();
        // A whole overwrite leaves only the new run.
        assertThat(train("exp", 2, "--overwrite").exit()).isZero();
        assertThat(files(exp)).doesNotContain(Path.of("cluster.jsonl"), Path.of("checkpoints/extra/old.ckpt"));
        assertThat(Files.readAllLines(exp.resolve("metrics.jsonl"))).hasSize(2);
        assertThat(json(exp.resolve("summary.json")).get("generations").asInt()).isEqualTo(2);
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 180, unit = java.util.concurrent.TimeUnit.SECONDS) // a hung child only
    void sigtermFinishesTheGenerationInFlightAndCheckpointsItBeforeTheProcessExits() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Path log = runs.resolve("train.log");
        Process p = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), "io.eggroll.cli.Main", "train", "--task", "synthetic",
                "--name", "sig", "--runs-dir", runs.toString(), "--generations", "1000000", "--population", "8",
                "--hidden", "8", "--threads", "1", "--quiet")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path metrics = runs.resolve("sig/metrics.jsonl");
        try {
            // Past the first checkpoint (every 25 generations for this task) and into the next stretch.
            while (!Files.exists(metrics) || Files.readAllLines(metrics).size() < 40) {
                assertThat(p.isAlive()).as("training ended early: %s", log).isTrue();
                Thread.sleep(20);
            }
            p.destroy(); // SIGTERM; SIGINT (Ctrl-C) goes through the same shutdown hook
            int exit = p.waitFor();
            assertThat(exit).as("128 + SIGTERM; log: %s", Files.readString(log)).isEqualTo(143);
        } finally {
            p.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(metrics);
        int last = io.eggroll.train.TrainConfig.mapper().readTree(lines.getLast()).get("generation").asInt();
        assertThat(Checkpoint.read(runs.resolve("sig/checkpoints/latest.ckpt")).generation())
                .as("the checkpoint holds the last generation run (0-based; metrics count from 1)").isEqualTo(last - 1);
        assertThat(Files.readString(log)).contains("stopped after generation " + last);
        assertThat(resume("sig", "--generations", String.valueOf(last + 3)).exit()).isZero();
    }

    /** Every file of a run (but its lock) with a hash of its bytes. */
    static java.util.Map<Path, String> snapshot(Path dir) throws IOException {
        java.util.Map<Path, String> m = new java.util.TreeMap<>();
        for (Path p : files(dir)) {
            if (!p.getFileName().toString().equals(RunDirectory.LOCK_FILE)) {
                m.put(p, java.util.HexFormat.of().formatHex(sha256(bytes(dir.resolve(p)))));
            }
        }
        return m;
    }

    static byte[] sha256(byte[] b) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path writeTo(Path p, byte[] b) throws IOException {
        return Files.write(p, b);
    }

    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
        }
    }
}
