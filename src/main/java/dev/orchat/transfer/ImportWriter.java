package dev.orchat.transfer;

import dev.orchat.db.Database;
import dev.orchat.upload.AttachmentStorage;
import dev.orchat.upload.AttachmentTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * The only code of the import that writes to the database: one imported session is one job of the group-commit
 * writer ({@link Database#write}), so it queues with turns' writes instead of meeting them in SQLite's busy
 * handler. The job runs in its own savepoint: if any insert fails it throws and only its own rows are rolled
 * back. Either every row of the session is stored, or none is and the files it brought are removed again
 * (docs/api.md "Import").
 *
 * <p>Rows are inserted by column name, restricted to the columns the table has now (read from
 * {@code PRAGMA table_info} on SQLite, {@code information_schema.columns} on PostgreSQL), so an export from another
 * schema version restores what both share and no name from the file ever reaches SQL unchecked. orchat JSON writes
 * booleans as 0/1 (SQLite's form); on PostgreSQL they are bound as booleans to the BOOLEAN columns. On PostgreSQL a
 * failed insert aborts the whole transaction: nothing runs after it, the writer rolls the job back.
 */
final class ImportWriter {
    enum Result { IMPORTED, SKIPPED }

    private static final Pattern PG_NOT_NULL = Pattern.compile(
            "null value in column \"([^\"]+)\" of relation \"([^\"]+)\" violates not-null constraint");

    /** An attachment file from an orchat ZIP, spooled to a temporary file with its hash. */
    record SpooledFile(Path path, long size, String sha256) {
    }

    private final Database db;
    private final AttachmentStorage storage;
    /** Per table: column name to whether it is a PostgreSQL BOOLEAN. */
    private final Map<String, Map<String, Boolean>> columns = new ConcurrentHashMap<>();

    ImportWriter(Database db, AttachmentStorage storage) {
        this.db = db;
        this.storage = storage;
    }

    Result write(ImportedSession imported, Map<String, SpooledFile> files) throws ImportException {
        String sessionId = imported.sessionId();
        if (exists(sessionId)) {
            return Result.SKIPPED;
        }
        List<Path> published = new ArrayList<>();
        try {
            List<Map<String, Object>> attachments = publishFiles(sessionId, imported.rows().attachments(), files, published);
            boolean stored = db.write(h -> {
                Handle handle = h.handle(); // the writer's connection, inside this job's savepoint
                if (handle.createQuery("SELECT COUNT(*) FROM sessions WHERE id = :id").bind("id", sessionId)
                        .mapTo(Integer.class).one() > 0) {
                    return false; // imported concurrently by another request
                }
                insertAll(handle, imported.rows(), attachments);
                return true;
            });
            if (!stored) {
                deleteQuietly(published);
                return Result.SKIPPED;
            }
            return Result.IMPORTED;
        } catch (ImportException e) {
            deleteQuietly(published);
            throw e;
        } catch (IOException | RuntimeException e) {
            deleteQuietly(published);
            throw new ImportException("Could not be stored: " + rootMessage(e));
        }
    }

    private boolean exists(String sessionId) {
        return db.read(h -> h.handle().createQuery("SELECT COUNT(*) FROM sessions WHERE id = :id")
                .bind("id", sessionId).mapTo(Integer.class).one()) > 0;
    }

    private void insertAll(Handle h, SessionRows rows, List<Map<String, Object>> attachments) {
        insert(h, "sessions", rows.session(), Set.of(), false);
        for (Map<String, Object> turn : rows.turns()) {
            insert(h, "turns", turn, Set.of(), false);
        }
        Map<Long, Long> messageIds = new HashMap<>();
        for (Map<String, Object> message : rows.messages()) {
            Long newId = insert(h, "messages", message, Set.of("id"), true);
            messageIds.put(((Number) message.get("id")).longValue(), newId);
        }
        for (Map<String, Object> generation : rows.generations()) {
            Map<String, Object> copy = new HashMap<>(generation);
            copy.put("message_id", copy.get("message_id") instanceof Number n ? messageIds.get(n.longValue()) : null);
            insert(h, "generations", copy, Set.of("id"), false);
        }
        for (Map<String, Object> ref : rows.messageAttachments()) {
            Long messageId = ref.get("message_id") instanceof Number n ? messageIds.get(n.longValue()) : null;
            if (messageId == null) {
                throw new IllegalArgumentException("an attachment reference names a message that is not in the export");
            }
            Map<String, Object> copy = new HashMap<>(ref);
            copy.put("message_id", messageId);
            insert(h, "message_attachments", copy, Set.of(), false);
        }
        for (Map<String, Object> attachment : attachments) {
            insert(h, "attachments", attachment, Set.of(), false);
        }
    }

    /** Only attachments whose file came with the export get a row; the others stay named in their messages. */
    private List<Map<String, Object>> publishFiles(String sessionId, List<Map<String, Object>> rows,
                                                   Map<String, SpooledFile> files, List<Path> published)
            throws IOException, ImportException {
        List<Map<String, Object>> stored = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            String id = String.valueOf(row.get("id"));
            SpooledFile file = files.get(id);
            if (file == null) {
                continue;
            }
            if (!file.sha256().equalsIgnoreCase(String.valueOf(row.get("sha256")))) {
                throw new ImportException("The file of attachment " + id + " does not match its sha256");
            }
            String mime = String.valueOf(row.get("mime_type"));
            Object filename = row.get("filename");
            String name = AttachmentStorage.fileName(id, filename == null ? null : filename.toString(),
                    AttachmentTypes.extension(mime));
            Path copy = Files.createTempFile(storage.sessionDir(sessionId), "import-", ".part");
            Files.copy(file.path(), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            String storagePath = storage.publish(copy, sessionId, name);
            published.add(storage.resolve(storagePath));
            Map<String, Object> withPath = new HashMap<>(row);
            withPath.put("storage_path", storagePath);
            withPath.put("size_bytes", file.size());
            stored.add(withPath);
        }
        return stored;
    }

    private Long insert(Handle h, String table, Map<String, Object> row, Set<String> exclude, boolean returningId) {
        Map<String, Boolean> known = columns.computeIfAbsent(table, t -> columnsOf(h, t));
        List<String> names = new ArrayList<>(new LinkedHashSet<>(row.keySet()));
        names.removeIf(n -> !known.containsKey(n) || exclude.contains(n));
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (");
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append('"').append(names.get(i)).append('"');
            values.append(i == 0 ? "" : ", ").append('?');
        }
        sql.append(") VALUES (").append(values).append(')');
        if (returningId) {
            var query = h.createQuery(sql + " RETURNING id");
            for (int i = 0; i < names.size(); i++) {
                query.bind(i, value(row.get(names.get(i)), known.get(names.get(i))));
            }
            return query.mapTo(Long.class).one();
        }
        var update = h.createUpdate(sql.toString());
        for (int i = 0; i < names.size(); i++) {
            update.bind(i, value(row.get(names.get(i)), known.get(names.get(i))));
        }
        update.execute();
        return null;
    }

    /** The table's columns; the table name is one of this class's constants, bound as a value all the same. */
    private Map<String, Boolean> columnsOf(Handle h, String table) {
        Map<String, Boolean> found = new HashMap<>();
        if (db.isPostgres()) {
            h.createQuery("SELECT column_name, data_type FROM information_schema.columns"
                            + " WHERE table_schema = current_schema() AND table_name = :table")
                    .bind("table", table).mapToMap()
                    .forEach(r -> found.put((String) r.get("column_name"), "boolean".equals(r.get("data_type"))));
        } else {
            h.createQuery("SELECT name FROM pragma_table_info(:table)").bind("table", table).mapTo(String.class)
                    .forEach(name -> found.put(name, false));
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("No table " + table);
        }
        return Map.copyOf(found);
    }

    /** 0/1 (or "true"/"false") to a BOOLEAN column; everything else as read. */
    private static Object value(Object value, boolean booleanColumn) {
        if (!booleanColumn || value == null || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Number n) {
            return n.doubleValue() != 0;
        }
        return Boolean.parseBoolean(value.toString()) || "1".equals(value.toString().strip());
    }

    private static void deleteQuietly(List<Path> files) {
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                // The attachment sweep removes files without a row.
            }
        }
    }

    /**
     * The innermost cause, e.g. "NOT NULL constraint failed: messages.role", without driver noise. PostgreSQL's
     * first line only, its not-null message in SQLite's words, so the report reads the same on both.
     */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = String.valueOf(t.getMessage()).replaceFirst("^\\[SQLITE_[A-Z_]+\\]\\s*", "")
                .replaceFirst("^ERROR:\\s*", "").lines().findFirst().orElse("");
        Matcher notNull = PG_NOT_NULL.matcher(message);
        if (notNull.find()) {
            message = "NOT NULL constraint failed: " + notNull.group(2) + "." + notNull.group(1);
        }
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }
}
