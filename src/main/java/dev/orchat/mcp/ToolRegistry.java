package dev.orchat.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.ZoneId;
import java.util.List;

/**
 * What the tool loop needs from MCP: the OpenAI tool list for a hop and a way to run one call. The MCP feature
 * provides the aggregating implementation; until then the registry is empty and tools are never offered.
 */
public interface ToolRegistry {
    /** OpenAI {@code tools} entries, read at the start of each hop (docs/api.md §2.2). */
    List<ObjectNode> toolDefinitions();

    /** Runs one call; never throws for a tool failure, which is reported as an error result. */
    ToolResult call(String exposedName, JsonNode arguments, ToolContext context) throws InterruptedException;

    /** The timeout of the server behind an exposed name, when it sets its own (docs/api.md §3.2 {@code call_timeout_s}). */
    default java.util.Optional<java.time.Duration> callTimeout(String exposedName) {
        return java.util.Optional.empty();
    }

    /** Values a built-in tool receives from the service, never from the model (docs/api.md §3.2). */
    record ToolContext(String sessionId, String turnId, ZoneId timeZone) {
    }

    record ToolResult(String text, boolean isError) {
    }

}
