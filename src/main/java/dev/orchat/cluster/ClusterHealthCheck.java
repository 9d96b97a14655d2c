package dev.orchat.cluster;

import com.codahale.metrics.health.HealthCheck;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code cluster} on the admin port: the database's role (SQLite, one instance; PostgreSQL, shared), how many
 * instances hold a lease, how cancels reach their owner (LISTEN/NOTIFY or polling, and why), and whether this
 * instance's own lease is being renewed. Unhealthy when it is not: other instances will soon repair its turns.
 */
final class ClusterHealthCheck extends HealthCheck {
    private final Cluster cluster;

    ClusterHealthCheck(Cluster cluster) {
        this.cluster = cluster;
    }

    @Override
    protected Result check() {
        InstanceRegistry registry = cluster.registry();
        Instant renewed = registry.lastRenewal();
        Duration since = Duration.between(renewed, cluster.clock().instant());
        ResultBuilder result = Result.builder()
                .withDetail("instance", cluster.instanceId())
                .withDetail("database", cluster.postgres() ? "postgresql (shared)" : "sqlite (one instance)")
                .withDetail("notifications", cluster.notificationState())
                .withDetail("last_heartbeat_ms_ago", since.toMillis());
        if (since.compareTo(cluster.config().lease()) > 0) {
            return result.unhealthy().withMessage("This instance's lease was not renewed for " + since.toSeconds()
                    + " s; other instances may repair its turns").build();
        }
        int live;
        try {
            live = registry.liveInstances();
        } catch (RuntimeException e) {
            return result.unhealthy().withMessage("The instance registry cannot be read").build();
        }
        return result.healthy().withDetail("live_instances", live)
                .withMessage(live + " live instance(s); notifications: " + cluster.notificationState()).build();
    }
}
