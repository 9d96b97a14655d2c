package dev.orchat.mcp;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.mcp.config.McpConfigFile;
import dev.orchat.mcp.config.McpServerConfig;
import dev.orchat.mcp.external.ExternalServerSpec;
import dev.orchat.mcp.external.ExternalToolServer;
import io.dropwizard.lifecycle.Managed;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the configured MCP servers (docs/architecture.md §10): built-ins in process, stdio and streamable HTTP servers through
 * {@link ExternalToolServer}. Start-up is parallel and never blocks the service; failed servers reconnect with
 * jittered exponential backoff; idle ones are pinged; the registry is rebuilt on every change.
 */
public final class McpSupervisor implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(McpSupervisor.class);
    private static final Logger AUDIT = LoggerFactory.getLogger("audit");
    private static final Duration HEALTHY_RESET = Duration.ofSeconds(60);
    private final McpFactory config;
    private final McpConfigFile file;
    private final Map<String, Function<String, ToolServer>> builtins;
    private final ServerToolRegistry registry;
    private final UnaryOperator<String> resolve;
    private final ObjectMapper mapper;
    private final MetricRegistry metrics;
    private final McpHealthChecks healthChecks;
    private final Clock clock;
    private final Duration defaultCallTimeout;
    private final Map<String, McpRuntime> runtimes = new LinkedHashMap<>();
    private ScheduledExecutorService scheduler;
    private volatile String updatedAt;

    @SuppressWarnings("checkstyle:ParameterNumber")
    public McpSupervisor(McpFactory config, McpConfigFile file, Map<String, Function<String, ToolServer>> builtins,
                         ServerToolRegistry registry, UnaryOperator<String> resolve, ObjectMapper mapper,
                         MetricRegistry metrics, HealthCheckRegistry healthChecks, UnaryOperator<HealthCheck> wrapHealthCheck,
                         Clock clock, Duration defaultCallTimeout) {
        this.config = config;
        this.file = file;
        this.builtins = Map.copyOf(builtins);
        this.registry = registry;
        this.resolve = resolve;
        this.mapper = mapper;
        this.metrics = metrics;
        this.healthChecks = new McpHealthChecks(healthChecks, wrapHealthCheck);
        this.clock = clock;
        this.defaultCallTimeout = defaultCallTimeout;
        registry.setPolicyWriter(this::setToolPolicy);
    }

    /**
     * Writes one tool's policy into the server file and applies it (an approval answered with {@code always},
     * docs/api.md §3.7); an unknown server id is ignored.
     */
    public void setToolPolicy(String serverId, String tool, ToolPolicy policy) throws java.io.IOException {
        List<McpServerConfig> next;
        synchronized (this) {
            List<McpServerConfig> current = configs();
            if (current.stream().noneMatch(c -> c.id().equals(serverId))) {
                return;
            }
            next = current.stream().map(c -> c.id().equals(serverId) ? c.withToolPolicy(tool, policy.wire()) : c)
                    .toList();
            AUDIT.info("mcp tool policy changed by an approval: {}", McpConfigDiff.describe(mapper, current, next));
            file.write(next);
            updatedAt = dev.orchat.db.Timestamps.format(clock.instant());
        }
        apply(next);
    }

    @Override
    public void start() {
        scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "mcp-supervisor");
            t.setDaemon(true);
            return t;
        });
        McpConfigFile.Loaded loaded = file.load();
        updatedAt = loaded.updatedAt();
        apply(loaded.servers());
        scheduler.scheduleWithFixedDelay(this::monitor, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        List<McpRuntime> all;
        synchronized (this) {
            all = new ArrayList<>(runtimes.values());
        }
        all.parallelStream().forEach(McpRuntime::stopServer);
    }

    public synchronized List<McpServerConfig> configs() {
        return runtimes.values().stream().map(McpRuntime::config).toList();
    }

    public String updatedAt() {
        return updatedAt;
    }

    public boolean allowRemoteConfiguration() {
        return config.isAllowRemoteConfiguration();
    }

    synchronized List<McpRuntime> runtimes() {
        return List.copyOf(runtimes.values());
    }

    public synchronized McpRuntime runtime(String id) {
        return runtimes.get(id);
    }

    /** Persists a new list, then applies it without disturbing servers whose launch fields did not change. */
    public void replace(List<McpServerConfig> servers) throws java.io.IOException {
        synchronized (this) {
            AUDIT.info("mcp configuration changed: {}", McpConfigDiff.describe(mapper, configs(), servers));
            file.write(servers);
            updatedAt = dev.orchat.db.Timestamps.format(clock.instant());
        }
        apply(servers);
    }

    /** Enablement of every configured server, in file order (the MCP part of a preset snapshot, docs/api.md §2.19). */
    public synchronized List<ServerEnablement> enablement() {
        return runtimes.values().stream()
                .map(rt -> new ServerEnablement(rt.id(), rt.config().enabled(), rt.config().disabledTools())).toList();
    }

    /**
     * Sets {@code enabled} and {@code disabled_tools} of the named servers at once (preset apply, docs/api.md §2.19);
     * unknown ids are ignored, servers not named keep their state. The file is written atomically first: if the
     * write fails, nothing changed and the IOException tells the caller to undo its own part. Only then are the
     * servers told, and only those whose enablement changed start or stop.
     */
    public void setEnablement(List<ServerEnablement> changes) throws java.io.IOException {
        Map<String, ServerEnablement> byId = new LinkedHashMap<>();
        changes.forEach(c -> byId.put(c.id(), c));
        List<McpServerConfig> next;
        synchronized (this) {
            List<McpServerConfig> current = configs();
            next = current.stream().map(c -> byId.containsKey(c.id())
                    ? c.withEnablement(byId.get(c.id()).enabled(), byId.get(c.id()).disabledTools()) : c).toList();
            if (next.equals(current)) {
                return;
            }
            AUDIT.info("mcp enablement changed by preset: {}", McpConfigDiff.describe(mapper, current, next));
            file.write(next);
            updatedAt = dev.orchat.db.Timestamps.format(clock.instant());
        }
        apply(next);
    }

    /** The {@code mcp-refresh} task: re-reads the file, then behaves like {@link #refresh()}. */
    public void reload() {
        McpConfigFile.Loaded loaded = file.load();
        if (loaded.valid()) {
            updatedAt = loaded.updatedAt();
            apply(loaded.servers());
        }
        refresh();
    }

    /** Reconnects failed servers now (backoff reset) and re-lists tools of connected ones (docs/api.md §2.10 refresh). */
    public void refresh() {
        for (McpRuntime rt : runtimes()) {
            if (rt.server() instanceof AuthGatedServer gated && rt.config().enabled()) {
                applyAuth(rt, gated);
            } else if ("failed".equals(rt.state()) || "needs_auth".equals(rt.state())) {
                rt.resetBackoff();
                submitConnect(rt, Duration.ZERO, false);
            } else if (rt.server() instanceof ExternalToolServer external && rt.isConnected()) {
                try {
                    external.refreshTools(config.getStartupTimeout().toJavaDuration());
                } catch (java.io.IOException e) {
                    LOG.warn("[{}] re-listing tools failed: {}", rt.id(), e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        rebuildRegistry();
    }

    synchronized void apply(List<McpServerConfig> servers) {
        Map<String, McpRuntime> next = new LinkedHashMap<>();
        Map<String, McpRuntime> old = new HashMap<>(runtimes);
        for (McpServerConfig server : servers) {
            McpRuntime existing = old.remove(server.id());
            if (existing != null && McpConfigDiff.sameLaunch(existing.config(), server) && existing.config().enabled() == server.enabled()) {
                existing.updateConfig(server);
                next.put(server.id(), existing);
                continue;
            }
            if (existing != null) {
                existing.stopServer();
            }
            McpRuntime rt = new McpRuntime(server, clock, metrics);
            next.put(server.id(), rt);
            startRuntime(rt);
        }
        old.values().forEach(McpRuntime::stopServer);
        runtimes.clear();
        runtimes.putAll(next);
        healthChecks.sync(this, next.values());
        rebuildRegistry();
    }

    private void startRuntime(McpRuntime rt) {
        McpServerConfig c = rt.config();
        if (!c.enabled()) {
            rt.disabled();
            return;
        }
        switch (c.transport()) {
            case "builtin" -> {
                Function<String, ToolServer> factory = builtins.get(c.builtin());
                if (factory == null) {
                    rt.failed("Built-in server '" + c.builtin() + "' is not available in this version", null);
                } else {
                    ToolServer server = factory.apply(c.id());
                    if (server instanceof AuthGatedServer gated) {
                        gated.onAuthChange(() -> authChanged(rt, gated));
                        applyAuth(rt, gated);
                    } else {
                        rt.connected(server);
                    }
                }
            }
            case "stdio", "streamable_http", "sse" -> {
                rt.connecting(new ExternalToolServer(spec(c), config.getInheritEnv(), mapper));
                submitConnect(rt, Duration.ZERO, false);
            }
            default -> rt.failed("Transport '" + c.transport() + "' is not supported yet", null);
        }
    }

    /** A credential-gated built-in is connected exactly while it has usable credentials (docs/operations.md, "MCP servers"). */
    private static void applyAuth(McpRuntime rt, AuthGatedServer gated) {
        if (gated.authorized()) {
            rt.connected(gated);
        } else {
            rt.needsAuth(gated.authProblem(), gated);
        }
    }

    private void authChanged(McpRuntime rt, AuthGatedServer gated) {
        synchronized (this) {
            if (runtimes.get(rt.id()) != rt || "disabled".equals(rt.state())) {
                return;
            }
            applyAuth(rt, gated);
        }
        LOG.info("[{}] credentials changed: {}", rt.id(), rt.state());
        rebuildRegistry();
    }

    private ExternalServerSpec spec(McpServerConfig c) {
        Duration timeout = c.callTimeoutSeconds() == null ? defaultCallTimeout : Duration.ofSeconds(c.callTimeoutSeconds());
        Map<String, String> env = resolved(c.env());
        if (c.transport().equals("stdio")) {
            return ExternalServerSpec.stdio(c.id(), c.command(), c.args(), env,
                    c.cwd() == null ? null : Path.of(c.cwd()), timeout);
        }
        if (c.transport().equals("sse")) {
            return ExternalServerSpec.sse(c.id(), URI.create(c.url()), resolved(c.headers()), timeout);
        }
        return ExternalServerSpec.http(c.id(), URI.create(c.url()), resolved(c.headers()), timeout);
    }

    /** {@code ${NAME}} references in env/headers resolve at launch and are never written back (docs/configuration.md §4). */
    private Map<String, String> resolved(Map<String, String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, resolve.apply(v)));
        return out;
    }

    private void submitConnect(McpRuntime rt, Duration delay, boolean automaticRestart) {
        if (!(rt.server() instanceof ExternalToolServer external) || scheduler == null || scheduler.isShutdown()) {
            return;
        }
        rt.schedule(scheduler.schedule(() -> {
            if (automaticRestart) {
                rt.countRestart();
            }
            rt.markConnecting();
            try {
                external.connect(config.getStartupTimeout().toJavaDuration());
                // list_changed often comes in bursts: rebuild once, 500 ms after the last one (docs/architecture.md §10).
                external.setToolsChangedListener(() -> rt.debounce(scheduler.schedule(this::rebuildRegistry, 500,
                        TimeUnit.MILLISECONDS)));
                rt.connected(external);
                LOG.info("[{}] connected with {} tools", rt.id(), external.tools().size());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                String reason = external.lastError() != null ? external.lastError() : e.getMessage();
                if (external.authRejected()) {
                    // Credentials will not fix themselves: wait for a configuration change or a refresh (§6.5).
                    rt.needsAuth(reason, external);
                } else {
                    rt.failed(reason, external);
                    scheduleReconnect(rt);
                }
            }
            rebuildRegistry();
        }, delay.toMillis(), TimeUnit.MILLISECONDS));
    }

    private void scheduleReconnect(McpRuntime rt) {
        long initial = config.getBackoff().getInitial().toMilliseconds();
        long max = config.getBackoff().getMax().toMilliseconds();
        long base = Math.min(max, initial << Math.min(rt.nextAttempt(), 30));
        long jittered = Math.round(base * (0.8 + ThreadLocalRandom.current().nextDouble() * 0.4));
        LOG.info("[{}] reconnecting in {} ms", rt.id(), jittered);
        submitConnect(rt, Duration.ofMillis(jittered), true);
    }

    /** Notices exited processes and silent servers, which the transports report only as state. */
    private void monitor() {
        try {
            for (McpRuntime rt : runtimes()) {
                if (!(rt.server() instanceof ExternalToolServer external) || !rt.isConnected()) {
                    continue;
                }
                if (!external.isConnected()) {
                    lost(rt, external, external.lastError() == null ? "connection lost" : external.lastError());
                } else if (rt.idleFor().compareTo(config.getPingInterval().toJavaDuration()) >= 0) {
                    rt.touch();
                    if (!external.ping(Duration.ofSeconds(10))) {
                        external.markFailed("ping timed out");
                        lost(rt, external, external.lastError());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("MCP monitor failed", e);
        }
    }

    private void lost(McpRuntime rt, ExternalToolServer external, String reason) {
        if (rt.connectedFor().compareTo(HEALTHY_RESET) >= 0) {
            rt.resetBackoff();
        }
        rt.failed(reason, external);
        LOG.warn("[{}] failed: {}", rt.id(), reason);
        rebuildRegistry();
        scheduleReconnect(rt);
    }

    public void rebuildRegistry() {
        List<ServerToolRegistry.Member> members = new ArrayList<>();
        for (McpRuntime rt : runtimes()) {
            if (rt.config().enabled() && rt.isConnected() && rt.server() != null) {
                members.add(new ServerToolRegistry.Member(rt.server(), rt.config().toolPrefix(),
                        java.util.Set.copyOf(rt.config().disabledTools()), rt.config()));
            }
        }
        registry.rebuild(members);
    }

    public ServerToolRegistry registry() {
        return registry;
    }

    Instant now() {
        return clock.instant();
    }
}
