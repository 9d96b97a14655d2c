package dev.orchat.mcp;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.orchat.config.CommaSeparatedList;
import io.dropwizard.util.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * MCP servers (docs/configuration.md §2 {@code mcp.*}).
 *
 * <table>
 * <tr><td>configFile</td><td>data/mcp_servers.json</td><td>server list (§6.2)</td></tr>
 * <tr><td>allowRemoteConfiguration</td><td>false</td><td>allow launch-field changes through the API (§6.3)</td></tr>
 * <tr><td>inheritEnv</td><td>PATH, HOME, USER, …</td><td>variables a stdio child may inherit</td></tr>
 * <tr><td>startupTimeout</td><td>30s</td><td>spawn + initialize + first tools/list</td></tr>
 * <tr><td>backoff.initial / backoff.max</td><td>1s / 5m</td><td>reconnect backoff</td></tr>
 * <tr><td>pingInterval</td><td>60s</td><td>liveness ping of idle connected servers</td></tr>
 * <tr><td>approvalTimeout</td><td>10m</td><td>wait for an approval or an elicitation answer (docs/api.md §3.7)</td></tr>
 * </table>
 */
public class McpFactory {
    @JsonProperty @NotBlank
    private String configFile = "data/mcp_servers.json";

    @JsonProperty
    private boolean allowRemoteConfiguration = false;

    @JsonProperty
    @JsonDeserialize(using = CommaSeparatedList.class)
    private List<String> inheritEnv = new ArrayList<>(List.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "LC_CTYPE", "TZ",
            "TMPDIR", "TEMP", "TMP", "SYSTEMROOT", "COMSPEC", "PATHEXT", "APPDATA", "LOCALAPPDATA"));

    @JsonProperty @NotNull
    private Duration startupTimeout = Duration.seconds(30);

    @JsonProperty @Valid @NotNull
    private Backoff backoff = new Backoff();

    @JsonProperty @NotNull
    private Duration pingInterval = Duration.seconds(60);

    /** How long a tool call waits for an approval or an elicitation answer (docs/configuration.md). */
    @JsonProperty @NotNull
    private Duration approvalTimeout = Duration.minutes(10);

    /**
     * Builds the supervisor over the built-ins and the server file, registers the {@code /api/mcp} routes and the
     * {@code mcp-refresh} task (docs/api.md, "MCP servers").
     *
     * @param resolve replaces {@code ${VAR}} references in server definitions
     * @param wrapHealthCheck applied to each {@code mcp-<id>} check (they never fail the whole service)
     */
    public McpSupervisor wire(io.dropwizard.core.setup.Environment env,
                              java.util.Map<String, java.util.function.Function<String, ToolServer>> builtins,
                              java.util.function.UnaryOperator<String> resolve,
                              java.util.function.UnaryOperator<com.codahale.metrics.health.HealthCheck> wrapHealthCheck,
                              java.time.Clock clock, java.time.Duration defaultCallTimeout) {
        com.fasterxml.jackson.databind.ObjectMapper mapper = env.getObjectMapper();
        ServerToolRegistry registry = new ServerToolRegistry(List.of(), mapper, env.metrics());
        registry.setApprovalTimeout(approvalTimeout.toJavaDuration());
        McpSupervisor supervisor = new McpSupervisor(this, new dev.orchat.mcp.config.McpConfigFile(configPath(),
                mapper, clock), builtins, registry, resolve, mapper, env.metrics(), env.healthChecks(),
                wrapHealthCheck, clock, defaultCallTimeout);
        env.lifecycle().manage(supervisor);
        env.jersey().register(new McpResource(supervisor, mapper));
        env.admin().addTask(new McpRefreshTask(supervisor));
        return supervisor;
    }

    public Path configPath() { return Path.of(configFile).toAbsolutePath().normalize(); }
    public boolean isAllowRemoteConfiguration() { return allowRemoteConfiguration; }
    public List<String> getInheritEnv() { return List.copyOf(inheritEnv); }
    public Duration getStartupTimeout() { return startupTimeout; }
    public Backoff getBackoff() { return backoff; }
    public Duration getPingInterval() { return pingInterval; }
    public Duration getApprovalTimeout() { return approvalTimeout; }

    /** Reconnect backoff: doubling from {@code initial} up to {@code max}, ±20 % jitter. */
    public static class Backoff {
        @JsonProperty @NotNull
        private Duration initial = Duration.seconds(1);

        @JsonProperty @NotNull
        private Duration max = Duration.minutes(5);

        public Duration getInitial() { return initial; }
        public Duration getMax() { return max; }
    }
}
