package dev.orchat.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchat.testing.Db;

/** The index holds exactly one row per message, title and attachment text, and FTS5's own check passes. */
final class SearchConsistency {
    private SearchConsistency() {
    }

    static void assertConsistent(Db db) {
        assertThat(db.query("SELECT m.id FROM messages m WHERE NOT EXISTS (SELECT 1 FROM search_fts f WHERE f.rowid = m.id)"))
                .as("messages missing from the index").isEmpty();
        assertThat(db.query("SELECT f.rowid AS id FROM search_fts f WHERE f.rowid > 0"
                + " AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = f.rowid)")).as("index rows of deleted messages").isEmpty();
        assertThat(db.query("SELECT f.rowid AS id FROM search_fts f WHERE f.rowid < 0"
                + " AND NOT EXISTS (SELECT 1 FROM search_docs d WHERE d.doc_id = -f.rowid)")).as("index rows of deleted docs").isEmpty();
        assertThat(db.query("SELECT d.doc_id FROM search_docs d WHERE NOT EXISTS (SELECT 1 FROM search_fts f WHERE f.rowid = -d.doc_id)"))
                .as("docs missing from the index").isEmpty();
        assertThat(db.query("SELECT s.id FROM sessions s WHERE s.title IS NOT (SELECT d.text FROM search_docs d"
                + " WHERE d.kind = 'title' AND d.session_id = s.id)")).as("titles out of date").isEmpty();
        db.update("INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)");
    }
}
