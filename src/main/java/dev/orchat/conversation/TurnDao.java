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

    @SqlUpdate("INSERT INTO turns (id, session_id, seq, status, requested_model, client_assistant_message_id,"
            + " client_parent_message_id, started_at)"
            + " VALUES (:id, :sessionId, (SELECT COALESCE(MAX(seq), 0) + 1 FROM turns WHERE session_id = :sessionId),"
            + " 'running', :model, :clientAssistantId, :clientParentId, :now)")
    void insert(@Bind("id") String id, @Bind("sessionId") String sessionId, @Bind("model") String model,
                @Bind("clientAssistantId") String clientAssistantId, @Bind("clientParentId") String clientParentId,
                @Bind("now") String now);

    @SqlQuery(SELECT + "WHERE id = :id")
    Optional<TurnRow> find(@Bind("id") String id);

    /** Turns still under way: {@code running}, or {@code awaiting_approval} (docs/api.md §3.7). */
    @SqlQuery(SELECT + "WHERE status IN ('running', 'awaiting_approval')")
    List<TurnRow> running();

    @SqlQuery("SELECT COUNT(*) FROM turns WHERE session_id = :sessionId AND status IN ('running', 'awaiting_approval')")
    int countRunning(@Bind("sessionId") String sessionId);

    @SqlUpdate("UPDATE turns SET hop_count = :hop, prompt_tokens = prompt_tokens + :prompt,"
            + " completion_tokens = completion_tokens + :completion, reasoning_tokens = reasoning_tokens + :reasoning,"
            + " cost = CASE WHEN :cost IS NULL THEN cost ELSE COALESCE(cost, 0) + :cost END WHERE id = :id")
    void addHop(@Bind("id") String id, @Bind("hop") int hop, @Bind("prompt") long prompt,
                @Bind("completion") long completion, @Bind("reasoning") long reasoning, @Bind("cost") Double cost);

    /** Moves a turn under way between {@code running} and {@code awaiting_approval}; an ended turn stays as it is. */
    @SqlUpdate("UPDATE turns SET status = :to WHERE id = :id AND status = :from")
    int moveStatus(@Bind("id") String id, @Bind("from") String from, @Bind("to") String to);

    @SqlUpdate("UPDATE turns SET hop_limit_reached = :reached WHERE id = :id")
    void setHopLimitReached(@Bind("id") String id, @Bind("reached") boolean reached);

    @SqlUpdate("UPDATE turns SET status = :status, cancel_reason = :cancelReason, error_status = :errorStatus,"
            + " error_detail = :errorDetail, last_event_id = :lastEventId, finished_at = :now"
            + " WHERE id = :id AND status IN ('running', 'awaiting_approval')")
    int finish(@Bind("id") String id, @Bind("status") String status, @Bind("cancelReason") String cancelReason,
               @Bind("errorStatus") Integer errorStatus, @Bind("errorDetail") String errorDetail,
               @Bind("lastEventId") int lastEventId, @Bind("now") String now);
}
