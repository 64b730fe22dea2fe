package io.eggroll.data;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The generic event format of docs/DATA.md: a folder with a {@code manifest.json} giving the
 * sensor, the classes and every sample's file, label and split, and one CSV text file per sample
 * with one event a line, {@code t,unit} (a one-dimensional sensor) or {@code t,x,y,p}.
 *
 * <pre>
 * {
 *   "version": 1,
 *   "sensor": {"units": 700},                 or {"width": 34, "height": 34, "polarities": 2}
 *   "timeUnit": "us",                          optional: "us" (default), "ms" or "s"
 *   "classes": ["left", "right"],              names, or a count such as 2
 *   "samples": [
 *     {"file": "train/0001.csv", "label": "left", "split": "train"},
 *     {"file": "test/0001.csv", "label": 1, "split": "test"}
 *   ]
 * }
 * </pre>
 *
 * Every problem (a missing or unknown field, an unknown label, a file outside the folder, an
 * event off the sensor, a line that is not an event) is an {@link EventFormatException} naming
 * the file and the field or line.
 */
public final class EventFiles implements EventDataset {

    /** The manifest's name inside the dataset folder. */
    public static final String MANIFEST = "manifest.json";

    /** Most polarities (channels) a 2-D sensor may have. */
    public static final int MAX_POLARITIES = 127;

    private static final Set<String> TOP_FIELDS = Set.of("version", "sensor", "timeUnit", "classes", "samples");
    private static final Set<String> SAMPLE_FIELDS = Set.of("file", "label", "split");
    private static final Map<String, Double> TIME_UNITS = Map.of("us", 1.0, "ms", 1e3, "s", 1e6);

    private final Path dir;
    private final Path manifest;
    private final SensorShape sensor;
    private final boolean oneDimensional;
    private final double microsPerUnit;
    private final List<String> classNames;
    private final int classes;
    private final List<Entry> entries;

    /** One sample of the manifest. */
    private record Entry(Path file, int label, Split split) {}

    private EventFiles(Path dir, Path manifest, SensorShape sensor, boolean oneDimensional, double microsPerUnit,
                       List<String> classNames, int classes, List<Entry> entries) {
        this.dir = dir;
        this.manifest = manifest;
        this.sensor = sensor;
        this.oneDimensional = oneDimensional;
        this.microsPerUnit = microsPerUnit;
        this.classNames = classNames;
        this.classes = classes;
        this.entries = entries;
    }

