package io.eggroll.plot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rows of a run's {@code metrics.jsonl}, as chart series. A last line cut short (a run
 * still being written, or killed mid-line) is left out; a bad line anywhere else is an error
 * naming the file and line.
 */
public final class RunMetrics {

    /**
     * The keys of the periodic held-out check, newest first: {@code val_accuracy} (a validation
     * split off the training data) and the older {@code heldout_accuracy}.
     */
    public static final List<String> VALIDATION_KEYS = List.of("val_accuracy", "heldout_accuracy");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final List<JsonNode> rows;

    private RunMetrics(Path file, List<JsonNode> rows) {
        this.file = file;
        this.rows = rows;
    }

    public static RunMetrics read(Path file) throws IOException {
        String text = Files.readString(file);
        List<String> lines = text.lines().toList();
        List<JsonNode> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                rows.add(JSON.readTree(line));
            } catch (JsonProcessingException e) {
                boolean cutShort = i == lines.size() - 1 && !text.endsWith("\n");
                if (!cutShort) {
                    throw new IOException(file + " line " + (i + 1) + " is not a JSON object: "
                            + e.getOriginalMessage(), e);
                }
            }
        }
        return new RunMetrics(file, List.copyOf(rows));
    }

    public Path file() {
        return file;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The cumulative wall time of the last row, in seconds (0 when there is none). */
    public double lastSeconds() {
        return rows.isEmpty() ? 0 : rows.getLast().path("seconds").asDouble(0);
    }

    /**
     * The series {@code name}: x from the key {@code xKey} divided by {@code xUnit}, y from the
     * first of {@code yKeys} present in a row (rows with none of them, or only nulls, are left
     * out) times {@code yScale}. The x of {@code generation} is 1-based: generation 0 is the first.
     */
    public Charts.Series series(String name, String xKey, double xUnit, List<String> yKeys, double yScale) {
        double[] xs = new double[rows.size()];
        double[] ys = new double[rows.size()];
        int n = 0;
        for (JsonNode r : rows) {
            JsonNode x = r.get(xKey);
            JsonNode y = first(r, yKeys);
            if (x == null || !x.isNumber() || y == null) {
                continue;
            }
            xs[n] = (x.asDouble() + (xKey.equals("generation") ? 1 : 0)) / xUnit;
            ys[n++] = y.asDouble() * yScale;
        }
        return new Charts.Series(name, Arrays.copyOf(xs, n), Arrays.copyOf(ys, n));
    }

    private static JsonNode first(JsonNode row, List<String> keys) {
        for (String k : keys) {
            JsonNode v = row.get(k);
            if (v != null && v.isNumber()) {
                return v;
            }
        }
        return null;
    }
}
