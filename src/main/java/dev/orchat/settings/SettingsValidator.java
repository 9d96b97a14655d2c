package dev.orchat.settings;

import static dev.orchat.settings.FieldErrors.at;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ProviderPreferences and ModelHyperparameters (docs/api.md §2.18): unknown keys and out-of-range values become field
 * errors. Pure; the cleaned copies drop null members, which the API omits.
 */
public final class SettingsValidator {
    public static final int MAX_MODEL_LENGTH = 200;
    private static final Set<String> PRICE_KEYS = Set.of("prompt", "completion", "image", "audio", "request");
    private static final Set<String> PROVIDER_KEYS = Set.of("allow_fallbacks", "require_parameters", "data_collection",
            "zdr", "order", "only", "ignore", "quantizations", "sort", "max_price", "experimental");
    private static final Set<String> PARAMETER_KEYS = Set.of("temperature", "top_p", "top_k", "min_p", "top_a",
            "max_tokens", "frequency_penalty", "presence_penalty", "repetition_penalty", "seed", "logit_bias", "stop",
            "top_logprobs", "parallel_tool_calls", "tool_choice", "response_format", "structured_outputs", "reasoning",
            "safe_prompt", "raw_mode");

    private SettingsValidator() {
    }

    /** A non-blank model id of at most 200 characters (stripped); null when invalid (error recorded). */
    public static String model(JsonNode value, List<Object> loc, FieldErrors errors) {
        String model = errors.requiredText(value, loc);
        if (model == null) {
            return null;
        }
        if (model.isEmpty()) {
            errors.add(loc, "String should have at least 1 character", "string_too_short");
            return null;
        }
        if (model.length() > MAX_MODEL_LENGTH) {
            errors.add(loc, "String should have at most 200 characters", "string_too_long");
            return null;
        }
        return model;
    }

