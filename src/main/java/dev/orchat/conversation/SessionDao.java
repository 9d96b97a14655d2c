package dev.orchat.conversation;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(SessionRow.class)
public interface SessionDao {
    String SELECT = "SELECT s.id, s.title, s.title_source, s.created_at, s.updated_at, s.last_model, s.message_count,"
            + " s.total_cost, s.total_prompt_tokens, s.total_completion_tokens,"
            + " (SELECT t.id FROM turns t WHERE t.session_id = s.id AND t.status IN ('running', 'awaiting_approval')) AS active_turn_id"
            + " FROM sessions s ";

    @SqlQuery(SELECT + "WHERE s.id = :id")
    Optional<SessionRow> find(@Bind("id") String id);

    @SqlQuery("SELECT COUNT(*) FROM sessions WHERE id = :id")
    int count(@Bind("id") String id);

    @SqlUpdate("INSERT INTO sessions (id, title, title_source, created_at, updated_at) VALUES (:id, :title, 'auto', :now, :now)")
    void insert(@Bind("id") String id, @Bind("title") String title, @Bind("now") String now);

    @SqlUpdate("UPDATE sessions SET title = :title, title_source = :source, updated_at = :now WHERE id = :id")
    int setTitle(@Bind("id") String id, @Bind("title") String title, @Bind("source") String source, @Bind("now") String now);

    /** A model title never overrides a user rename made while it was being generated (docs/configuration.md, chat.titles). */
    @SqlUpdate("UPDATE sessions SET title = :title, title_source = 'model' WHERE id = :id AND title_source = 'auto'")
    int setModelTitle(@Bind("id") String id, @Bind("title") String title);

    @SqlUpdate("UPDATE sessions SET total_cost = total_cost + :cost WHERE id = :id")
    void addCost(@Bind("id") String id, @Bind("cost") double cost);

    @SqlUpdate("UPDATE sessions SET message_count = (SELECT COUNT(*) FROM messages m WHERE m.session_id = :id"
            + " AND m.role IN ('user', 'assistant')), updated_at = :now WHERE id = :id")
    void recount(@Bind("id") String id, @Bind("now") String now);

    @SqlUpdate("DELETE FROM sessions WHERE id = :id")
    int delete(@Bind("id") String id);

    /** Keyset page: {@code updated_at DESC, id DESC}; the cursor is the last row's pair. */
    @SqlQuery(SELECT + "WHERE (:pattern IS NULL OR LOWER(COALESCE(s.title, '')) LIKE :pattern ESCAPE '!')"
            + " AND (:includeEmpty OR s.message_count > 0)"
            + " AND (:cursorUpdated IS NULL OR s.updated_at < :cursorUpdated"
            + "      OR (s.updated_at = :cursorUpdated AND s.id < :cursorId))"
            + " ORDER BY s.updated_at DESC, s.id DESC LIMIT :limit")
    List<SessionRow> page(@Bind("pattern") String pattern, @Bind("includeEmpty") boolean includeEmpty,
                          @Bind("cursorUpdated") String cursorUpdated, @Bind("cursorId") String cursorId,
                          @Bind("limit") int limit);

    @SqlQuery("SELECT id FROM sessions WHERE updated_at < :before ORDER BY updated_at")
    List<String> idsUpdatedBefore(@Bind("before") String before);
}
