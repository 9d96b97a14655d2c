package dev.orchat.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** {@code GET /api/models/metadata} (docs/api.md §2.17): every key path with counts, kinds and examples, plus facets. Pure. */
public final class CatalogMetadata {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int EXAMPLES = 5;
    /** Numbers before strings, each in natural order, so examples read well ("0" before "0.000001"). */
    private static final Comparator<JsonNode> EXAMPLE_ORDER = Comparator
            .comparingInt((JsonNode n) -> n.isNumber() ? 0 : 1)
            .thenComparing((a, b) -> a.isNumber() && b.isNumber()
                    ? a.decimalValue().compareTo(b.decimalValue()) : a.asText().compareTo(b.asText()));

    private CatalogMetadata() {
    }

    private static final class Property {
        long count;
        final TreeSet<String> types = new TreeSet<>();
        final TreeSet<String> itemTypes = new TreeSet<>();
        final TreeSet<Boolean> booleans = new TreeSet<>();
        final TreeSet<JsonNode> examples = new TreeSet<>(EXAMPLE_ORDER);
        BigDecimal min;
        BigDecimal max;
    }

    public static ObjectNode build(List<ObjectNode> models, ObjectMapper sortedMapper) {
        Map<String, Property> properties = new TreeMap<>();
        TreeSet<String> input = new TreeSet<>();
        TreeSet<String> output = new TreeSet<>();
        TreeSet<String> parameters = new TreeSet<>();
        TreeSet<String> series = new TreeSet<>();
        TreeSet<String> seriesNormalized = new TreeSet<>();
        Range context = new Range();
        Range price = new Range();
        for (ObjectNode model : models) {
            model.fields().forEachRemaining(e -> walk(e.getKey(), e.getValue(), properties, sortedMapper));
            addStrings(model.get("input_modalities"), input);
            addStrings(model.get("output_modalities"), output);
            addStrings(model.get("supported_parameters_normalized"), parameters);
            addStrings(model.get("series"), series);
            addStrings(model.get("series_normalized"), seriesNormalized);
            context.add(model.get("context_length"));
            price.add(model.get("prompt_price_per_million"));
        }
        ObjectNode root = NODES.objectNode();
        root.put("total", models.size());
        root.put("base_count", models.size());
        ArrayNode list = root.putArray("properties");
        properties.forEach((path, p) -> list.add(view(path, p)));
        ObjectNode facets = root.putObject("facets");
        facets.set("input_modalities", array(input));
        facets.set("output_modalities", array(output));
        facets.set("supported_parameters", array(parameters));
        facets.set("series", array(series));
        facets.set("series_normalized", array(seriesNormalized));
        facets.set("context_length", context.view());
        facets.set("prompt_price_per_million", price.view());
        return root;
    }

    private static void walk(String path, JsonNode value, Map<String, Property> properties, ObjectMapper sortedMapper) {
        Property p = properties.computeIfAbsent(path, k -> new Property());
        p.count++;
        p.types.add(kind(value));
        if (value.isObject()) {
            example(p, NODES.textNode(json(value, sortedMapper)));
            value.fields().forEachRemaining(e -> walk(path + "." + e.getKey(), e.getValue(), properties, sortedMapper));
        } else if (value.isArray()) {
            for (JsonNode element : value) {
                p.itemTypes.add(kind(element));
            }
            // Elements are walked under the same path (and counted there), so "input_modalities" also shows
            // "string" among its types and "image", "text", ... as examples.
            for (JsonNode element : value) {
                walk(path, element, properties, sortedMapper);
            }
        } else if (value.isBoolean()) {
            p.booleans.add(value.booleanValue());
            example(p, value);
        } else if (value.isNumber()) {
            BigDecimal n = value.decimalValue();
            p.min = p.min == null || n.compareTo(p.min) < 0 ? n : p.min;
            p.max = p.max == null || n.compareTo(p.max) > 0 ? n : p.max;
            example(p, value);
        } else if (value.isTextual()) {
            example(p, value);
        }
    }

    private static void example(Property p, JsonNode value) {
        p.examples.add(value);
        if (p.examples.size() > EXAMPLES) {
            p.examples.pollLast();
        }
    }

    private static ObjectNode view(String path, Property p) {
        ObjectNode node = NODES.objectNode();
        node.put("path", path);
        node.put("count", p.count);
        node.set("types", array(p.types));
        if (!p.examples.isEmpty()) {
            ArrayNode examples = node.putArray("examples");
            p.examples.forEach(examples::add);
        }
        if (!p.booleans.isEmpty()) {
            ArrayNode booleans = node.putArray("boolean_values");
            p.booleans.forEach(booleans::add);
        }
        if (!p.itemTypes.isEmpty()) {
            node.set("item_types", array(p.itemTypes));
        }
        node.set("min", p.min == null ? NODES.nullNode() : NODES.numberNode(p.min));
        node.set("max", p.max == null ? NODES.nullNode() : NODES.numberNode(p.max));
        return node;
    }

    static String kind(JsonNode value) {
        if (value.isBoolean()) {
            return "boolean";
        }
        if (value.isNumber()) {
            return "number";
        }
        if (value.isTextual()) {
            return "string";
        }
        if (value.isArray()) {
            return "array";
        }
        if (value.isObject()) {
            return "object";
        }
        return "null";
    }

    private static String json(JsonNode value, ObjectMapper sortedMapper) {
        try {
            return sortedMapper.writeValueAsString(sortedMapper.treeToValue(value, Object.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return value.toString();
        }
    }

    private static void addStrings(JsonNode array, TreeSet<String> out) {
        if (array != null && array.isArray()) {
            array.forEach(v -> {
                if (v.isTextual()) {
                    out.add(v.asText());
                }
            });
        }
    }

    private static ArrayNode array(java.util.Collection<String> values) {
        ArrayNode array = NODES.arrayNode();
        values.forEach(array::add);
        return array;
    }

    private static final class Range {
        BigDecimal min;
        BigDecimal max;

        void add(JsonNode value) {
            if (value != null && value.isNumber()) {
                BigDecimal n = value.decimalValue();
                min = min == null || n.compareTo(min) < 0 ? n : min;
                max = max == null || n.compareTo(max) > 0 ? n : max;
            }
        }

        ObjectNode view() {
            ObjectNode node = NODES.objectNode();
            node.set("min", min == null ? NODES.nullNode() : NODES.numberNode(min));
            node.set("max", max == null ? NODES.nullNode() : NODES.numberNode(max));
            return node;
        }
    }
}
