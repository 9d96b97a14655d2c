package dev.orchat.search;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import dev.orchat.db.Database;
import io.dropwizard.lifecycle.Managed;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves queued messages into the full-text index (docs/api.md "Search", "Freshness";
 * docs/adr/0022-search-index-queue.md). The insert trigger of migration 010 only queues a message's id in
 * {@code search_pending}, in the message's own transaction: FTS5 writes an index segment at every commit that
 * changes it, a fixed cost a turn would otherwise pay twice. This class indexes the queue in batches, one write
 * transaction per {@link #BATCH} messages: every {@code intervalMillis} in the background (so the queue stays short
 * and a crash's leftovers are picked up after a restart), and through {@link #catchUp()} before every search, so a
 * search sees every message committed before it started. PostgreSQL's tsvector index (migration 008) is fed the
 * same way (its trigger cost ~0.15 ms per message, docs/performance.md "Search").
 */
public final class MessageIndexer implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(MessageIndexer.class);
    /** Messages indexed per write transaction: large enough to spread FTS5's per-commit segment write. */
    static final int BATCH = 500;
    private static final String QUEUED = "SELECT message_id FROM search_pending ORDER BY message_id LIMIT " + BATCH;
    // The searchable text of a message is its text, or the text parts of a "parts" message (as migration 005).
    // OR REPLACE: a row already under that id (a hand-repaired index) is overwritten rather than wedging the queue.
    private static final String SQLITE_INDEX = "INSERT OR REPLACE INTO search_fts (rowid, title, body) SELECT m.id, NULL,"
            + " CASE WHEN m.content_kind = 'parts' AND json_valid(m.content)"
            + " THEN (SELECT group_concat(json_extract(p.value, '$.text'), char(10)) FROM json_each(m.content) p"
            + " WHERE json_type(p.value, '$.text') = 'text') ELSE m.content END"
            + " FROM messages m WHERE m.id IN (" + QUEUED + ")";
    private static final String SQLITE_DEQUEUE = "DELETE FROM search_pending WHERE message_id IN (" + QUEUED + ")";
    /**
     * PostgreSQL: claims, indexes and dequeues a batch in one statement. Several instances share the queue: the
     * background pass skips ids another instance has claimed; a search waits for them (they are committed, or
     * back in the queue, when its claim returns).
     */
    private static final String PG_INDEX = "WITH q AS (DELETE FROM search_pending WHERE message_id IN"
            + " (SELECT message_id FROM search_pending ORDER BY message_id LIMIT " + BATCH + " FOR UPDATE <skip>)"
            + " RETURNING message_id),"
            + " ins AS (INSERT INTO search_index (doc, vector) SELECT m.id,"
            + " orchat_search_vector(orchat_search_text(m.content_kind, m.content), 'D') FROM messages m"
            + " JOIN q ON q.message_id = m.id ON CONFLICT (doc) DO UPDATE SET vector = EXCLUDED.vector)"
            + " SELECT count(*) FROM q";
    private static final String PG_INDEX_SKIPPING = PG_INDEX.replace("<skip>", "SKIP LOCKED");
    private static final String PG_INDEX_WAITING = PG_INDEX.replace(" <skip>", "");
    private static final String ANY_QUEUED = "SELECT 1 FROM search_pending LIMIT 1";
    private static final String QUEUE_LENGTH = "SELECT count(*) FROM search_pending";

    private final Database db;
    private final long intervalMillis;
    private final Meter indexed = new Meter();
    private ScheduledExecutorService scheduler;

    public MessageIndexer(Database db, long intervalMillis) {
        this.db = db;
        this.intervalMillis = intervalMillis;
    }

    /** {@code search.messages.indexed} and {@code search.messages.queued} (docs/operations.md, "Metrics"). */
    public void registerMetrics(MetricRegistry metrics) {
        metrics.register("search.messages.indexed", indexed);
        metrics.register("search.messages.queued", (Gauge<Long>) this::queued);
    }

    /** Messages waiting for the index now. */
    long queued() {
        return db.read(h -> h.query(QUEUE_LENGTH, s -> { }, rs -> rs.next() ? rs.getLong(1) : 0L));
    }

    @Override
    public void start() {
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
     * Indexes everything queued before this call; returns how many messages this call indexed. Checks the queue on
     * a read connection first, so a search with nothing queued costs no write transaction.
     */
    public int catchUp() {
        return anyQueued() ? drain(true) : 0;
    }

    /** @param wait on PostgreSQL, wait for ids another instance is indexing instead of skipping them */
    private int drain(boolean wait) {
        int total = 0;
        int batch;
        do {
            batch = db.isPostgres()
                    ? db.write(h -> h.query(wait ? PG_INDEX_WAITING : PG_INDEX_SKIPPING, s -> { }, rs -> rs.next() ? rs.getInt(1) : 0))
                    : db.write(h -> {
                        h.update(SQLITE_INDEX, s -> { });
                        return h.update(SQLITE_DEQUEUE, s -> { });
                    });
            total += batch;
            indexed.mark(batch);
            // A waiting claim on PostgreSQL can return a short batch (ids indexed meanwhile by another instance drop out
            // of it): only an empty one says the queue is done. SQLite has one writer: a short batch was the last.
        } while ((db.isPostgres() && wait) ? batch > 0 : batch == BATCH);
        return total;
    }

    private boolean anyQueued() {
        return db.read(h -> h.query(ANY_QUEUED, s -> { }, rs -> rs.next()));
    }

    private void runQuietly() {
        try {
            if (anyQueued()) {
                drain(false);
            }
        } catch (RuntimeException e) {
            LOG.warn("Indexing queued messages failed (they stay queued): {}", e.toString());
        }
    }
}
