package dev.orchat.transfer;

import dev.orchat.db.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Reads sessions for export on the plain JDBI pool, not the turn path's read connections (WAL lets them run beside
 * the writer); a session is read in one deferred snapshot ({@link Database#readSnapshot}), never under the write lock.
 */
final class SessionReader {
    private final Database db;

    SessionReader(Database db) {
        this.db = db;
    }

    Optional<SessionRows> read(String sessionId) {
        return db.readSnapshot(h -> read(h, sessionId)); // one snapshot: rows of a turn committed meanwhile stay out
    }

    /** Session ids, newest first; ids only, so the export of every session holds one session in memory at a time. */
    List<String> allIds() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT id FROM sessions ORDER BY updated_at DESC, id DESC")
                .mapTo(String.class).list());
    }

    private static Optional<SessionRows> read(Handle h, String id) {
        Optional<Map<String, Object>> session = h.createQuery("SELECT * FROM sessions WHERE id = :id").bind("id", id)
                .mapToMap().findOne();
        if (session.isEmpty()) {
            return Optional.empty();
        }
        List<Map<String, Object>> attachments = new ArrayList<>();
        for (Map<String, Object> row : rows(h, "SELECT * FROM attachments WHERE session_id = :id ORDER BY created_at, id", id)) {
            Map<String, Object> copy = new java.util.LinkedHashMap<>(row);
            copy.keySet().removeAll(SessionRows.PRIVATE_ATTACHMENT_COLUMNS);
            attachments.add(copy);
        }
        return Optional.of(new SessionRows(session.get(),
                rows(h, "SELECT * FROM turns WHERE session_id = :id ORDER BY seq", id),
                rows(h, "SELECT * FROM messages WHERE session_id = :id ORDER BY position", id),
                rows(h, "SELECT g.* FROM generations g JOIN turns t ON t.id = g.turn_id WHERE t.session_id = :id"
                        + " ORDER BY t.seq, g.hop, g.id", id),
                rows(h, "SELECT a.* FROM message_attachments a JOIN messages m ON m.id = a.message_id"
                        + " WHERE m.session_id = :id ORDER BY m.position, a.part_index", id),
                attachments));
    }

    /** The stored file of each exported attachment, for {@code include_files=true}. */
    List<Map<String, Object>> files(String sessionId) {
        return db.jdbi().withHandle(h -> rows(h, "SELECT id, storage_path FROM attachments WHERE session_id = :id", sessionId));
    }

    private static List<Map<String, Object>> rows(Handle h, String sql, String id) {
        return new ArrayList<>(h.createQuery(sql).bind("id", id).mapToMap().list());
    }
}
