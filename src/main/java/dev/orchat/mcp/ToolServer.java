package dev.orchat.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A source of tools as the registry sees it (docs/architecture.md §10): built-ins implement it directly; external MCP servers
 * will be adapted to it by the supervisor. Tool names here are the server's own (original) names.
 */
public interface ToolServer {
    /** Stable server id, e.g. {@code local-calculator}. */
    String id();

    /** Current tool list; a built-in's list is fixed, an external server's follows {@code tools/list}. */
    List<ToolSpec> tools();

    /**
     * Runs one tool. Expected failures (bad input, not found) are error results with a one-sentence text, never
     * exceptions; an exception means the server itself failed.
     */
    ToolRegistry.ToolResult call(String tool, ObjectNode arguments, ToolRegistry.ToolContext context)
            throws InterruptedException;

    /** The server's own per-call timeout ({@code call_timeout_s}), when it enforces one itself. */
    default java.util.Optional<java.time.Duration> callTimeout() {
        return java.util.Optional.empty();
    }

    /**
     * One tool: its original name, description and JSON Schema for the arguments (may be null), and whether it only
     * reads: an external server's MCP {@code readOnlyHint}, a built-in's own nature; null when unknown. It decides
     * the default approval policy (docs/configuration.md §4.1, {@code tool_policies}).
     */
    record ToolSpec(String name, String description, ObjectNode inputSchema, Boolean readOnly) {
        public ToolSpec(String name, String description, ObjectNode inputSchema) {
            this(name, description, inputSchema, null);
        }

        public ToolSpec withReadOnly(Boolean value) {
            return new ToolSpec(name, description, inputSchema, value);
        }
    }
}
