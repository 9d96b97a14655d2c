package dev.orchat.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotNull;

/**
 * {@code cluster:} in config.yml (docs/configuration.md, "Several instances"). Only PostgreSQL can be shared by
 * several instances; on SQLite the same registry runs with one instance and no peers.
 */
public class ClusterFactory {
    /** How long an instance counts as alive after its last heartbeat; its running turns are repaired after it. */
    @JsonProperty @NotNull
    private Duration lease = Duration.seconds(10);

    /** How often an instance renews its lease (and runs the reaper for other instances' turns). */
    @JsonProperty @NotNull
    private Duration heartbeat = Duration.seconds(3);

    /**
     * How the other instances reach this one's application port to follow a turn it runs; default
     * {@code http://127.0.0.1:<port>}, right only when all instances share one host.
     */
    @JsonProperty
    private String advertiseUrl;

    /** {@code auto}: LISTEN/NOTIFY, checked at start; {@code polling}: the shared tables only. */
    @JsonProperty @NotNull
    private String notifications = "auto";

    /** How often cancels asked for elsewhere are looked up when notifications are not delivered. */
    @JsonProperty @NotNull
    private Duration pollInterval = Duration.milliseconds(500);

    /** This instance's place among the others; {@link Cluster#join} registers it once the store exists. */
    public Cluster wire(io.dropwizard.core.setup.Environment env, dev.orchat.db.DatabaseFactory database,
                        dev.orchat.db.Database db, java.time.Clock clock) {
        return Cluster.create(this, env, database, db, clock);
    }

    public java.time.Duration lease() {
        return lease.toJavaDuration();
    }

    public java.time.Duration heartbeat() {
        return heartbeat.toJavaDuration();
    }

    public String advertiseUrl() {
        return advertiseUrl == null || advertiseUrl.isBlank() ? null : advertiseUrl.strip().replaceAll("/+$", "");
    }

    public boolean notificationsWanted() {
        return !"polling".equalsIgnoreCase(notifications);
    }

    public java.time.Duration pollInterval() {
        return pollInterval.toJavaDuration();
    }
}
