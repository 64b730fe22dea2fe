package io.eggroll.train;

import java.io.BufferedWriter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code runs/<name>/}: {@code config.json}, {@code metrics.jsonl}, {@code checkpoints/} with
 * {@code initial.ckpt} (the weights before generation 0) and {@code latest.ckpt}, plus the
 * summary and plots written at the end. {@code run.lock} is the lock every command that writes the
 * run holds while it runs ({@link #lock}).
 */
public final class RunDirectory {

    /** The file whose exclusive lock marks the run as being written. */
    public static final String LOCK_FILE = "run.lock";

    private final Path root;

    public RunDirectory(Path root) {
        this.root = root;
    }

    /**
     * The directory of the run {@code name} under {@code runsDir}; refuses a name that is not a
     * plain name ({@link TrainConfig#checkName}), so that a run never lies outside {@code runsDir}.
     */
    public static Path under(Path runsDir, String name) {
        TrainConfig.checkName(name);
        return runsDir.resolve(name);
    }

    /**
     * An exclusive lock on a run directory, held by the one command that writes the run; closing it
     * releases it. The lock file stays: deleting it would let a second writer lock a new file
     * while the first still holds the old one.
     */
    public static final class Lock implements AutoCloseable {
        private final FileChannel channel;

        private Lock(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /**
     * Takes the exclusive lock of the run directory {@code root} (created if absent), or refuses
     * with a message naming the directory when another training (in this or another process)
     * holds it.
     */
    public static Lock lock(Path root) {
        Path file = root.resolve(LOCK_FILE);
        FileChannel ch = null;
        try {
            Files.createDirectories(root);
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock held = ch.tryLock();
            if (held == null) {
                throw inUse(root);
            }
            return new Lock(ch);
        } catch (OverlappingFileLockException e) {
            closeQuietly(ch);
            throw inUse(root);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UncheckedIOException("cannot lock run directory " + root + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static IllegalStateException inUse(Path root) {
        return new IllegalStateException("run directory " + root + " is being written by another training (it holds "
                + root.resolve(LOCK_FILE) + "); wait for it to finish, or use another --name");
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // the lock was not taken; nothing to release
            }
        }
    }

    public static RunDirectory create(Path root, TrainConfig cfg, boolean overwrite) {
        return create(root, cfg, overwrite, Map.of());
    }

    /**
     * Creates a run directory whose {@code config.json} holds {@code cfg} and, under
     * {@code "provenance"}, what made the run (build, commit, JVM, device). Reading a config
     * ignores that object, so a run's config.json can be passed to {@code --config} as it is.
     */
    public static RunDirectory create(Path root, TrainConfig cfg, boolean overwrite, Map<String, String> provenance) {
        try {
            boolean holdsRun = Files.exists(root.resolve("metrics.jsonl")) || Files.exists(root.resolve("config.json"));
            if (holdsRun && !overwrite) {
                throw new IllegalArgumentException("run directory " + root + " already holds a run; use --resume to "
                        + "continue it, --overwrite to start over, or --name for a new run");
            }
            if (overwrite) {
                clear(root);
            }
            Files.createDirectories(root.resolve("checkpoints"));
            Files.writeString(root.resolve("config.json"), configJson(cfg, provenance));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run directory " + root, e);
        }
        return new RunDirectory(root);
    }

    /**
     * Rewrites {@code config.json} with {@code cfg} (a resume that changed the run's generations),
     * keeping the provenance the run was created with; through a temporary file, so that a crash
     * leaves the old or the new one.
     */
    public void rewriteConfig(TrainConfig cfg) throws IOException {
        Map<String, String> provenance = new LinkedHashMap<>();
        if (Files.exists(config())) {
            JsonNode old = TrainConfig.mapper().readTree(Files.readString(config())).path(PROVENANCE);
            old.properties().forEach(e -> provenance.put(e.getKey(), e.getValue().asText()));
        }
        Path tmp = config().resolveSibling("config.json.tmp");
        Files.writeString(tmp, configJson(cfg, provenance));
        Files.move(tmp, config(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The field of config.json that records what made a run; {@link TrainConfig#fromJson} skips it. */
    public static final String PROVENANCE = "provenance";

    private static String configJson(TrainConfig cfg, Map<String, String> provenance) throws IOException {
        if (provenance.isEmpty()) {
            return cfg.toJson() + "\n";
        }
        var om = TrainConfig.mapper();
        ObjectNode o = (ObjectNode) om.readTree(cfg.toJson());
        ObjectNode p = o.putObject(PROVENANCE);
        provenance.forEach(p::put);
        return om.writeValueAsString(o) + "\n";
    }

    /**
     * Deletes everything in a run directory but its lock, before the new run writes anything: an
     * overwrite stopped at any point leaves nothing of the old run (no summary, plots or
     * checkpoints that could pass for the new run's). The config goes last, so a directory with
     * files left still says it holds a run.
     */
    private static void clear(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        Path config = root.resolve("config.json");
        List<Path> all;
        try (Stream<Path> s = Files.walk(root)) {
            all = s.sorted(Comparator.reverseOrder()).toList(); // a directory's files before the directory
        }
        for (Path p : all) {
            if (!p.equals(root) && !p.equals(config) && !p.equals(root.resolve(LOCK_FILE))) {
                Files.delete(p);
            }
        }
        Files.deleteIfExists(config);
    }

    public Path root() {
        return root;
    }

    public Path config() {
        return root.resolve("config.json");
    }

    public Path metrics() {
        return root.resolve("metrics.jsonl");
    }

    public Path latestCheckpoint() {
        return root.resolve("checkpoints").resolve("latest.ckpt");
    }

    public Path initialCheckpoint() {
        return root.resolve("checkpoints").resolve("initial.ckpt");
    }

    public Path summary() {
        return root.resolve("summary.json");
    }

    public void appendMetrics(GenerationStats s) {
        append(metrics(), s.toJson());
    }

    /** Drops metric lines after {@code lastGeneration} (a resumed run rewrites them). */
    public void truncateMetricsAfter(int lastGeneration) {
        truncateAfter(metrics(), lastGeneration);
    }

    /** Drops the lines of a JSON-lines file of this run whose {@code generation} is after {@code lastGeneration}. */
    public void truncateAfter(Path m, int lastGeneration) {
        if (!Files.exists(m)) {
            return;
        }
        try {
            var om = TrainConfig.mapper();
            StringBuilder kept = new StringBuilder();
            for (String line : Files.readAllLines(m)) {
                if (line.isBlank()) {
                    continue;
                }
                // metrics.jsonl counts generations from 1; lastGeneration is the 0-based index
                if (om.readTree(line).path("generation").asInt(Integer.MAX_VALUE) <= lastGeneration + 1) {
                    kept.append(line).append('\n');
                }
            }
            Files.writeString(m, kept.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + m, e);
        }
    }

    /** Appends a line to a file of this run (created if absent). */
    public void append(Path file, String line) {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            w.write(line);
            w.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }
}
