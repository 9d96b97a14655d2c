package dev.orchat.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The derived fields of docs/api.md §2.16 Pure: the upstream model is copied, never changed. */
public final class ModelEnricher {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> TOOL_CAPABILITIES = List.of("tools", "functions", "function_calling", "tool_choice",
            "tool_calls");
    private static final List<String> TOOL_FLAGS = List.of("tools", "functions", "supports_tools", "supports_functions");
    private static final Set<String> TOOL_PARAMETERS = Set.of("tools", "tool_choice", "parallel_tool_calls", "functions",
            "function_calling");
    private static final Set<String> FALSY_STRINGS = Set.of("", "false", "0", "none", "null", "no", "disabled");
    private static final Map<String, List<String>> ALIASES = Map.ofEntries(
            Map.entry("openai", List.of("gpt")), Map.entry("anthropic", List.of("claude")),
            Map.entry("google", List.of("gemini", "PaLM", "pam")), Map.entry("x-ai", List.of("grok")),
            Map.entry("cohere", List.of("cohere")), Map.entry("amazon", List.of("nova")),
            Map.entry("perplexity", List.of("router")), Map.entry("openrouter", List.of("router")),
            Map.entry("mistralai", List.of("mistral")), Map.entry("deepseek", List.of("deepseek")),
            Map.entry("yi", List.of("yi")), Map.entry("01-ai", List.of("yi")),
            Map.entry("meta-llama", List.of("llama", "llama2", "llama3", "llama4")), Map.entry("meta", List.of("llama")),
            Map.entry("qwen", List.of("qwen")), Map.entry("microsoft", List.of("other")),
            Map.entry("nvidia", List.of("other")));

    private ModelEnricher() {
    }

    public static ObjectNode enrich(ObjectNode upstream) {
        ObjectNode model = upstream.deepCopy();
        List<String> parameters = cleanedStrings(model.get("supported_parameters"));
        TreeSet<String> normalized = new TreeSet<>();
        parameters.forEach(p -> normalized.add(p.toLowerCase(Locale.ROOT)));
        if (model.has("supported_parameters") || !parameters.isEmpty()) {
            model.set("supported_parameters", strings(parameters));
        }
        model.set("supported_parameters_normalized", strings(normalized));

        model.put("supports_tools", supportsTools(model, normalized));
        model.put("supports_reasoning", normalized.contains("reasoning") || normalized.contains("include_reasoning"));
        TreeSet<String> input = modalities(model.path("architecture").get("input_modalities"));
        TreeSet<String> output = modalities(model.path("architecture").get("output_modalities"));
        model.set("input_modalities", strings(input));
        model.set("output_modalities", strings(output));
        model.put("supports_images", input.contains("image"));
        model.put("supports_files", input.contains("file"));

        BigDecimal context = number(model.get("context_length"));
        if (context != null) {
            model.put("context_length", context.longValue());
        }
        BigDecimal prompt = number(model.path("pricing").get("prompt"));
        if (prompt != null) {
            model.put("prompt_price", prompt.doubleValue());
            model.put("prompt_price_per_million", prompt.movePointRight(6).doubleValue());
        } else {
            model.remove("prompt_price");
            model.remove("prompt_price_per_million");
        }

        String id = model.path("id").isTextual() ? model.get("id").asText() : model.path("id").asText("");
        int slash = id.indexOf('/');
        String prefix = slash >= 0 ? id.substring(0, slash) : id;
        model.put("provider_prefix", prefix);
        TreeSet<String> series = series(id, prefix, model.path("name").isTextual() ? model.get("name").asText() : "");
        TreeSet<String> seriesNormalized = new TreeSet<>();
        series.forEach(s -> seriesNormalized.add(s.toLowerCase(Locale.ROOT)));
        model.set("series", strings(series));
        model.set("series_normalized", strings(seriesNormalized));
        return model;
    }

    static boolean supportsTools(ObjectNode model, Set<String> normalizedParameters) {
        JsonNode capabilities = model.get("capabilities");
        if (capabilities != null && capabilities.isObject()) {
            for (String key : TOOL_CAPABILITIES) {
                if (truthy(capabilities.get(key))) {
                    return true;
                }
            }
        }
        for (String key : TOOL_FLAGS) {
            if (truthy(model.get(key))) {
                return true;
            }
        }
        return normalizedParameters.stream().anyMatch(TOOL_PARAMETERS::contains);
    }

    /** docs/api.md §2.16 truthiness: booleans as is, numbers ≠ 0, strings unless falsy words, non-empty containers. */
    public static boolean truthy(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return false;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNumber()) {
            return value.decimalValue().signum() != 0;
        }
        if (value.isTextual()) {
            return !FALSY_STRINGS.contains(value.asText().strip().toLowerCase(Locale.ROOT));
        }
        return value.size() > 0;
    }

    /** A number, or a string holding one; null otherwise. */
    static BigDecimal number(JsonNode value) {
        if (value == null) {
            return null;
        }
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if (value.isTextual()) {
            String text = value.asText().strip();
            if (!looksNumeric(text)) {
                return null; // most strings are words: skip the costly NumberFormatException
            }
            try {
                return new BigDecimal(text);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static boolean looksNumeric(String text) {
        if (text.isEmpty() || text.length() > 64) {
            return false;
        }
        boolean digit = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
                return false;
            }
        }
        return digit;
    }

    private static List<String> cleanedStrings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            for (JsonNode item : array) {
                if (item.isTextual() && !item.asText().isBlank()) {
                    out.add(item.asText().strip());
                }
            }
        }
        return out;
    }

    private static TreeSet<String> modalities(JsonNode array) {
        TreeSet<String> out = new TreeSet<>();
        cleanedStrings(array).forEach(m -> out.add(m.toLowerCase(Locale.ROOT)));
        return out;
    }

    private static TreeSet<String> series(String id, String prefix, String name) {
        TreeSet<String> labels = new TreeSet<>();
        if (!id.isEmpty()) {
            labels.add(id);
        }
        int slash = id.indexOf('/');
        if (slash >= 0) {
            addNonEmpty(labels, id.substring(0, slash));
            addNonEmpty(labels, id.substring(slash + 1));
        }
        tokens(id).forEach(labels::add);
        addNonEmpty(labels, prefix);
        labels.addAll(ALIASES.getOrDefault(prefix.toLowerCase(Locale.ROOT), List.of()));
        tokens(name).forEach(labels::add);
        labels.add("Other");
        return labels;
    }

    private static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        for (String token : text.split("[\\s/_-]+")) {
            addNonEmpty(out, token);
        }
        return out;
    }

    private static void addNonEmpty(java.util.Collection<String> out, String value) {
        if (!value.isEmpty()) {
            out.add(value);
        }
    }

    private static ArrayNode strings(java.util.Collection<String> values) {
        ArrayNode array = NODES.arrayNode();
        values.forEach(array::add);
        return array;
    }
}
