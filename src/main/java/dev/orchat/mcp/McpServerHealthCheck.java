package dev.orchat.mcp;

import com.codahale.metrics.health.HealthCheck;
import java.time.Duration;

/**
 * {@code mcp-<id>} (docs/operations.md, "Admin port"), from supervisor state without I/O: connected → healthy; connecting → healthy for
 * its first 60 s; failed → unhealthy with the last error; needs_auth → unhealthy.
 */
public final class McpServerHealthCheck extends HealthCheck {
    private static final Duration GRACE = Duration.ofSeconds(60);
    private final McpSupervisor supervisor;
    private final String id;

    public McpServerHealthCheck(McpSupervisor supervisor, String id) {
        this.supervisor = supervisor;
        this.id = id;
    }

    @Override
    protected Result check() {
        McpRuntime rt = supervisor.runtime(id);
        if (rt == null) {
            return Result.healthy("removed from the configuration");
        }
        return switch (rt.state()) {
            case "connected" -> Result.healthy("connected, %d tools", rt.server() == null ? 0 : rt.server().tools().size());
            case "disabled" -> Result.healthy("disabled");
            case "connecting" -> Duration.between(rt.stateSince(), supervisor.now()).compareTo(GRACE) < 0
                    ? Result.healthy("connecting") : Result.unhealthy("connecting for more than 60 s");
            case "needs_auth" -> Result.unhealthy("needs_auth");
            default -> Result.unhealthy("failed: %s", rt.lastError());
        };
    }
}
