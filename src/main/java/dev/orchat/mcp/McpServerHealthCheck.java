package dev.orchat.mcp;

import com.codahale.metrics.health.HealthCheck;

/**
 * {@code mcp-<id>} (SPEC §12.1), from server state without I/O. Built-in servers live in the process, so they are
 * connected whenever the service runs; external servers will report their supervisor state here.
 */
public final class McpServerHealthCheck extends HealthCheck {
    private final ToolServer server;

    public McpServerHealthCheck(ToolServer server) {
        this.server = server;
    }

    public static String name(ToolServer server) {
        return "mcp-" + server.id();
    }

    @Override
    protected Result check() {
        return Result.healthy("connected, %d tools", server.tools().size());
    }
}
