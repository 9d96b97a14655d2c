package dev.orchat.search;

import dev.orchat.db.Database;
import io.dropwizard.lifecycle.Managed;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves queued messages into SQLite's full-text index (docs/api.md "Search", "Freshness";
 * docs/adr/0022-search-index-queue.md). The insert trigger of migration 010 only queues a message's id in
 * {@code search_pending}, in the message's own transaction: FTS5 writes an index segment at every commit that
 * changes it, a fixed cost a turn would otherwise pay twice. This class indexes the queue in batches, one write
 * transaction per {@link #BATCH} messages: every {@code intervalMillis} in the background (so the queue stays short
 * and a crash's leftovers are picked up after a restart), and through {@link #catchUp()} before every search, so a
 * search sees every message committed before it started.
 *
 * <p>PostgreSQL keeps its tsvector trigger (migration 008): there this class does nothing.
 */
public final class MessageIndexer implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(MessageIndexer.class);
    /** Messages indexed per write transaction: large enough to spread FTS5's per-commit segment write. */
    static final int BATCH = 500;
    private static final String QUEUED = "SELECT message_id FROM search_pending ORDER BY message_id LIMIT " + BATCH;
    /** The searchable text of a message: its text, or the text parts of a "parts" message (as migration 005). */
    // OR REPLACE: a row already under that id (a hand-repaired index) is overwritten rather than wedging the queue.
    private static final String INDEX = "INSERT OR REPLACE INTO search_fts (rowid, title, body) SELECT m.id, NULL,"
            + " CASE WHEN m.content_kind = 'parts' AND json_valid(m.content)"
            + " THEN (SELECT group_concat(json_extract(p.value, '$.text'), char(10)) FROM json_each(m.content) p"
            + " WHERE json_type(p.value, '$.text') = 'text') ELSE m.content END"
            + " FROM messages m WHERE m.id IN (" + QUEUED + ")";
    private static final String DEQUEUE = "DELETE FROM search_pending WHERE message_id IN (" + QUEUED + ")";
    private static final String ANY_QUEUED = "SELECT EXISTS (SELECT 1 FROM search_pending)";

    private final Database db;
    private final long intervalMillis;
    private ScheduledExecutorService scheduler;

    public MessageIndexer(Database db, long intervalMillis) {
        this.db = db;
        this.intervalMillis = intervalMillis;
    }

    @Override
    public void start() {
        if (db.isPostgres()) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "search-message-indexer");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::runQuietly, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() throws InterruptedException {
        if (scheduler != null) {
            scheduler.shutdown();
            // A batch in flight finishes (it is one transaction either way); what is left stays queued for the next start.
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /**
     * Indexes everything queued before this call; returns how many messages it indexed. Checks the queue on a read
     * connection first, so a search with nothing queued costs no write transaction.
     */
    public int catchUp() {
        if (db.isPostgres() || !anyQueued()) {
            return 0;
        }
        int total = 0;
        int batch;
        do {
            batch = db.write(h -> {
                h.update(INDEX, s -> { });
                return h.update(DEQUEUE, s -> { });
            });
            total += batch;
        } while (batch == BATCH);
        return total;
    }

    private boolean anyQueued() {
        return db.read(h -> h.query(ANY_QUEUED, s -> { }, rs -> rs.next() && rs.getInt(1) == 1));
    }

    private void runQuietly() {
        try {
            catchUp();
        } catch (RuntimeException e) {
            LOG.warn("Indexing queued messages failed (they stay queued): {}", e.toString());
        }
    }
}
