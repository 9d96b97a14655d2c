package dev.orchat.builtin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Small builder for the JSON Schemas the built-ins publish with their tool lists. */
final class Schemas {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final ObjectNode schema = NODES.objectNode();
    private final ObjectNode properties;
    private final ArrayNode required;

    private Schemas() {
        schema.put("type", "object");
        properties = schema.putObject("properties");
        required = schema.putArray("required");
    }

    static Schemas object() {
        return new Schemas();
    }

    Schemas string(String name, String description) {
        property(name, "string", description);
        return this;
    }

    Schemas stringEnum(String name, String description, List<String> values) {
        ArrayNode list = property(name, "string", description).putArray("enum");
        values.forEach(list::add);
        return this;
    }

    Schemas number(String name, String description) {
        property(name, "number", description);
        return this;
    }

    Schemas integer(String name, String description, int min, int max, int fallback) {
        property(name, "integer", description).put("minimum", min).put("maximum", max).put("default", fallback);
        return this;
    }

    Schemas bool(String name, String description, boolean fallback) {
        property(name, "boolean", description).put("default", fallback);
        return this;
    }

    Schemas enumArray(String name, String description, List<String> values) {
        ArrayNode list = property(name, "array", description).putObject("items").put("type", "string").putArray("enum");
        values.forEach(list::add);
        return this;
    }

    Schemas stringArray(String name, String description) {
        property(name, "array", description).putObject("items").put("type", "string");
        return this;
    }

    Schemas required(String... names) {
        for (String name : names) {
            required.add(name);
        }
        return this;
    }

    ObjectNode build() {
        return schema;
    }

    private ObjectNode property(String name, String type, String description) {
        return properties.putObject(name).put("type", type).put("description", description);
    }
}
