package dev.orchat.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads tool arguments against the tool's schema. A violation is thrown as {@link Invalid} carrying the
 * one-sentence text the model sees (docs/operations.md, "MCP servers"), so each tool can validate in straight-line code. A JSON
 * {@code null} counts as absent because models often spell an omitted optional argument that way.
 */
final class Args {

    /** A schema violation; the message is the whole error result. */
    static final class Invalid extends RuntimeException {
        Invalid(String sentence) {
            super(sentence, null, false, false);
        }
    }

    private Args() {
    }

    static JsonNode present(ObjectNode args, String name) {
        JsonNode node = args == null ? null : args.get(name);
        return node == null || node.isNull() ? null : node;
    }

    static String optionalString(ObjectNode args, String name) {
        JsonNode node = present(args, name);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            throw new Invalid("Argument '" + name + "' must be a string.");
        }
        return node.textValue();
    }

    /** Blank counts as missing: an empty time or zone is never meaningful. */
    static String requiredString(ObjectNode args, String name) {
        String value = optionalString(args, name);
        if (value == null || value.isBlank()) {
            throw new Invalid("Argument '" + name + "' is required.");
        }
        return value.strip();
    }

    static String optionalEnum(ObjectNode args, String name, String fallback, List<String> allowed) {
        String value = optionalString(args, name);
        if (value == null) {
            return fallback;
        }
        if (!allowed.contains(value)) {
            throw new Invalid("Argument '" + name + "' must be one of: " + String.join(", ", allowed) + ".");
        }
        return value;
    }

    static String requiredEnum(ObjectNode args, String name, List<String> allowed) {
        if (present(args, name) == null) {
            throw new Invalid("Argument '" + name + "' is required and must be one of: "
                    + String.join(", ", allowed) + ".");
        }
        return optionalEnum(args, name, null, allowed);
    }

    static BigDecimal requiredNumber(ObjectNode args, String name) {
        JsonNode node = present(args, name);
        if (node == null) {
            throw new Invalid("Argument '" + name + "' is required and must be a number.");
        }
        // NaN and infinities can only arrive as doubles and have no decimal value.
        if (!node.isNumber() || (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue()))) {
            throw new Invalid("Argument '" + name + "' must be a number.");
        }
        return node.decimalValue();
    }

    static int optionalInt(ObjectNode args, String name, int fallback, int min, int max) {
        JsonNode node = present(args, name);
        if (node == null) {
            return fallback;
        }
        String problem = "Argument '" + name + "' must be an integer from " + min + " to " + max + ".";
        // 5.0 is an integer in JSON Schema terms, so only a fractional part disqualifies a number.
        if (!node.isNumber() || (node.isFloatingPointNumber() && node.doubleValue() != Math.rint(node.doubleValue()))) {
            throw new Invalid(problem);
        }
        BigDecimal value = node.decimalValue();
        if (value.compareTo(BigDecimal.valueOf(min)) < 0 || value.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw new Invalid(problem);
        }
        return value.intValueExact();
    }

    static boolean optionalBoolean(ObjectNode args, String name, boolean fallback) {
        JsonNode node = present(args, name);
        if (node == null) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw new Invalid("Argument '" + name + "' must be true or false.");
        }
        return node.booleanValue();
    }

    /** An empty array means "no restriction", the same as leaving the argument out. */
    static List<String> optionalEnumArray(ObjectNode args, String name, List<String> allowed) {
        JsonNode node = present(args, name);
        if (node == null) {
            return List.of();
        }
        String problem = "Argument '" + name + "' must be an array of: " + String.join(", ", allowed) + ".";
        if (!node.isArray()) {
            throw new Invalid(problem);
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual() || !allowed.contains(item.textValue())) {
                throw new Invalid(problem);
            }
            values.add(item.textValue());
        }
        return values;
    }

    /** A list of strings; a single comma-separated string is accepted too, as models often send one. */
    static List<String> optionalStringList(ObjectNode args, String name) {
        JsonNode node = present(args, name);
        List<String> values = new ArrayList<>();
        if (node == null) {
            return values;
        }
        if (node.isTextual()) {
            for (String part : node.textValue().split(",")) {
                if (!part.isBlank()) {
                    values.add(part.strip());
                }
            }
            return values;
        }
        if (!node.isArray()) {
            throw new Invalid("Argument '" + name + "' must be an array of strings.");
        }
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new Invalid("Argument '" + name + "' must be an array of strings.");
            }
            if (!item.textValue().isBlank()) {
                values.add(item.textValue().strip());
            }
        }
        return values;
    }
}
