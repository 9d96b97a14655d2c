package dev.orchat.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.web.ApiException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * The {@code filters} language of docs/api.md §2.16, pure. Every entry maps a dotted path to a criterion and all entries
 * must match. A resolved JSON {@code null} counts as no value, like a missing key, so {@code exists: false} matches
 * {@code "per_request_limits": null} (ADR 0011).
 */
public final class ModelFilter {
    private static final ModelFilter NONE = new ModelFilter(List.of());
    private final List<Entry> entries;

    private record Entry(String[] path, JsonNode criterion) {
    }

    private ModelFilter(List<Entry> entries) {
        this.entries = entries;
    }

    public static ModelFilter none() {
        return NONE;
    }

    /** Parses the query parameter; blank means no filter. Malformed input is the client's 400 (docs/api.md §2.16). */
    public static ModelFilter parse(String filters, ObjectMapper mapper) {
        if (filters == null || filters.isBlank()) {
            return NONE;
        }
        JsonNode root;
        try {
            root = mapper.readTree(filters);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("Invalid filters parameter: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("Filters parameter must be a JSON object.");
        }
        List<Entry> entries = new ArrayList<>();
        root.fields().forEachRemaining(e -> entries.add(new Entry(e.getKey().split("\\.", -1), e.getValue())));
        return new ModelFilter(List.copyOf(entries));
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public boolean matches(JsonNode model) {
        for (Entry entry : entries) {
            if (!matches(resolve(model, entry.path()), entry.criterion())) {
                return false;
            }
        }
        return true;
    }

    /** Path resolution: objects by key, arrays fan out over their elements, a terminal array gives its elements. */
    static List<JsonNode> resolve(JsonNode root, String[] path) {
        List<JsonNode> out = new ArrayList<>();
        collect(root, path, 0, out);
        return out;
    }

    private static void collect(JsonNode node, String[] path, int index, List<JsonNode> out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return;
        }
        if (node.isArray()) {
            // The rest of the path applies to each element; at the end of the path this flattens nested arrays.
            for (JsonNode element : node) {
                collect(element, path, index, out);
            }
            return;
        }
        if (index == path.length) {
            out.add(node);
            return;
        }
        if (node.isObject()) {
            collect(node.get(path[index]), path, index + 1, out);
        }
    }

    static boolean matches(List<JsonNode> values, JsonNode criterion) {
        if (criterion.isArray()) {
            return anyIn(values, criterion);
        }
        if (!criterion.isObject()) {
            return values.stream().anyMatch(v -> same(v, criterion));
        }
        var fields = criterion.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> op = fields.next();
            if (!operator(op.getKey(), values, op.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean operator(String name, List<JsonNode> values, JsonNode operand) {
        switch (name) {
            case "eq", "equals" -> {
                return operand.isArray() ? anyIn(values, operand) : values.stream().anyMatch(v -> same(v, operand));
            }
            case "neq", "not" -> {
                return operand.isArray() ? !anyIn(values, operand) : values.stream().noneMatch(v -> same(v, operand));
            }
            case "contains", "substring" -> {
                if (operand.isNull()) {
                    return false;
                }
                String needle = text(operand).toLowerCase(Locale.ROOT);
                return values.stream().anyMatch(v -> text(v).toLowerCase(Locale.ROOT).contains(needle));
            }
            case "in", "one_of" -> {
                return operand.isArray() && anyIn(values, operand);
            }
            case "min", "gte" -> {
                return numeric(values, operand, (value, bound) -> value.compareTo(bound) >= 0);
            }
            case "max", "lte" -> {
                return numeric(values, operand, (value, bound) -> value.compareTo(bound) <= 0);
            }
            case "exists" -> {
                return ModelEnricher.truthy(operand) != values.isEmpty();
            }
            default -> {
                return false; // docs/api.md §2.16: an unknown operator fails the criterion, it is not a client error
            }
        }
    }

    private static boolean anyIn(List<JsonNode> values, JsonNode array) {
        for (JsonNode value : values) {
            for (JsonNode candidate : array) {
                if (same(value, candidate)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean numeric(List<JsonNode> values, JsonNode operand, BiPredicate<BigDecimal, BigDecimal> test) {
        BigDecimal bound = number(operand);
        if (bound == null) {
            return false;
        }
        for (JsonNode value : values) {
            BigDecimal n = number(value);
            if (n != null && test.test(n, bound)) {
                return true;
            }
        }
        return false;
    }

    /** Numbers as is, numeric strings parsed, booleans as 1/0; anything else has no numeric value. */
    static BigDecimal number(JsonNode value) {
        if (value.isBoolean()) {
            return value.booleanValue() ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        return ModelEnricher.number(value);
    }

    /**
     * Equality used by scalar, array and eq/neq/in criteria: strings trimmed and lower-cased; numbers (and strings
     * holding numbers) by value, so {@code "0.0000010"} equals {@code 0.000001}; containers by their JSON.
     */
    static boolean same(JsonNode value, JsonNode criterion) {
        return key(value).equals(key(criterion));
    }

    private static String key(JsonNode node) {
        if (node.isNumber() || node.isTextual()) {
            BigDecimal n = ModelEnricher.number(node);
            if (n != null) {
                return "n:" + (n.signum() == 0 ? "0" : n.stripTrailingZeros().toPlainString());
            }
            return "s:" + node.asText().strip().toLowerCase(Locale.ROOT);
        }
        if (node.isBoolean()) {
            return "s:" + node.booleanValue();
        }
        if (node.isNull()) {
            return "null";
        }
        return "j:" + node;
    }

    /** A value as text for substring and search matching. */
    static String text(JsonNode node) {
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