    /** Validated copy of provider preferences without null members; null for JSON null or absent. */
    public static ObjectNode provider(JsonNode value, List<Object> loc, FieldErrors errors) {
        ObjectNode node = objectOrNull(value, loc, errors);
        if (node == null) {
            return null;
        }
        errors.rejectUnknown(node, PROVIDER_KEYS, loc);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<Object> where = at(loc, e.getKey());
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "allow_fallbacks", "require_parameters", "zdr" -> bool(v, where, errors);
                case "data_collection" -> choice(v, Set.of("allow", "deny"), where, errors);
                case "sort" -> choice(v, Set.of("price", "throughput", "latency"), where, errors);
                case "order", "only", "ignore", "quantizations" -> stringList(v, where, errors);
                case "experimental" -> object(v, where, errors);
                case "max_price" -> maxPrice(v, where, errors);
                default -> { } // reported by rejectUnknown
            }
        }
        return withoutNulls(node);
    }

    /** Validated copy of the hyper-parameters without null members; null for JSON null or absent. */
    public static ObjectNode parameters(JsonNode value, List<Object> loc, FieldErrors errors) {
        ObjectNode node = objectOrNull(value, loc, errors);
        if (node == null) {
            return null;
        }
        errors.rejectUnknown(node, PARAMETER_KEYS, loc);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<Object> where = at(loc, e.getKey());
            JsonNode v = e.getValue();
            if (v.isNull()) {
                continue;
            }
            switch (e.getKey()) {
                case "temperature" -> range(v, "0", "2", false, where, errors);
                case "top_p", "min_p" -> range(v, "0", "1", false, where, errors);
                case "top_a", "repetition_penalty" -> range(v, "0", null, false, where, errors);
                case "frequency_penalty", "presence_penalty" -> range(v, "-2", "2", false, where, errors);
                case "top_k", "top_logprobs" -> range(v, "0", null, true, where, errors);
                case "max_tokens" -> range(v, "1", null, true, where, errors);
                case "seed" -> range(v, null, null, true, where, errors);
                case "logit_bias" -> logitBias(v, where, errors);
                case "stop" -> {
                    if (!v.isTextual()) {
                        stringList(v, where, errors);
                    }
                }
                case "parallel_tool_calls", "structured_outputs", "safe_prompt", "raw_mode" -> bool(v, where, errors);
                case "tool_choice" -> {
                    if (!v.isTextual() && !v.isObject()) {
                        errors.add(where, "Input should be a valid string or dictionary", "union_type");
                    }
                }
                case "response_format" -> object(v, where, errors);
                case "reasoning" -> reasoning(v, where, errors);
                default -> { } // reported by rejectUnknown
            }
        }
        return withoutNulls(node);
    }

    private static ObjectNode objectOrNull(JsonNode value, List<Object> loc, FieldErrors errors) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (!value.isObject()) {
            errors.add(loc, "Input should be a valid dictionary", "dict_type");
            return null;
        }
        return (ObjectNode) value;
    }

    private static ObjectNode withoutNulls(ObjectNode node) {
        ObjectNode copy = node.deepCopy();
        copy.properties().removeIf(e -> e.getValue().isNull());
        return copy;
    }

    private static void bool(JsonNode v, List<Object> loc, FieldErrors errors) {
        if (!v.isNull() && !v.isBoolean()) {
            errors.add(loc, "Input should be a valid boolean", "bool_type");
        }
    }

    private static void object(JsonNode v, List<Object> loc, FieldErrors errors) {
        if (!v.isNull() && !v.isObject()) {
            errors.add(loc, "Input should be a valid dictionary", "dict_type");
        }
    }

    private static void choice(JsonNode v, Set<String> allowed, List<Object> loc, FieldErrors errors) {
        if (!v.isNull() && (!v.isTextual() || !allowed.contains(v.asText()))) {
            errors.add(loc, "Input should be " + String.join(", ", new java.util.TreeSet<>(allowed).stream()
                    .map(s -> "'" + s + "'").toList()), "enum");
        }
    }

    private static void stringList(JsonNode v, List<Object> loc, FieldErrors errors) {
        if (v.isNull()) {
            return;
        }
        if (!v.isArray()) {
            errors.add(loc, "Input should be a valid list", "list_type");
            return;
        }
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                errors.add(at(loc, i), "Input should be a valid string", "string_type");
            }
        }
    }

    private static void maxPrice(JsonNode v, List<Object> loc, FieldErrors errors) {
        if (v.isNull()) {
            return;
        }
        if (!v.isObject()) {
            errors.add(loc, "Input should be a valid dictionary", "dict_type");
            return;
        }
        errors.rejectUnknown(v, PRICE_KEYS, loc);
        v.fields().forEachRemaining(e -> {
            if (PRICE_KEYS.contains(e.getKey()) && !e.getValue().isNull() && decimal(e.getValue()) == null) {
                errors.add(at(loc, e.getKey()), "Input should be a valid number", "float_parsing");
            }
        });
    }

    private static void logitBias(JsonNode v, List<Object> loc, FieldErrors errors) {
        if (!v.isObject()) {
            errors.add(loc, "Input should be a valid dictionary", "dict_type");
            return;
        }
        v.fields().forEachRemaining(e -> {
            if (!e.getValue().isNumber()) {
                errors.add(at(loc, e.getKey()), "Input should be a valid number", "float_type");
            }
        });
    }

    private static void reasoning(JsonNode v, List<Object> loc, FieldErrors errors) {
        if (!v.isObject()) {
            errors.add(loc, "Input should be a valid dictionary", "dict_type");
            return;
        }
        // Only the members the UI uses are checked; OpenRouter may add others, which pass through.
        if (v.has("enabled")) {
            bool(v.get("enabled"), at(loc, "enabled"), errors);
        }
        if (v.has("exclude")) {
            bool(v.get("exclude"), at(loc, "exclude"), errors);
        }
        if (v.has("effort")) {
            choice(v.get("effort"), Set.of("low", "medium", "high"), at(loc, "effort"), errors);
        }
        if (v.has("max_tokens") && !v.get("max_tokens").isNull()) {
            range(v.get("max_tokens"), "0", null, true, at(loc, "max_tokens"), errors);
        }
    }

    private static void range(JsonNode v, String min, String max, boolean integer, List<Object> loc, FieldErrors errors) {
        if (!v.isNumber()) {
            errors.add(loc, integer ? "Input should be a valid integer" : "Input should be a valid number",
                    integer ? "int_type" : "float_type");
            return;
        }
        BigDecimal n = v.decimalValue();
        if (integer && n.stripTrailingZeros().scale() > 0) {
            errors.add(loc, "Input should be a valid integer", "int_type");
            return;
        }
        if (min != null && n.compareTo(new BigDecimal(min)) < 0) {
            errors.add(loc, "Input should be greater than or equal to " + min, "greater_than_equal");
        } else if (max != null && n.compareTo(new BigDecimal(max)) > 0) {
            errors.add(loc, "Input should be less than or equal to " + max, "less_than_equal");
        }
    }

    private static BigDecimal decimal(JsonNode v) {
        if (v.isNumber()) {
            return v.decimalValue();
        }
        if (v.isTextual()) {
            try {
                return new BigDecimal(v.asText().strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
