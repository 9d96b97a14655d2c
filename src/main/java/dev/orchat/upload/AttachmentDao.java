package dev.orchat.upload;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(AttachmentRow.class)
public interface AttachmentDao {
    String COLUMNS = "id, session_id, storage_path, mime_type, size_bytes, filename, sha256, page_count, created_at,"
            + " last_used_at, expires_at";

    @SqlUpdate("INSERT INTO attachments (" + COLUMNS + ") VALUES (:id, :sessionId, :storagePath, :mimeType,"
            + " :sizeBytes, :filename, :sha256, :pageCount, :createdAt, :lastUsedAt, :expiresAt)")
    void insert(@BindMethods AttachmentRow row);

    @SqlQuery("SELECT " + COLUMNS + " FROM attachments WHERE id = :id")
    Optional<AttachmentRow> find(@Bind("id") String id);

    @SqlQuery("SELECT " + COLUMNS + " FROM attachments WHERE id IN (<ids>)")
    List<AttachmentRow> findAll(@BindList("ids") Collection<String> ids);

    @SqlQuery("SELECT " + COLUMNS + " FROM attachments WHERE session_id = :sessionId AND mime_type = :mime"
            + " ORDER BY created_at, id")
    List<AttachmentRow> bySessionAndType(@Bind("sessionId") String sessionId, @Bind("mime") String mimeType);

    @SqlQuery("SELECT " + COLUMNS + " FROM attachments WHERE expires_at IS NOT NULL AND expires_at <= :now")
    List<AttachmentRow> expired(@Bind("now") String now);

    @SqlQuery("SELECT " + COLUMNS + " FROM attachments")
    List<AttachmentRow> all();

    @SqlUpdate("DELETE FROM attachments WHERE id = :id")
    int delete(@Bind("id") String id);

    /** docs/api.md §2.21: every use moves {@code last_used_at} and pushes {@code expires_at} out (null stays "never"). */
    @SqlUpdate("UPDATE attachments SET last_used_at = :now, expires_at = CASE WHEN expires_at IS NULL THEN NULL"
            + " WHEN expires_at < :expiresAt THEN :expiresAt ELSE expires_at END WHERE id IN (<ids>)")
    int touch(@BindList("ids") Collection<String> ids, @Bind("now") String now, @Bind("expiresAt") String expiresAt);

    /** docs/api.md §2.21: the sweep also drops pending OAuth authorisations older than a day. */
    @SqlUpdate("DELETE FROM oauth_flows WHERE created_at < :cutoff")
    int deleteOauthFlowsBefore(@Bind("cutoff") String cutoff);

    @SqlQuery("SELECT COUNT(*) FROM oauth_flows WHERE created_at < :cutoff")
    int countOauthFlowsBefore(@Bind("cutoff") String cutoff);
}
