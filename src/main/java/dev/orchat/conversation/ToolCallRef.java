package dev.orchat.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** An assistant tool call as stored, reduced to what invariant I2 needs: its id and tool name. */
public record ToolCallRef(String id, String name) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static List<ToolCallRef> parse(String toolCallsJson) {
        List<ToolCallRef> out = new ArrayList<>();
        if (toolCallsJson == null || toolCallsJson.isBlank()) {
            return out;
        }
        try {
            JsonNode calls = JSON.readTree(toolCallsJson);
            if (calls != null && calls.isArray()) {
                for (JsonNode call : calls) {
                    String id = call.path("id").asText("");
                    if (!id.isEmpty()) {
                        out.add(new ToolCallRef(id, call.path("function").path("name").asText(null)));
                    }
                }
            }
        } catch (IOException e) {
            // Damaged JSON cannot be replayed as tool calls; the wire builder skips it too.
        }
        return out;
    }

    /** Calls of the given messages (one turn, position order) that have no tool result among them. */
    public static List<ToolCallRef> unanswered(List<MessageRow> turnMessages) {
        Set<String> answered = new HashSet<>();
        for (MessageRow row : turnMessages) {
            if ("tool".equals(row.role()) && row.toolCallId() != null) {
                answered.add(row.toolCallId());
            }
        }
        List<ToolCallRef> missing = new ArrayList<>();
        for (MessageRow row : turnMessages) {
            if ("assistant".equals(row.role()) && row.hasToolCalls()) {
                for (ToolCallRef call : parse(row.toolCalls())) {
                    if (answered.add(call.id())) {
                        missing.add(call);
                    }
                }
            }
        }
        return missing;
    }
}
