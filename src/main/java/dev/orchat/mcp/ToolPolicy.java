package dev.orchat.mcp;

import dev.orchat.mcp.config.McpServerConfig;
import java.util.List;
import java.util.Locale;

/**
 * Whether a tool call runs at once, waits for the person's approval, or is refused (docs/configuration.md §4.1,
 * {@code default_policy} and {@code tool_policies}; docs/api.md §3.7). The server file wins over every default;
 * without it, a built-in's writes and any external tool not marked {@code readOnlyHint: true} ask, others run.
 */
public enum ToolPolicy {
    ALLOW, ASK, DENY;

    public static final List<String> NAMES = dev.orchat.mcp.config.McpConfigFile.POLICIES;

    /** Where an effective policy came from, as {@code GET /api/mcp/servers} shows it. */
    public enum Source {
        TOOL_POLICIES("tool_policies"), DEFAULT_POLICY("default_policy"), ANNOTATION("annotation"),
        BUILTIN("builtin");

        private final String wire;

        Source(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /** A tool's policy and its origin. */
    public record Effective(ToolPolicy policy, Source source) {
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The policy named {@code value}, or null when it names none. */
    public static ToolPolicy parse(String value) {
        return value != null && NAMES.contains(value) ? valueOf(value.toUpperCase(Locale.ROOT)) : null;
    }

    /** The effective policy of one tool of {@code server}. */
    public static Effective of(McpServerConfig server, ToolServer.ToolSpec tool) {
        ToolPolicy own = parse(server.toolPolicies().get(tool.name()));
        if (own != null) {
            return new Effective(own, Source.TOOL_POLICIES);
        }
        ToolPolicy byServer = parse(server.defaultPolicy());
        if (byServer != null) {
            return new Effective(byServer, Source.DEFAULT_POLICY);
        }
        if ("builtin".equals(server.transport())) {
            return new Effective(Boolean.FALSE.equals(tool.readOnly()) ? ASK : ALLOW, Source.BUILTIN);
        }
        return new Effective(Boolean.TRUE.equals(tool.readOnly()) ? ALLOW : ASK, Source.ANNOTATION);
    }
}
