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

    /** How a call of this tool is approved (docs/api.md §3.7); unknown names run (and fail as unknown). */
    default Approval approval(String exposedName) {
        return new Approval(null, exposedName, ToolPolicy.ALLOW, null);
    }

    /**
     * Writes a tool's policy into the server file (an approval answered with {@code always}); a no-op when the name
     * no longer leads to a configured server.
     */
    default void rememberPolicy(String exposedName, ToolPolicy policy) throws java.io.IOException {
    }

    /** How long a call waits for an approval or an elicitation answer ({@code mcp.approvalTimeout}). */
    default java.time.Duration approvalTimeout() {
        return java.time.Duration.ofMinutes(10);
    }

    /** A tool's server, its own name there, and its effective policy with the policy's origin. */
    record Approval(String serverId, String tool, ToolPolicy policy, ToolPolicy.Source source) {
    }

    /**
     * Values a tool receives from the service, never from the model (docs/api.md §3.2); {@code elicitor} takes an
     * external server's requests for input during the call.
     */
    record ToolContext(String sessionId, String turnId, ZoneId timeZone, Elicitor elicitor) {
        public ToolContext(String sessionId, String turnId, ZoneId timeZone) {
            this(sessionId, turnId, timeZone, Elicitor.NONE);
        }

        public ToolContext {
            elicitor = elicitor == null ? Elicitor.NONE : elicitor;
        }
    }

    record ToolResult(String text, boolean isError) {
    }

}
