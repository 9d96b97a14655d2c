package dev.orchat.ops;

import com.codahale.metrics.health.HealthCheck;
import org.jdbi.v3.core.Jdbi;

/** Healthy when a trivial query succeeds and every changeset of the bundled changelog is applied. */
public final class DatabaseHealthCheck extends HealthCheck {
    private final Jdbi jdbi;
    private final int expectedChangesets;

    public DatabaseHealthCheck(Jdbi jdbi, int expectedChangesets) {
        this.jdbi = jdbi;
        this.expectedChangesets = expectedChangesets;
    }

    @Override
    protected Result check() {
        int applied = jdbi.withHandle(h -> {
            h.createQuery("SELECT 1").mapTo(Integer.class).one();
            return h.createQuery("SELECT COUNT(*) FROM databasechangelog").mapTo(Integer.class).one();
        });
        return applied >= expectedChangesets ? Result.healthy("%d changesets applied", applied)
                : Result.unhealthy("%d of %d changesets applied; run db migrate", applied, expectedChangesets);
    }
}
