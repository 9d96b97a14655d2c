package dev.orchat.conversation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A finalised tool call requested by the model.
 *
 * @param arguments the raw JSON argument text exactly as streamed; it is not parsed here because
 *                  models sometimes emit invalid JSON and the tool layer decides how to report that
 */
public record ToolCall(String id, String type, String name, String arguments) {

    /** Renders the OpenAI chat-completions shape used when replaying the call in the next request. */
    public ObjectNode toJson(ObjectMapper m) {
        ObjectNode node = m.createObjectNode();
        node.put("id", id);
        node.put("type", type);
        ObjectNode function = node.putObject("function");
        function.put("name", name);
        function.put("arguments", arguments);
        return node;
    }
}
