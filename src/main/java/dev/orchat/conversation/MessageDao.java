package dev.orchat.conversation;

import java.util.Collection;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(MessageRow.class)
@RegisterConstructorMapper(MessageAttachment.class)
public interface MessageDao {
    String COLUMNS = "id, session_id, turn_id, position, role, content, content_kind, name, tool_calls, tool_call_id,"
            + " tool_name, is_error, synthetic, status, client_message_id, parent_client_message_id, model,"
            + " finish_reason, generation_id, usage, cost, reasoning, reasoning_details, routing, meta, extra, created_at";

    @SqlQuery("SELECT " + COLUMNS + " FROM messages WHERE session_id = :sessionId ORDER BY position")
    List<MessageRow> bySession(@Bind("sessionId") String sessionId);

    @SqlQuery("SELECT " + COLUMNS + " FROM messages WHERE turn_id = :turnId ORDER BY position")
    List<MessageRow> byTurn(@Bind("turnId") String turnId);

    @SqlQuery("SELECT " + COLUMNS + " FROM messages WHERE session_id = :sessionId"
            + " AND (client_message_id = :ref OR (:numericId IS NOT NULL AND id = :numericId))")
    List<MessageRow> byRef(@Bind("sessionId") String sessionId, @Bind("ref") String ref, @Bind("numericId") Long numericId);

    @SqlQuery("SELECT " + COLUMNS + " FROM messages WHERE session_id = :sessionId AND parent_client_message_id IN (<parents>)")
    List<MessageRow> byParents(@Bind("sessionId") String sessionId, @BindList("parents") Collection<String> parents);

    @SqlQuery("SELECT position FROM messages WHERE session_id = :sessionId AND id = :id")
    List<Integer> positionOf(@Bind("sessionId") String sessionId, @Bind("id") long id);

    @SqlUpdate("DELETE FROM messages WHERE id IN (<ids>)")
    int deleteIds(@BindList("ids") Collection<Long> ids);

    @SqlQuery("SELECT a.message_id, a.part_index, a.attachment_id, a.filename, a.mime_type FROM message_attachments a"
            + " JOIN messages m ON m.id = a.message_id WHERE m.session_id = :sessionId ORDER BY a.message_id, a.part_index")
    List<MessageAttachment> attachmentsBySession(@Bind("sessionId") String sessionId);

    /** The newest snapshot of an attachment's name and type, for placeholders once the attachment is gone. */
    @SqlQuery("SELECT message_id, part_index, attachment_id, filename, mime_type FROM message_attachments"
            + " WHERE attachment_id = :id ORDER BY message_id DESC LIMIT 1")
    java.util.Optional<MessageAttachment> attachmentSnapshot(@Bind("id") String attachmentId);
}