    /** Reads and checks {@code dir/manifest.json}; sample files are read when binned. */
    public static EventFiles open(Path dir) throws IOException {
        Path mf = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(mf)) {
            throw new IOException(dir + ": no " + MANIFEST + " (the generic event format needs one; see docs/DATA.md)");
        }
        return parse(dir, mf, Files.readAllBytes(mf));
    }

    /** Parses a manifest's bytes; sample files are resolved against {@code dir} and must exist. */
    static EventFiles parse(Path dir, Path mf, byte[] json) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JacksonException e) {
            throw new EventFormatException(mf, "not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new EventFormatException(mf, "must be a JSON object with the fields " + sorted(TOP_FIELDS));
        }
        unknownFields(mf, root, TOP_FIELDS, "");
        JsonNode version = root.get("version");
        if (version != null && !(version.isIntegralNumber() && version.asInt() == 1)) {
            throw new EventFormatException(mf, "field 'version' must be 1, got " + version);
        }
        JsonNode s = required(mf, root, "sensor");
        if (!s.isObject()) {
            throw new EventFormatException(mf, "field 'sensor' must be an object such as {\"units\": 700} or "
                    + "{\"width\": 34, \"height\": 34, \"polarities\": 2}, got " + s);
        }
        SensorShape sensor;
        boolean oneD = s.has("units");
        if (oneD) {
            unknownFields(mf, s, Set.of("units"), "sensor.");
            sensor = SensorShape.units(positive(mf, s, "sensor.units", "units", SensorShape.MAX_INPUTS));
        } else {
            unknownFields(mf, s, Set.of("width", "height", "polarities"), "sensor.");
            int w = positive(mf, s, "sensor.width", "width", SensorShape.MAX_INPUTS);
            int h = positive(mf, s, "sensor.height", "height", SensorShape.MAX_INPUTS);
            int p = positive(mf, s, "sensor.polarities", "polarities", MAX_POLARITIES);
            if ((long) w * h * p > SensorShape.MAX_INPUTS) {
                throw new EventFormatException(mf, "sensor " + p + " x " + h + " x " + w + " has more than "
                        + SensorShape.MAX_INPUTS + " inputs");
            }
            sensor = new SensorShape(p, h, w);
        }
        double micros = 1.0;
        JsonNode tu = root.get("timeUnit");
        if (tu != null) {
            if (!tu.isTextual() || !TIME_UNITS.containsKey(tu.asText())) {
                throw new EventFormatException(mf, "field 'timeUnit' must be \"us\", \"ms\" or \"s\", got " + tu);
            }
            micros = TIME_UNITS.get(tu.asText());
        }
        JsonNode c = required(mf, root, "classes");
        List<String> names = new ArrayList<>();
        int classes;
        if (c.isArray()) {
            for (int i = 0; i < c.size(); i++) {
                if (!c.get(i).isTextual() || names.contains(c.get(i).asText())) {
                    throw new EventFormatException(mf, "classes[" + i + "] must be a class name not given before, got "
                            + c.get(i));
                }
                names.add(c.get(i).asText());
            }
            classes = names.size();
        } else if (c.isIntegralNumber()) {
            classes = c.canConvertToInt() ? c.asInt() : -1;
        } else {
            throw new EventFormatException(mf, "field 'classes' must be a list of class names or a count, got " + c);
        }
        if (classes < 2 || classes > BinnedSpikeDataset.MAX_CLASSES) {
            throw new EventFormatException(mf, "field 'classes' must give 2.." + BinnedSpikeDataset.MAX_CLASSES
                    + " classes, got " + classes);
        }
        JsonNode samples = required(mf, root, "samples");
        if (!samples.isArray()) {
            throw new EventFormatException(mf, "field 'samples' must be a list of {\"file\", \"label\", \"split\"}, got "
                    + abbreviate(samples));
        }
        Path base = dir.toAbsolutePath().normalize();
        List<Entry> entries = new ArrayList<>(samples.size());
        for (int i = 0; i < samples.size(); i++) {
            String at = "samples[" + i + "]";
            JsonNode e = samples.get(i);
            if (!e.isObject()) {
                throw new EventFormatException(mf, at + " must be an object {\"file\", \"label\", \"split\"}, got "
                        + abbreviate(e));
            }
            unknownFields(mf, e, SAMPLE_FIELDS, at + ".");
            JsonNode f = required(mf, e, "file", at + ".file");
            if (!f.isTextual() || f.asText().isEmpty()) {
                throw new EventFormatException(mf, at + ".file must be a path relative to " + dir + ", got " + f);
            }
            Path file;
            try {
                file = base.resolve(f.asText()).normalize();
            } catch (java.nio.file.InvalidPathException ex) {
                throw new EventFormatException(mf, at + ".file " + f + " is not a valid path");
            }
            if (!file.startsWith(base) || Path.of(f.asText()).isAbsolute()) {
                throw new EventFormatException(mf, at + ".file " + f + " lies outside " + dir);
            }
            if (!Files.isRegularFile(file)) {
                throw new EventFormatException(mf, at + ".file " + f + ": no such file " + file);
            }
            int label = label(mf, required(mf, e, "label", at + ".label"), names, classes, at);
            JsonNode sp = required(mf, e, "split", at + ".split");
            Split split = switch (sp.isTextual() ? sp.asText() : "") {
                case "train" -> Split.TRAIN;
                case "test" -> Split.TEST;
                default -> throw new EventFormatException(mf, at + ".split must be \"train\" or \"test\", got " + sp);
            };
            entries.add(new Entry(file, label, split));
        }
        return new EventFiles(dir, mf, sensor, oneD, micros, List.copyOf(names), classes, List.copyOf(entries));
    }

    private static int label(Path mf, JsonNode l, List<String> names, int classes, String at)
            throws EventFormatException {
        if (l.isTextual()) {
            int k = names.indexOf(l.asText());
            if (k < 0) {
                throw new EventFormatException(mf, at + ".label " + l + " is not one of the classes "
                        + (names.isEmpty() ? "(the manifest gives only a count: use an index 0.." + (classes - 1) + ")"
                        : names.toString()));
            }
            return k;
        }
        if (l.isIntegralNumber() && l.canConvertToInt() && l.asInt() >= 0 && l.asInt() < classes) {
            return l.asInt();
        }
        throw new EventFormatException(mf, at + ".label must be a class name or an index 0.." + (classes - 1)
                + ", got " + l);
    }

    private static JsonNode required(Path mf, JsonNode o, String field) throws EventFormatException {
        return required(mf, o, field, field);
    }

    private static JsonNode required(Path mf, JsonNode o, String field, String path) throws EventFormatException {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            throw new EventFormatException(mf, "missing field '" + path + "'");
        }
        return v;
    }

    private static int positive(Path mf, JsonNode o, String path, String field, int max) throws EventFormatException {
        JsonNode v = required(mf, o, field, path);
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1 || v.asInt() > max) {
            throw new EventFormatException(mf, "field '" + path + "' must be an integer 1.." + max + ", got " + v);
        }
        return v.asInt();
    }

    private static void unknownFields(Path mf, JsonNode o, Set<String> known, String prefix)
            throws EventFormatException {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw new EventFormatException(mf, "unknown field '" + prefix + f + "' (known: " + sorted(known) + ")");
            }
        }
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }

    private static String abbreviate(JsonNode n) {
        String s = n.toString();
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    @Override
    public String id() {
        return "events";
    }

    @Override
    public SensorShape sensor() {
        return sensor;
    }

    @Override
    public int classes() {
        return classes;
    }

    /** The class names, or an empty list when the manifest gives only a count. */
    public List<String> classNames() {
        return classNames;
    }

    /** The samples of a split in manifest order. */
    @Override
    public EventSource split(Split split) {
        List<Entry> mine = entries.stream().filter(e -> e.split() == split).toList();
        List<Path> files = new ArrayList<>();
        files.add(manifest.toAbsolutePath().normalize());
        mine.forEach(e -> files.add(e.file()));
        int[] labels = mine.stream().mapToInt(Entry::label).toArray();
        return new LabelledSource("events-" + split.id(), sensor, classes, labels,
                dir.toAbsolutePath().normalize(), files) {
            @Override
            public void read(int i, EventBuffer out) throws IOException {
                Path f = mine.get(i).file();
                readSample(f, Files.readAllBytes(f), out);
            }
        };
    }

    /**
     * Parses one sample file's bytes into {@code out} (cleared first).
     *
     * @throws EventFormatException naming {@code file} and the line, for anything that is not
     *     an event on the sensor
     */
    public void readSample(Path file, byte[] bytes, EventBuffer out) throws EventFormatException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new EventFormatException(file, "not UTF-8 text (an event file is CSV: t,"
                    + (oneDimensional ? "unit" : "x,y,p") + " per line)");
        }
        out.clear();
        String header = oneDimensional ? "t,unit" : "t,x,y,p";
        int columns = oneDimensional ? 2 : 4;
        int lineNo = 0;
        boolean first = true;
        for (String raw : text.split("\r?\n|\r", -1)) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(",", -1);
            for (int k = 0; k < f.length; k++) {
                f[k] = f[k].strip();
            }
            if (first && String.join(",", f).equals(header)) {
                first = false;
                continue;
            }
            first = false;
            String at = "line " + lineNo + ": ";
            if (f.length != columns) {
                throw new EventFormatException(file, at + "expected " + columns + " comma-separated fields (" + header
                        + "), got " + f.length + ": '" + clip(line) + "'");
            }
            int t = time(file, at, f[0]);
            if (oneDimensional) {
                int u = coordinate(file, at, "unit", f[1], sensor.width());
                out.add(u, 0, 0, t);
            } else {
                int x = coordinate(file, at, "x", f[1], sensor.width());
                int y = coordinate(file, at, "y", f[2], sensor.height());
                int p = coordinate(file, at, "p", f[3], sensor.channels());
                out.add(x, y, p, t);
            }
        }
    }

    private int time(Path file, String at, String s) throws EventFormatException {
        double v = Double.NaN;
        if (!s.isEmpty() && s.chars().allMatch(ch -> (ch >= '0' && ch <= '9') || ch == '.' || ch == 'e' || ch == 'E'
                || ch == '+' || ch == '-')) {
            try {
                v = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        double us = v * microsPerUnit;
        if (!(us >= 0 && Math.round(us) <= Integer.MAX_VALUE)) {
            throw new EventFormatException(file, at + "t '" + clip(s) + "' is not a time in 0.."
                    + (long) (Integer.MAX_VALUE / microsPerUnit) + " " + unitName());
        }
        return (int) Math.round(us);
    }

    private String unitName() {
        return microsPerUnit == 1.0 ? "us" : microsPerUnit == 1e3 ? "ms" : "s";
    }

    private int coordinate(Path file, String at, String name, String s, int limit) throws EventFormatException {
        int v = -1;
        if (!s.isEmpty() && s.length() <= 10 && s.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            long l = Long.parseLong(s);
            v = l < limit ? (int) l : -1;
        }
        if (v < 0) {
            throw new EventFormatException(file, at + name + " '" + clip(s) + "' is off the sensor (" + sensor
                    + "): must be an integer 0.." + (limit - 1));
        }
        return v;
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
