package io.eggroll.train;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eggroll.es.OptimizerKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Reading and writing {@link TrainConfig} as JSON: the strict mapper, the task preset a file's
 * missing fields come from, and error messages that name the file, the field and the value.
 */
final class ConfigJson {

    private ConfigJson() {}

    /**
     * The config mapper: unknown fields, nulls for primitives, coerced scalars, fractions for
     * integers, numbers for strings or enums, duplicate keys and anything after the JSON value are errors.
     */
    static ObjectMapper mapper() {
        JsonFactory strict = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        ObjectMapper om = new ObjectMapper(strict);
        om.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return om
                .enable(SerializationFeature.INDENT_OUTPUT)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS);
    }

    static String write(TrainConfig c) {
        try {
            return mapper().writeValueAsString(c);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@link TrainConfig#fromJson}: the preset of the JSON's task (nmnist when absent) with the
     * JSON's fields merged in field by field, nested objects included; then validated.
     */
    static TrainConfig read(String json, String source) {
        return read(json, source, null, null, null);
    }

    /**
     * {@link #read(String, String)} with the command line's preset, optimizer kind and precision
     * (null: not given) set in the JSON first: they choose the preset with its task.
     */
    static TrainConfig read(String json, String source, String preset, OptimizerKind optimizer, String precision) {
        TrainConfig c;
        try {
            ObjectMapper om = mapper();
            JsonNode tree = om.readTree(json);
            if (tree == null || tree.isMissingNode()) {
                throw new TrainConfig.ConfigException(source + ": empty; a config is a JSON object, e.g. {\"task\": \"synthetic\"}");
            }
            if (!(tree instanceof ObjectNode root)) {
                throw new TrainConfig.ConfigException(source + ": a config must be a JSON object {...}, got "
                        + (tree.isNull() ? "null" : kind(tree) + " " + abbreviate(tree.toString())));
            }
            root.remove(RunDirectory.PROVENANCE);   // a run's config.json records what made it; not a setting
            if (optimizer != null && (root.get("optimizer") == null || root.get("optimizer").isObject())) {
                root.withObjectProperty("optimizer").put("kind", optimizer.name());
            }
            if (precision != null) {
                root.put("precision", precision);
            }
            if (preset != null) {
                root.put("preset", preset);
            }
            ObjectNode merged = om.valueToTree(TrainConfig.defaults(task(root, source), preset(root, source),
                    optimizerKind(root), root.path("precision").asText("float")));
            rejectNulls(root, merged, "", source);
            merge(merged, root);
            c = om.readerFor(TrainConfig.class).readValue(merged);
            JsonNode givenNet = root.get("network");
            if (c.network != null && c.network.layers != null && (givenNet == null || !givenNet.has("hidden"))) {
                c.network.hidden = null; // network.layers replaces the preset's hidden widths
            }
        } catch (ValueInstantiationException e) {
            Throwable why = e.getCause() != null ? e.getCause() : e;
            throw new TrainConfig.ConfigException(source + ": " + (why == e ? firstLine(e.getOriginalMessage()) : why.getMessage()));
        } catch (UnrecognizedPropertyException e) {
            throw new TrainConfig.ConfigException(source + ": unknown field '" + path(e) + "'");
        } catch (InvalidFormatException e) {
            throw new TrainConfig.ConfigException(source + ": field '" + path(e) + "' expects " + typeName(e.getTargetType())
                    + ", got " + quote(e.getValue()));
        } catch (MismatchedInputException e) {
            throw new TrainConfig.ConfigException(source + ": field '" + path(e) + "' expects " + typeName(e.getTargetType())
                    + ": " + firstLine(e.getOriginalMessage()));
        } catch (JsonMappingException e) {
            throw new TrainConfig.ConfigException(source + ": field '" + path(e) + "': " + firstLine(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            if (e.getLocation() == null) {
                throw new TrainConfig.ConfigException(source + ": " + firstLine(e.getOriginalMessage()));
            }
            throw new TrainConfig.ConfigException(source + ": not valid JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new TrainConfig.ConfigException(source + ": " + e.getMessage());
        }
        try {
            c.validate();
        } catch (IllegalArgumentException e) {
            throw new TrainConfig.ConfigException(source + ": " + e.getMessage());
        }
        return c;
    }

    /**
     * The optimizer whose defaults the preset takes: the JSON's {@code optimizer.kind}; null (the
     * preset's own) when absent; Adam when not a kind (the mapper then names the bad value).
     */
    private static OptimizerKind optimizerKind(ObjectNode root) {
        JsonNode kind = root.path("optimizer").get("kind");
        if (kind == null) {
            return null;
        }
        return kind.asText("").equals(OptimizerKind.SGD.name()) ? OptimizerKind.SGD : OptimizerKind.ADAM;
    }

    /** The named preset of the JSON ({@code preset}), null when absent; a null or unknown one is refused. */
    private static String preset(ObjectNode root, String source) {
        JsonNode p = root.get("preset");
        if (p == null) {
            return null;
        }
        if (p.isNull()) {
            throw nullField("preset", source);
        }
        try {
            TrainConfig.checkPreset(p.isTextual() ? p.asText() : abbreviate(p.toString()),
                    root.path("task").asText("nmnist"));
        } catch (TrainConfig.ConfigException e) {
            throw new TrainConfig.ConfigException(source + ": " + e.getMessage());
        }
        return p.asText();
    }

    /** The task whose preset the config starts from: its {@code task} field, nmnist when absent. */
    private static String task(ObjectNode root, String source) {
        JsonNode t = root.get("task");
        if (t == null || t.isNull()) {
            return "nmnist"; // a null task is refused with the other nulls
        }
        if (!t.isTextual() || !TrainConfig.TASKS.contains(t.asText())) {
            throw new TrainConfig.ConfigException(source + ": field 'task' must be one of " + TrainConfig.TASKS + ", got "
                    + abbreviate(t.toString()));
        }
        return t.asText();
    }

    /**
     * Refuses a null wherever the preset has a value (only {@code device} and {@code data.dir} may
     * be null, meaning none); fields the preset lacks are left to the mapper to name as unknown.
     */
    private static void rejectNulls(JsonNode given, JsonNode preset, String at, String source) {
        if (given.isObject() && preset.isObject()) {
            given.properties().forEach(e -> {
                JsonNode p = preset.get(e.getKey());
                if (p != null) {
                    rejectNulls(e.getValue(), p, at.isEmpty() ? e.getKey() : at + "." + e.getKey(), source);
                }
            });
        } else if (given.isArray() && preset.isArray()) {
            for (int i = 0; i < given.size(); i++) {
                if (given.get(i).isNull()) {
                    throw nullField(at + "[" + i + "]", source);
                }
            }
        } else if (given.isNull() && !preset.isNull()) {
            throw nullField(at, source);
        }
    }

    private static TrainConfig.ConfigException nullField(String field, String source) {
        return new TrainConfig.ConfigException(source + ": field '" + field
                + "' is null; give a value, or leave the field out for the task's preset");
    }

    /** Sets {@code given}'s fields in {@code into}, merging objects into objects field by field. */
    private static void merge(ObjectNode into, ObjectNode given) {
        given.properties().forEach(e -> {
            if (e.getValue() instanceof ObjectNode g && into.get(e.getKey()) instanceof ObjectNode i) {
                merge(i, g);
            } else {
                into.set(e.getKey(), e.getValue());
            }
        });
    }

    private static String kind(JsonNode n) {
        return switch (n.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    static TrainConfig load(Path file, String preset, OptimizerKind optimizer, String precision) {
        try {
            return read(Files.readString(file), file.toString(), preset, optimizer, precision);
        } catch (IOException e) {
            throw new TrainConfig.ConfigException("cannot read config " + file + ": " + e.getMessage());
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String typeName(Class<?> c) {
        if (c == null) {
            return "another type";
        }
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
            return "an integer";
        }
        if (c == float.class || c == double.class || c == Float.class || c == Double.class) {
            return "a number";
        }
        if (c == boolean.class || c == Boolean.class) {
            return "true or false";
        }
        if (c == String.class) {
            return "a string";
        }
        if (c.isEnum()) {
            Object[] values = c.getEnumConstants();
            return "one of " + java.util.Arrays.toString(values);
        }
        if (c.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String quote(Object v) {
        return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
    }

    private static String firstLine(String s) {
        int i = s == null ? -1 : s.indexOf('\n');
        return i < 0 ? String.valueOf(s) : s.substring(0, i);
    }

}
