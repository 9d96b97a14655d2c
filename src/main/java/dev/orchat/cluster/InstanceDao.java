package dev.orchat.cluster;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The instance registry's rows (docs/operations.md, "Several instances"). Timestamps are ISO-8601 UTC text. */
public interface InstanceDao {
    @SqlUpdate("INSERT INTO instances (id, host, advertise_url, started_at, heartbeat_at, lease_until)"
            + " VALUES (:id, :host, :url, :now, :now, :until)")
    void register(@Bind("id") String id, @Bind("host") String host, @Bind("url") String url,
                  @Bind("now") String now, @Bind("until") String until);

    @SqlUpdate("UPDATE instances SET heartbeat_at = :now, lease_until = :until,"
            + " advertise_url = COALESCE(:url, advertise_url) WHERE id = :id")
    int renew(@Bind("id") String id, @Bind("url") String url, @Bind("now") String now, @Bind("until") String until);

    @SqlUpdate("DELETE FROM instances WHERE id = :id")
    void remove(@Bind("id") String id);

    /** Rows of instances gone long ago (their turns were repaired when their lease ended). */
    @SqlUpdate("DELETE FROM instances WHERE lease_until < :before")
    int forget(@Bind("before") String before);

    @SqlQuery("SELECT COUNT(*) FROM instances WHERE lease_until > :now")
    int live(@Bind("now") String now);
}
