package io.eggroll.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code runs/<name>/}: {@code config.json}, {@code metrics.jsonl}, {@code checkpoints/} with
 * {@code initial.ckpt} (the weights before generation 0) and {@code latest.ckpt}, plus the
 * summary and plots written at the end.
 */
public final class RunDirectory {

    private final Path root;

    public RunDirectory(Path root) {
        this.root = root;
    }

    public static RunDirectory create(Path root, TrainConfig cfg, boolean overwrite) {
        try {
            if (Files.exists(root.resolve("metrics.jsonl")) && !overwrite) {
                throw new IllegalArgumentException("run directory " + root + " already holds a run; use --resume to "
                        + "continue it, --overwrite to start over, or --name for a new run");
            }
            if (overwrite) {
                Files.deleteIfExists(root.resolve("metrics.jsonl"));
                Files.deleteIfExists(root.resolve("checkpoints").resolve("latest.ckpt"));
                Files.deleteIfExists(root.resolve("checkpoints").resolve("initial.ckpt"));
            }
            Files.createDirectories(root.resolve("checkpoints"));
            Files.writeString(root.resolve("config.json"), cfg.toJson() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run directory " + root, e);
        }
        return new RunDirectory(root);
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
                if (om.readTree(line).path("generation").asInt(Integer.MAX_VALUE) <= lastGeneration) {
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
