package dev.orchat.search;

import dev.orchat.db.Database;
import dev.orchat.upload.AttachmentStorage;
import dev.orchat.upload.AttachmentTypes;
import dev.orchat.upload.PdfText;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the text of uploaded PDFs and text files searchable (docs/api.md "Search"). Extraction is slow and
 * the upload path is not this feature's, so a background pass picks up attachments that have no search
 * document yet, a few seconds after upload; the triggers of migration 005 (SQLite) or 008 (PostgreSQL) then index
 * the text, and drop it in the same transaction as the attachment row when retention or a session deletion removes it.
 */
public final class AttachmentTextIndexer implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(AttachmentTextIndexer.class);
    static final int MAX_PAGES = 500;
    static final int MAX_CHARS = 1_000_000;
    private static final int BATCH = 20;
    private static final String PENDING = "SELECT a.id, a.session_id, a.storage_path, a.mime_type, a.filename FROM attachments a"
            + " WHERE (a.mime_type = 'application/pdf' OR a.mime_type LIKE 'text/%') AND NOT EXISTS"
            + " (SELECT 1 FROM search_docs d WHERE d.kind = 'attachment' AND d.attachment_id = a.id)"
            + " ORDER BY a.created_at LIMIT " + BATCH;

    /** Inserts nothing when the attachment was deleted meanwhile or already indexed. */
    public interface SearchDocDao {
        @SqlUpdate("INSERT INTO search_docs (kind, session_id, attachment_id, label, text)"
                + " SELECT 'attachment', a.session_id, a.id, :label, :text FROM attachments a WHERE a.id = :id"
                + " AND NOT EXISTS (SELECT 1 FROM search_docs d WHERE d.kind = 'attachment' AND d.attachment_id = :id)")
        int insert(@Bind("id") String attachmentId, @Bind("label") String label, @Bind("text") String text);
    }

    private final Database db;
    private final AttachmentStorage storage;
    private final long intervalMillis;
    private ScheduledExecutorService scheduler;

    public AttachmentTextIndexer(Database db, AttachmentStorage storage, long intervalMillis) {
        this.db = db;
        this.storage = storage;
        this.intervalMillis = intervalMillis;
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "search-attachment-text");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::runQuietly, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private void runQuietly() {
        try {
            indexPending();
        } catch (RuntimeException e) {
            LOG.warn("Indexing attachment text failed: {}", e.toString());
        }
    }

    /** One pass over every attachment without a document; returns how many got one. */
    int indexPending() {
        int done = 0;
        List<Map<String, Object>> pending;
        do {
            // A background scan: the plain pool, in auto-commit (no write lock), not the turn path's readers.
            pending = db.jdbi().withHandle(h -> h.createQuery(PENDING).mapToMap().list());
            for (Map<String, Object> a : pending) {
                String id = (String) a.get("id");
                // PostgreSQL text cannot hold NUL (a binary-ish "text" file would fail on every pass, blocking the queue).
                String text = extract((String) a.get("storage_path"), (String) a.get("mime_type"), id).replace("\u0000", "");
                Object filename = a.get("filename");
                // An unreadable file gets an empty document, so it is not retried on every pass.
                done += db.write(h -> h.dao(SearchDocDao.class).insert(id, filename == null ? null : filename.toString(), text));
            }
        } while (pending.size() == BATCH && !Thread.currentThread().isInterrupted());
        return done;
    }

    private String extract(String storagePath, String mimeType, String id) {
        try {
            Path file = storage.resolve(storagePath);
            if (file == null || !Files.isRegularFile(file)) {
                return "";
            }
            if (AttachmentTypes.isText(mimeType)) {
                try (InputStream in = Files.newInputStream(file)) {
                    byte[] head = in.readNBytes(MAX_CHARS * 2);
                    return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                            .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(java.nio.ByteBuffer.wrap(head)).toString();
                }
            }
            String text = new PdfText().extract(file, null, 1, MAX_PAGES).text();
            return text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text;
        } catch (PdfText.Unreadable | IOException | RuntimeException e) {
            LOG.info("No searchable text in attachment {}: {}", id, e.getMessage());
            return "";
        }
    }
}
