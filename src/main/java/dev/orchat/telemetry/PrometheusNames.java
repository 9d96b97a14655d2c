package dev.orchat.telemetry;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.instrumentation.dropwizard5.labels.CustomLabelMapper;
import io.prometheus.metrics.instrumentation.dropwizard5.labels.MapperConfig;
import java.util.List;
import java.util.Map;

/**
 * Prometheus names for the Dropwizard metrics (docs/operations.md, "Prometheus"): the bridge already turns dots into
 * underscores, meters and counters into {@code _total} counters and timer values into seconds; this adds the
 * {@code _seconds} suffix to every timer, and turns the per-server MCP metrics ({@code mcp.<id>.calls}) into one
 * metric with a {@code server} label, so a dashboard needs no query per server.
 */
final class PrometheusNames extends CustomLabelMapper {
    private final MetricRegistry registry;

    PrometheusNames(MetricRegistry registry) {
        super(List.of(
                new MapperConfig("mcp.*.calls", "mcp_server_calls", Map.of("server", "${0}")),
                // For a meter the bridge asks for the name with "_total" already appended, for the labels without.
                new MapperConfig("mcp.*.errors_total", "mcp_server_errors", Map.of("server", "${0}")),
                new MapperConfig("mcp.*.errors", "mcp_server_errors", Map.of("server", "${0}")),
                new MapperConfig("mcp.*.restarts", "mcp_server_restarts", Map.of("server", "${0}"))));
        this.registry = registry;
    }

    @Override
    public String getName(String dropwizardName) {
        String name = super.getName(dropwizardName);
        boolean timer = registry.getTimers().containsKey(dropwizardName);
        return timer && !name.endsWith("_seconds") ? name + "_seconds" : name;
    }
}
