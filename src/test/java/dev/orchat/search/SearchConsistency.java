package dev.orchat.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchat.testing.Db;
import dev.orchat.testing.TestDatabase;

/**
 * The index holds exactly one row per message, title and attachment text: FTS5's {@code search_fts} on SQLite
 * (a message may instead still wait in the indexer's queue, {@code search_pending}; FTS5's own integrity check passes), {@code search_index} on PostgreSQL (and every stored vector equals the
 * one its text gives now, so an index row left behind by a changed message is caught too).
 */
final class SearchConsistency {
    private SearchConsistency() {
    }

    static void assertConsistent(Db db) {
        if (TestDatabase.postgres()) {
            assertPostgres(db);
            return;
        }
        // A message is in the index or still queued for it (migration 010, MessageIndexer), never both.
        assertThat(db.query("SELECT m.id FROM messages m WHERE NOT EXISTS (SELECT 1 FROM search_fts f WHERE f.rowid = m.id)"
                + " AND NOT EXISTS (SELECT 1 FROM search_pending p WHERE p.message_id = m.id)"))
                .as("messages missing from the index").isEmpty();
        assertThat(db.query("SELECT p.message_id FROM search_pending p WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = p.message_id)"))
                .as("queued ids of deleted messages").isEmpty();
        assertThat(db.query("SELECT p.message_id FROM search_pending p JOIN search_fts f ON f.rowid = p.message_id"))
                .as("messages both queued and indexed").isEmpty();
        assertThat(db.query("SELECT f.rowid AS id FROM search_fts f WHERE f.rowid > 0 AND f.rowid < 4611686018427387904"
                + " AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = f.rowid)")).as("index rows of deleted messages").isEmpty();
        assertThat(db.query("SELECT f.rowid AS id FROM search_fts f WHERE f.rowid >= 4611686018427387904"
                + " AND NOT EXISTS (SELECT 1 FROM search_docs d WHERE d.doc_id = f.rowid - 4611686018427387904)")).as("index rows of deleted docs").isEmpty();
        assertThat(db.query("SELECT d.doc_id FROM search_docs d WHERE NOT EXISTS (SELECT 1 FROM search_fts f WHERE f.rowid = 4611686018427387904 + d.doc_id)"))
                .as("docs missing from the index").isEmpty();
        assertThat(db.query("SELECT s.id FROM sessions s WHERE s.title IS NOT (SELECT d.text FROM search_docs d"
                + " WHERE d.kind = 'title' AND d.session_id = s.id)")).as("titles out of date").isEmpty();
        db.update("INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)");
    }

    private static void assertPostgres(Db db) {
        assertThat(db.query("SELECT m.id FROM messages m WHERE NOT EXISTS (SELECT 1 FROM search_index i WHERE i.doc = m.id)"
                + " AND NOT EXISTS (SELECT 1 FROM search_pending p WHERE p.message_id = m.id)"))
                .as("messages missing from the index").isEmpty();
        assertThat(db.query("SELECT p.message_id FROM search_pending p WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = p.message_id)"))
                .as("queued ids of deleted messages").isEmpty();
        assertThat(db.query("SELECT p.message_id FROM search_pending p JOIN search_index i ON i.doc = p.message_id"))
                .as("messages both queued and indexed").isEmpty();
        assertThat(db.query("SELECT i.doc FROM search_index i WHERE i.doc > 0"
                + " AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = i.doc)")).as("index rows of deleted messages").isEmpty();
        assertThat(db.query("SELECT i.doc FROM search_index i WHERE i.doc < 0"
                + " AND NOT EXISTS (SELECT 1 FROM search_docs d WHERE d.doc_id = -i.doc)")).as("index rows of deleted docs").isEmpty();
        assertThat(db.query("SELECT d.doc_id FROM search_docs d WHERE NOT EXISTS (SELECT 1 FROM search_index i WHERE i.doc = -d.doc_id)"))
                .as("docs missing from the index").isEmpty();
        assertThat(db.query("SELECT s.id FROM sessions s WHERE s.title IS DISTINCT FROM (SELECT d.text FROM search_docs d"
                + " WHERE d.kind = 'title' AND d.session_id = s.id)")).as("titles out of date").isEmpty();
        assertThat(db.query("SELECT m.id FROM messages m JOIN search_index i ON i.doc = m.id"
                + " WHERE i.vector <> orchat_search_vector(orchat_search_text(m.content_kind, m.content), 'D')"))
                .as("message vectors out of date").isEmpty();
        assertThat(db.query("SELECT d.doc_id FROM search_docs d JOIN search_index i ON i.doc = -d.doc_id"
                + " WHERE i.vector <> orchat_search_vector(d.text, CASE WHEN d.kind = 'title' THEN 'A' ELSE 'D' END)"))
                .as("title and attachment vectors out of date").isEmpty();
    }
}
