package dev.orchat.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import dev.orchat.db.Database;
import dev.orchat.db.Migrations;
import dev.orchat.testing.Db;
import dev.orchat.testing.TestApp;
import dev.orchat.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Deferred message indexing (docs/api.md "Search", "Freshness"; migration 010): a stored message is queued in its
 * own transaction, a search indexes the queue before it reads, the background indexer empties it (also after a
 * crash left it full), and deleting a message removes it wherever it is. On PostgreSQL also: instances sharing the
 * queue index every message once.
 */
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class MessageIndexerTest {
    private static final boolean PG = TestDatabase.postgres();
    private DataSource ds;
    private Db raw;
    private Database db;
    private MessageIndexer indexer;
    private int position;

    @BeforeEach
    void freshDatabase() throws Exception {
        Path dir = TestApp.tempDir();
        ds = TestDatabase.dataSource(dir);
        Migrations.apply(ds);
        raw = new Db(dir.resolve("chat.db"));
        raw.update("INSERT INTO sessions (id, title, title_source, created_at, updated_at, message_count, next_position)"
                + " VALUES ('s', NULL, 'auto', 'x', 'x', 0, 1)");
        raw.update("INSERT INTO turns (id, session_id, seq, status, started_at) VALUES ('t', 's', 1, 'complete', 'x')");
        db = TestDatabase.database(Jdbi.create(ds), 2);
        indexer = new MessageIndexer(db, 50);
        position = 0;
    }

    private long message(String kind, String content) {
        raw.update("INSERT INTO messages (session_id, turn_id, position, role, content, content_kind, created_at)"
                + " VALUES ('s', 't', ?, 'user', ?, ?, 'x')", ++position, content, kind);
        return ((Number) raw.query("SELECT max(id) AS id FROM messages").get(0).get("id")).longValue();
    }

    private List<Long> queued() {
        return raw.query("SELECT message_id FROM search_pending ORDER BY message_id").stream()
                .map(r -> ((Number) r.get("message_id")).longValue()).toList();
    }

    /** Message ids in the index matching {@code fts5} (SQLite) or {@code tsquery} (PostgreSQL), in id order. */
    private List<Long> indexed(String fts5, String tsquery) {
        return SearchIndexLifecycleTest.indexed(raw, fts5, tsquery).stream().sorted().toList();
    }

    private List<Long> indexed(String word) {
        return indexed(word, word);
    }

    /** Puts a row into the index by hand, as an index repair would. */
    private void indexByHand(long id, String text) {
        raw.update(PG ? "INSERT INTO search_index (doc, vector) VALUES (?, to_tsvector('simple', ?))"
                : "INSERT INTO search_fts (rowid, title, body) VALUES (?, NULL, ?)", id, text);
    }

    private List<Long> search(String q) {
        return new SearchIndex(db, indexer).search(SearchQuery.parse(q), 20, null).hits().stream()
                .map(SearchHit::messageId).toList();
    }

    @Test
    void aStoredMessageIsQueuedNotIndexedAndASearchFindsItAtOnce() {
        long id = message("text", "the pangolin rolls up");
        assertThat(queued()).containsExactly(id);
        assertThat(indexed("pangolin")).isEmpty();

        assertThat(search("pangolin")).containsExactly(id);
        assertThat(queued()).isEmpty();
        assertThat(indexed("pangolin")).containsExactly(id);
        SearchConsistency.assertConsistent(raw);
    }

    @Test
    void catchUpIndexesEverythingQueuedInBatches() {
        int n = MessageIndexer.BATCH * 2 + 7;
        for (int i = 0; i < n; i++) {
            message("text", "numbat " + i);
        }
        assertThat(queued()).hasSize(n);
        assertThat(indexer.catchUp()).isEqualTo(n);
        assertThat(queued()).isEmpty();
        assertThat(indexed("numbat")).hasSize(n);
        assertThat(indexer.catchUp()).as("nothing left").isZero();
        SearchConsistency.assertConsistent(raw);
    }

    @Test
    void metricsCountQueuedAndIndexedMessages() {
        MetricRegistry metrics = new MetricRegistry();
        indexer.registerMetrics(metrics);
        Gauge<?> queued = metrics.getGauges().get("search.messages.queued");
        for (int i = 0; i < 3; i++) {
            message("text", "bilby " + i);
        }
        assertThat(queued.getValue()).isEqualTo(3L);
        indexer.catchUp();
        assertThat(queued.getValue()).isEqualTo(0L);
        assertThat(metrics.getMeters().get("search.messages.indexed").getCount()).isEqualTo(3);
    }

    @Test
    void onlyTheTextPartsOfAPartsMessageAreIndexed() {
        long id = message("parts", "[{\"type\":\"text\",\"text\":\"a tarsier\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"att:zorilla\"}},{\"type\":\"text\",\"text\":\"blinks\"}]");
        indexer.catchUp();
        assertThat(indexed("tarsier AND blinks", "tarsier & blinks")).containsExactly(id);
        assertThat(indexed("zorilla OR image_url", "zorilla | image_url")).isEmpty();
    }

    @Test
    void deletingAMessageRemovesItFromTheQueueOrFromTheIndex() {
        long waiting = message("text", "a queued axolotl");
        long done = message("text", "an indexed axolotl");
        raw.update("DELETE FROM search_pending WHERE message_id = ?", done);
        indexByHand(done, "an indexed axolotl");

        raw.update("DELETE FROM messages WHERE id IN (?, ?)", waiting, done);
        assertThat(queued()).isEmpty();
        assertThat(indexed("axolotl")).isEmpty();
        assertThat(indexer.catchUp()).isZero();
        SearchConsistency.assertConsistent(raw);
    }

    @Test
    void theBackgroundIndexerEmptiesAQueueLeftByAnEarlierProcess() throws Exception {
        for (int i = 0; i < 30; i++) {
            message("text", "leftover quoll " + i); // as if the process died before indexing them
        }
        indexer.start();
        try {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!queued().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            indexer.stop();
        }
        assertThat(queued()).isEmpty();
        assertThat(indexed("quoll")).hasSize(30);
        SearchConsistency.assertConsistent(raw);
    }

    @Test
    void aRowAlreadyIndexedUnderAQueuedIdIsReplacedNotAWedgedQueue() {
        long id = message("text", "the real dugong");
        indexByHand(id, "a stale manatee");
        assertThat(indexer.catchUp()).isEqualTo(1);
        assertThat(indexed("dugong")).containsExactly(id);
        assertThat(indexed("manatee")).isEmpty();
        SearchConsistency.assertConsistent(raw);
    }

    @Test
    void instancesSharingTheQueueIndexEveryMessageOnce() throws Exception {
        assumeTrue(PG, "several instances share one database on PostgreSQL only");
        int n = MessageIndexer.BATCH * 4 + 3;
        for (int i = 0; i < n; i++) {
            message("text", "wallaby " + i);
        }
        Database other = TestDatabase.database(Jdbi.create(ds), 2);
        MessageIndexer second = new MessageIndexer(other, 0);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var a = pool.submit(indexer::catchUp);
            var b = pool.submit(second::catchUp);
            // Each id is claimed by exactly one of them: together they indexed every message once.
            assertThat(a.get() + b.get()).isEqualTo(n);
        } finally {
            pool.shutdownNow();
        }
        assertThat(queued()).isEmpty();
        assertThat(indexed("wallaby")).hasSize(n);
        SearchConsistency.assertConsistent(raw);
    }
}
