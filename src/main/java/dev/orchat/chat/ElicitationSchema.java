package dev.orchat.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks an accepted elicitation answer against the server's {@code requestedSchema} (docs/api.md §3.7): the flat
 * object of MCP form mode, whose properties are strings (length, {@code format} email/uri/date/date-time,
 * {@code enum} or titled {@code oneOf}), numbers, integers (minimum/maximum), booleans and arrays of enum values
 * (minItems/maxItems). Errors use the field-error shape of every 422 ({@code loc}, {@code msg}, {@code type}).
 */
final class ElicitationSchema {
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private ElicitationSchema() {
    }

    static List<Map<String, Object>> validate(JsonNode schema, JsonNode content) {
        List<Map<String, Object>> errors = new ArrayList<>();
        if (content == null || !content.isObject()) {
            errors.add(error("Input should be a valid dictionary", "dict_type"));
            return errors;
        }
        JsonNode properties = schema.path("properties");
        for (JsonNode required : schema.path("required")) {
            if (!content.has(required.asText()) || content.get(required.asText()).isNull()) {
                errors.add(error("Field required", "missing", required.asText()));
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = content.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode property = properties.get(field.getKey());
            if (property == null) {
                errors.add(error("Extra inputs are not permitted", "extra_forbidden", field.getKey()));
            } else if (!field.getValue().isNull()) {
                String problem = check(property, field.getValue());
                if (problem != null) {
                    errors.add(error(problem, "value_error", field.getKey()));
                }
            }
        }
        return errors;
    }

    /** The problem with one value, or null. */
    private static String check(JsonNode property, JsonNode value) {
        String type = property.path("type").asText("string");
        return switch (type) {
            case "string" -> string(property, value);
            case "number", "integer" -> number(property, value, type.equals("integer"));
            case "boolean" -> value.isBoolean() ? null : "Input should be a valid boolean";
            case "array" -> array(property, value);
            default -> null;
        };
    }

    private static String string(JsonNode property, JsonNode value) {
        if (!value.isTextual()) {
            return "Input should be a valid string";
        }
        String text = value.textValue();
        Set<String> allowed = allowed(property);
        if (!allowed.isEmpty() && !allowed.contains(text)) {
            return "Input should be one of " + allowed;
        }
        if (property.has("minLength") && text.codePointCount(0, text.length()) < property.get("minLength").asInt()) {
            return "String should have at least " + property.get("minLength").asInt() + " characters";
        }
        if (property.has("maxLength") && text.codePointCount(0, text.length()) > property.get("maxLength").asInt()) {
            return "String should have at most " + property.get("maxLength").asInt() + " characters";
        }
        String format = property.path("format").asText("");
        return switch (format) {
            case "email" -> EMAIL.matcher(text).matches() ? null : "Input should be a valid email address";
            case "uri" -> uri(text) ? null : "Input should be a valid URI";
            case "date" -> parses(() -> LocalDate.parse(text)) ? null : "Input should be a valid date (YYYY-MM-DD)";
            case "date-time" -> parses(() -> OffsetDateTime.parse(text)) ? null : "Input should be a valid date-time";
            default -> null;
        };
    }

    private static String number(JsonNode property, JsonNode value, boolean integer) {
        if (!value.isNumber()) {
            return integer ? "Input should be a valid integer" : "Input should be a valid number";
        }
        if (integer && !(value.isIntegralNumber() || value.decimalValue().stripTrailingZeros().scale() <= 0)) {
            return "Input should be a valid integer";
        }
        double n = value.asDouble();
        if (property.has("minimum") && n < property.get("minimum").asDouble()) {
            return "Input should be greater than or equal to " + property.get("minimum").asText();
        }
        if (property.has("maximum") && n > property.get("maximum").asDouble()) {
            return "Input should be less than or equal to " + property.get("maximum").asText();
        }
        return null;
    }

    private static String array(JsonNode property, JsonNode value) {
        if (!value.isArray()) {
            return "Input should be a valid list";
        }
        if (property.has("minItems") && value.size() < property.get("minItems").asInt()) {
            return "List should have at least " + property.get("minItems").asInt() + " items";
        }
        if (property.has("maxItems") && value.size() > property.get("maxItems").asInt()) {
            return "List should have at most " + property.get("maxItems").asInt() + " items";
        }
        Set<String> allowed = allowed(property.path("items"));
        for (JsonNode item : value) {
            if (!item.isTextual() || (!allowed.isEmpty() && !allowed.contains(item.textValue()))) {
                return "Every item should be one of " + allowed;
            }
        }
        return null;
    }

    /** The values of {@code enum}, or the {@code const} of each {@code oneOf}/{@code anyOf} option. */
    private static Set<String> allowed(JsonNode property) {
        Set<String> out = new HashSet<>();
        property.path("enum").forEach(v -> out.add(v.asText()));
        property.path("oneOf").forEach(v -> out.add(v.path("const").asText()));
        property.path("anyOf").forEach(v -> out.add(v.path("const").asText()));
        return new java.util.TreeSet<>(out);
    }

    private static boolean uri(String text) {
        try {
            URI uri = new URI(text);
            return uri.getScheme() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static boolean parses(Runnable parse) {
        try {
            parse.run();
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static Map<String, Object> error(String msg, String type, String... field) {
        List<Object> loc = new ArrayList<>(List.of("body", "content"));
        loc.addAll(List.of(field));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("loc", loc);
        out.put("msg", msg);
        out.put("type", type);
        return out;
    }
}
