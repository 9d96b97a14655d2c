package dev.orchat.conversation;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(TurnRow.class)
public interface TurnDao {
    String SELECT = "SELECT id, session_id, seq, status, requested_model, hop_count, cancel_reason, error_status,"
            + " error_detail, last_event_id, started_at, finished_at FROM turns ";

    /** Who runs a turn, and a cancel another instance asked for (docs/operations.md, "Several instances"). */
    record Ownership(String turnId, String sessionId, String ownerInstance, String cancelRequested,
                     String ownerUrl, boolean ownerLive) {
    }

    /** Running turns with no live owner: none recorded, or its lease ended before {@code now}. */
    @SqlQuery(SELECT + "WHERE status = 'running' AND (owner_instance IS NULL OR NOT EXISTS"
            + " (SELECT 1 FROM instances i WHERE i.id = turns.owner_instance AND i.lease_until > :now))")
    List<TurnRow> orphaned(@Bind("now") String now);

    String OWNERSHIP = "SELECT t.id AS turn_id, t.session_id, t.owner_instance, t.cancel_requested,"
            + " i.advertise_url AS owner_url, (i.lease_until IS NOT NULL AND i.lease_until > :now) AS owner_live"
            + " FROM turns t LEFT JOIN instances i ON i.id = t.owner_instance WHERE t.status = 'running' ";

    @SqlQuery(OWNERSHIP + "AND t.id = :turnId")
    @RegisterConstructorMapper(Ownership.class)
    Optional<Ownership> ownership(@Bind("turnId") String turnId, @Bind("now") String now);

    @SqlQuery(OWNERSHIP + "AND t.session_id = :sessionId")
    @RegisterConstructorMapper(Ownership.class)
    Optional<Ownership> runningOf(@Bind("sessionId") String sessionId, @Bind("now") String now);

    @SqlUpdate("UPDATE turns SET cancel_requested = :reason WHERE id = :turnId AND status = 'running'")
    int requestCancel(@Bind("turnId") String turnId, @Bind("reason") String reason);

    @SqlQuery(OWNERSHIP + "AND t.owner_instance = :owner AND t.cancel_requested IS NOT NULL")
    @RegisterConstructorMapper(Ownership.class)
    List<Ownership> cancelsRequested(@Bind("owner") String owner, @Bind("now") String now);

    @SqlQuery(SELECT + "WHERE id = :id")
    Optional<TurnRow> find(@Bind("id") String id);

    /** Turns still under way: {@code running}, or {@code awaiting_approval} (docs/api.md §3.7). */
    @SqlQuery(SELECT + "WHERE status IN ('running', 'awaiting_approval')")
    List<TurnRow> running();

    @SqlQuery("SELECT COUNT(*) FROM turns WHERE session_id = :sessionId AND status IN ('running', 'awaiting_approval')")
    int countRunning(@Bind("sessionId") String sessionId);

    /** Moves a turn under way between {@code running} and {@code awaiting_approval}; an ended turn stays as it is. */
    @SqlUpdate("UPDATE turns SET status = :to WHERE id = :id AND status = :from")
    int moveStatus(@Bind("id") String id, @Bind("from") String from, @Bind("to") String to);

    @SqlUpdate("UPDATE turns SET hop_limit_reached = :reached WHERE id = :id")
    void setHopLimitReached(@Bind("id") String id, @Bind("reached") boolean reached);
}
