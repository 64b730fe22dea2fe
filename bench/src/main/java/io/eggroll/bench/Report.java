package io.eggroll.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eggroll.plot.Charts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A suite's result: a markdown table for people, JSON for tools, a PNG chart. Rows are added as
 * display strings (the table) and as numbers (the JSON) at the same time.
 */
public final class Report {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String suite;
    private final String title;
    private final String command;
    private final Machine machine;
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();
    private final ArrayNode jsonRows = JSON.createArrayNode();
    private final List<String> notes = new ArrayList<>();
    private final ObjectNode extra = JSON.createObjectNode();
    private final List<Charts.Bar> bars = new ArrayList<>();
    private String chartTitle;
    private Charts.Axis chartAxis = Charts.Axis.linear("");

    public Report(String suite, String title, String command, Machine machine, List<String> header) {
        this.suite = suite;
        this.title = title;
        this.command = command;
        this.machine = machine;
        this.header = List.copyOf(header);
        this.chartTitle = title;
    }

    /** Adds a table row (one cell per header column) and its JSON record. */
    public void row(List<String> cells, ObjectNode json) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException("row has " + cells.size() + " cells, the table has " + header.size()
                    + " columns: " + cells);
        }
        rows.add(List.copyOf(cells));
        jsonRows.add(json);
    }

    public ObjectNode newRecord() {
        return JSON.createObjectNode();
    }

    public void note(String line) {
        notes.add(line);
    }

    /** Top-level JSON fields besides the rows (e.g. the machine's measured bandwidth). */
    public ObjectNode extra() {
        return extra;
    }

    /** The chart's title and value axis (e.g. {@code Charts.Axis.log("seconds per generation")}). */
    public void chart(String chartTitle, Charts.Axis axis) {
        this.chartTitle = chartTitle;
        this.chartAxis = axis;
    }

    public void bar(Charts.Bar b) {
        bars.add(b);
    }

    public List<List<String>> rows() {
        return List.copyOf(rows);
    }

    public String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("## ").append(title).append("\n\n");
        sb.append("- machine: ").append(machine.line()).append('\n');
        sb.append("- command: `").append(command).append("`\n\n");
        sb.append('|');
        for (String h : header) {
            sb.append(' ').append(h).append(" |");
        }
        sb.append("\n|");
        for (int i = 0; i < header.size(); i++) {
            sb.append(i < 2 ? " --- |" : " ---: |");
        }
        sb.append('\n');
        for (List<String> r : rows) {
            sb.append('|');
            for (String c : r) {
                sb.append(' ').append(c.replace("|", "\\|")).append(" |");
            }
            sb.append('\n');
        }
        if (!notes.isEmpty()) {
            sb.append('\n');
            for (String n : notes) {
                sb.append("- ").append(n).append('\n');
            }
        }
        return sb.toString();
    }

    public ObjectNode json() {
        ObjectNode o = JSON.createObjectNode();
        o.put("suite", suite);
        o.put("title", title);
        o.put("command", command);
        machine.toJson(o.putObject("machine"));
        o.set("rows", jsonRows);
        o.setAll(extra);
        ArrayNode n = o.putArray("notes");
        notes.forEach(n::add);
        return o;
    }

    /** Writes {@code <suite>.md}, {@code <suite>.json} and {@code <suite>.png} into {@code dir}. */
    public List<Path> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path md = dir.resolve(suite + ".md");
        Path json = dir.resolve(suite + ".json");
        Path png = dir.resolve(suite + ".png");
        Files.writeString(md, markdown());
        Files.writeString(json, JSON.writeValueAsString(json()) + "\n");
        Charts.write(png, List.of(Charts.bars(chartTitle, chartAxis, bars)));
        return List.of(md, json, png);
    }
}
