package dev.orchat.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Lets a list key be written as a YAML list or as one comma-separated string, because environment variables
 * such as {@code AUTH_TOKENS} can only carry the latter. Blank entries are dropped.
 */
public final class CommaSeparatedList extends JsonDeserializer<List<String>> {
    @Override
    public List<String> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonNode node = p.readValueAsTree();
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (node.isArray()) {
            for (JsonNode item : node) {
                addSplit(out, item.asText());
            }
        } else {
            addSplit(out, node.asText());
        }
        return out;
    }

    private static void addSplit(List<String> out, String text) {
        for (String part : text.split(",")) {
            String trimmed = part.strip();
            if (!trimmed.isEmpty()) {
                out.add(trimmed);
            }
        }
    }

    @Override
    public List<String> getNullValue(DeserializationContext ctxt) {
        return new ArrayList<>();
    }
}
