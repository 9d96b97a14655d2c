package dev.orchat.mcp.external;

import dev.orchat.mcp.ToolRegistry.ToolResult;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** docs/architecture.md §10: how an MCP {@code tools/call} result becomes the text the model sees. */
final class ToolResults {
    private ToolResults() {
    }

    static ToolResult format(McpSchema.CallToolResult result, McpJsonMapper json) {
        if (result == null) {
            return new ToolResult("Tool error: empty response", true);
        }
        boolean isError = Boolean.TRUE.equals(result.isError());
        List<McpSchema.Content> content = result.content() == null ? List.of() : result.content();
        if (content.isEmpty() && result.structuredContent() != null) {
            return new ToolResult(toJson(result.structuredContent(), json), isError);
        }
        List<String> parts = new ArrayList<>(content.size());
        for (McpSchema.Content item : content) {
            // Images, audio and resources go through as their MCP JSON so nothing the server sent is lost.
            parts.add(item instanceof McpSchema.TextContent text ? text.text() : toJson(item, json));
        }
        return new ToolResult(String.join("\n", parts), isError);
    }

    private static String toJson(Object value, McpJsonMapper json) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            return String.valueOf(value);
        }
    }
}
