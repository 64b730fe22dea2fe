package io.eggroll.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    static ObjectMapper mapper() {
        return new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS);
    }

    static String write(TrainConfig c) {
        try {
            return mapper().writeValueAsString(c);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@link TrainConfig#fromJson}: the preset of the JSON's task, updated with its fields. */
    static TrainConfig read(String json, String source) {
        try {
            ObjectMapper om = mapper();
            JsonNode tree = om.readTree(json);
            String task = tree != null && tree.path("task").isTextual() ? tree.path("task").asText() : "nmnist";
            TrainConfig base = task.equals("synthetic") || task.equals("nmnist") ? TrainConfig.defaults(task) : new TrainConfig();
            if (!(tree instanceof ObjectNode root)) {
                return om.readerForUpdating(base).readValue(json); // fails, naming what is there instead
            }
            // A nested object replaces the preset's whole group, its absent fields taking the class
            // defaults (as for network, synthetic and data, which Jackson fills in place).
            TrainConfig classDefaults = new TrainConfig();
            withDefaults(om, root, "es", classDefaults.es);
            withDefaults(om, root, "optimizer", classDefaults.optimizer);
            return om.readerForUpdating(base).readValue(root);
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
        } catch (JsonProcessingException e) {
            if (e.getLocation() == null) {
                throw new TrainConfig.ConfigException(source + ": " + firstLine(e.getOriginalMessage()));
            }
            throw new TrainConfig.ConfigException(source + ": not valid JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new TrainConfig.ConfigException(source + ": " + e.getMessage());
        }
    }

    /** Adds the fields of {@code defaults} that {@code root}'s object {@code field} leaves out. */
    private static void withDefaults(ObjectMapper om, ObjectNode root, String field, Object defaults) {
        if (root.get(field) instanceof ObjectNode given) {
            om.valueToTree(defaults).properties().forEach(e -> {
                if (!given.has(e.getKey())) {
                    given.set(e.getKey(), e.getValue());
                }
            });
        }
    }

    static TrainConfig load(Path file) {
        try {
            return read(Files.readString(file), file.toString());
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
