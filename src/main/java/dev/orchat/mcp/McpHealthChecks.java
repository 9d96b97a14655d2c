package dev.orchat.mcp;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The supervisor's {@code mcp-<id>} health checks (docs/operations.md, "Health checks"): one check exactly for each
 * enabled server. A server that is disabled or removed loses its check, one that is added or enabled gets it. Every
 * check named {@code mcp-*} belongs to the supervisor. Called under the supervisor's lock.
 */
final class McpHealthChecks {
    static final String PREFIX = "mcp-";
    private final HealthCheckRegistry registry;
    private final UnaryOperator<HealthCheck> wrap;

    McpHealthChecks(HealthCheckRegistry registry, UnaryOperator<HealthCheck> wrap) {
        this.registry = registry;
        this.wrap = wrap;
    }

    void sync(McpSupervisor supervisor, Collection<McpRuntime> current) {
        Set<String> wanted = new LinkedHashSet<>();
        for (McpRuntime rt : current) {
            if (rt.config().enabled()) {
                wanted.add(PREFIX + rt.id());
            }
        }
        for (String name : registry.getNames()) {
            if (name.startsWith(PREFIX) && !wanted.contains(name)) {
                registry.unregister(name);
            }
        }
        for (String name : wanted) {
            if (!registry.getNames().contains(name)) {
                registry.register(name, wrap.apply(new McpServerHealthCheck(supervisor, name.substring(PREFIX.length()))));
            }
        }
    }
}
