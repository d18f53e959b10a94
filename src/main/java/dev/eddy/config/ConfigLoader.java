package dev.eddy.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eddy.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * Builds a {@link RunConfig} in layers, each overriding the one before: the defaults, a named preset
 * (a JSON file of {@code config/}, packed in the jar under {@code presets/}, or any JSON file path), a
 * saved {@code config.json}, then the command-line flags as dotted keys ({@code physics.nu}).
 * Presets may be partial. Validation happens once, in the records' constructors.
 */
public final class ConfigLoader {
    private final ObjectNode tree;

    /** Starts from {@link RunConfig#defaults()}. */
    public ConfigLoader() {
        this(RunConfig.defaults());
    }

    /** Starts from the given settings (a restart starts from its checkpoint's). */
    public ConfigLoader(RunConfig base) {
        this.tree = Json.MAPPER.valueToTree(base);
    }

    public ConfigLoader preset(String name) {
        Path file = Path.of(name);
        if (Files.isRegularFile(file)) {
            return overlay(file);
        }
        String resource = "/presets/" + name + ".json";
        try (InputStream in = ConfigLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ConfigException("no preset named '" + name + "' (presets: " + String.join(", ", Presets.names())
                        + "; or give a path to a JSON file)");
            }
            merge(tree, parse(Json.MAPPER.readTree(in), "preset " + name));
        } catch (JsonProcessingException e) {
            throw new ConfigException("preset " + name + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException("cannot read preset " + name + ": " + e.getMessage());
        }
        return this;
    }

    /** Overlays a JSON file (a preset or a run's config.json). */
    public ConfigLoader overlay(Path file) {
        try {
            merge(tree, parse(Json.MAPPER.readTree(file.toFile()), file.toString()));
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        }
        return this;
    }

    /** Sets a dotted key such as {@code physics.nu}; null values are ignored (flag not given). */
    public ConfigLoader set(String dottedKey, Object value) {
        if (value == null) {
            return this;
        }
        String[] parts = dottedKey.split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            node = (ObjectNode) node.get(parts[i]);
        }
        node.set(parts[parts.length - 1], Json.MAPPER.valueToTree(value));
        return this;
    }

    public ConfigLoader setAll(Map<String, Object> values) {
        values.forEach(this::set);
        return this;
    }

    public RunConfig build() {
        try {
            return Json.MAPPER.treeToValue(tree, RunConfig.class);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause();
            while (cause != null && !(cause instanceof ConfigException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw new ConfigException(cause != null ? cause.getMessage() : e.getOriginalMessage());
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException("unknown setting '" + e.getPropertyName() + "' (known: "
                    + e.getKnownPropertyIds() + ")");
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            String where = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .reduce((a, b) -> a + "." + b).orElse("the settings");
            throw new ConfigException("setting '" + where + "' has the wrong type (a " + (e.getTargetType() != null
                    && e.getTargetType().isRecord() ? "JSON object" : e.getTargetType() != null ? e.getTargetType().getSimpleName()
                    : "different value") + " is expected)");
        } catch (JsonProcessingException e) {
            throw new ConfigException("invalid settings: " + e.getOriginalMessage());
        }
    }

    private static JsonNode parse(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            throw new ConfigException(what + " must be a JSON object");
        }
        return node;
    }

    private static void merge(ObjectNode target, JsonNode overlay) {
        Iterator<Map.Entry<String, JsonNode>> it = overlay.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = target.get(e.getKey());
            if (existing instanceof ObjectNode obj && e.getValue().isObject()) {
                merge(obj, e.getValue());
            } else {
                target.set(e.getKey(), e.getValue());
            }
        }
    }
}
