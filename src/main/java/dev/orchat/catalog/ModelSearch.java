package dev.orchat.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The {@code search} parameter (docs/api.md §2.16): every whitespace-separated token must be a substring of at least one
 * leaf value. Leaves are joined with newlines once per model; a token holds no whitespace, so a match can never
 * span two leaves.
 */
public final class ModelSearch {
    private final List<String> tokens;

    private ModelSearch(List<String> tokens) {
        this.tokens = tokens;
    }

    public static ModelSearch parse(String search) {
        if (search == null || search.isBlank()) {
            return new ModelSearch(List.of());
        }
        return new ModelSearch(Arrays.stream(search.strip().toLowerCase(Locale.ROOT).split("\\s+")).toList());
    }

    public boolean isEmpty() {
        return tokens.isEmpty();
    }

    public boolean matches(String leafText) {
        for (String token : tokens) {
            if (!leafText.contains(token)) {
                return false;
            }
        }
        return true;
    }

    /** All leaf values of a model, stringified, trimmed and lower-cased, one per line. */
    public static String leafText(JsonNode model) {
        StringBuilder out = new StringBuilder();
        appendLeaves(model, out);
        return out.toString();
    }

    private static void appendLeaves(JsonNode node, StringBuilder out) {
        if (node.isContainerNode()) {
            for (JsonNode child : node) {
                appendLeaves(child, out);
            }
        } else if (!node.isNull()) {
            out.append(node.asText().strip().toLowerCase(Locale.ROOT)).append('\n');
        }
    }
}
