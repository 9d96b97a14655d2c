package dev.orchat.openrouter;

import com.codahale.metrics.health.HealthCheck;
import java.time.Clock;

/**
 * A non-billable, authenticated upstream call ({@code /key} or {@code /models}), cached for 60 s so the check is
 * cheap to poll (docs/operations.md, "Admin port").
 */
public final class OpenRouterHealthCheck extends HealthCheck {
    private static final long CACHE_MILLIS = 60_000;
    private final OpenRouterClient client;
    private final Clock clock;
    private volatile Result cached;
    private volatile long cachedAt;

    public OpenRouterHealthCheck(OpenRouterClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    @Override
    protected synchronized Result check() {
        long now = clock.millis();
        if (cached != null && now - cachedAt < CACHE_MILLIS) {
            return cached;
        }
        cached = probe();
        cachedAt = now;
        return cached;
    }

    private Result probe() {
        if (!client.isConfigured()) {
            return Result.unhealthy("No API key configured");
        }
        try {
            client.getJson(client.flavor() == Flavor.OPENROUTER ? "/key" : "/models");
            return Result.healthy("Upstream reachable");
        } catch (UpstreamException e) {
            if (e.status() == 401 || e.status() == 403) {
                return Result.unhealthy("API key rejected");
            }
            return Result.unhealthy("Upstream answered %d: %s", e.status(), e.detail());
        }
    }
}
