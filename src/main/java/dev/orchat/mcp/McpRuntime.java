package dev.orchat.mcp;

import com.codahale.metrics.MetricRegistry;
import dev.orchat.mcp.config.McpServerConfig;
import dev.orchat.mcp.external.ExternalToolServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

/** The live state of one configured server (docs/api.md §2.10 ServerStatus fields, §6.5 states). */
public final class McpRuntime {
    private final Clock clock;
    private final MetricRegistry metrics;
    private volatile McpServerConfig config;
    private volatile ToolServer server;
    private volatile String state = "connecting";
    private volatile String lastError;
    private volatile Instant startedAt;
    private volatile Instant stateSince;
    private volatile Instant lastActivity;
    private volatile int restarts;
    private int attempt;
    private ScheduledFuture<?> pending;
    private ScheduledFuture<?> rebuild;

    McpRuntime(McpServerConfig config, Clock clock, MetricRegistry metrics) {
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        this.stateSince = clock.instant();
        this.lastActivity = clock.instant();
    }

    public String id() { return config.id(); }
    public McpServerConfig config() { return config; }
    public ToolServer server() { return server; }
    public String state() { return state; }
    public String lastError() { return lastError; }
    public Instant startedAt() { return startedAt; }
    public Instant stateSince() { return stateSince; }
    public int restarts() { return restarts; }

    public boolean isConnected() {
        return "connected".equals(state);
    }

    void updateConfig(McpServerConfig next) {
        this.config = next;
    }

    void disabled() {
        setState("disabled", null);
        startedAt = null;
    }

    void connecting(ToolServer external) {
        this.server = external;
        setState("connecting", null);
    }

    void markConnecting() {
        setState("connecting", lastError);
    }

    void connected(ToolServer connected) {
        this.server = connected;
        startedAt = clock.instant();
        lastActivity = startedAt;
        setState("connected", null);
    }

    void failed(String reason, ToolServer keep) {
        if (keep != null) {
            this.server = keep;
        }
        startedAt = null;
        setState("failed", reason);
    }

    void needsAuth(String reason, ToolServer keep) {
        if (keep != null) {
            this.server = keep;
        }
        startedAt = null;
        setState("needs_auth", reason);
    }

    private synchronized void setState(String next, String error) {
        state = next;
        lastError = error;
        stateSince = clock.instant();
    }

    synchronized int nextAttempt() {
        return attempt++;
    }

    synchronized void resetBackoff() {
        attempt = 0;
        if (pending != null) {
            pending.cancel(false);
        }
    }

    synchronized void schedule(ScheduledFuture<?> next) {
        if (pending != null && !pending.isDone()) {
            pending.cancel(false);
        }
        pending = next;
    }

    synchronized void debounce(ScheduledFuture<?> next) {
        if (rebuild != null) {
            rebuild.cancel(false);
        }
        rebuild = next;
    }

    void countRestart() {
        restarts++;
        metrics.counter("mcp." + id() + ".restarts").inc();
    }

    Duration idleFor() {
        return Duration.between(lastActivity, clock.instant());
    }

    void touch() {
        lastActivity = clock.instant();
    }

    Duration connectedFor() {
        Instant since = startedAt;
        return since == null ? Duration.ZERO : Duration.between(since, clock.instant());
    }

    /** Stops the server's process or connection; built-ins have nothing to stop. */
    void stopServer() {
        synchronized (this) {
            if (pending != null) {
                pending.cancel(true);
            }
        }
        if (server instanceof ExternalToolServer external) {
            external.close();
        } else if (server instanceof AuthGatedServer gated) {
            gated.close();
        }
        setState("disabled", null);
    }
}
