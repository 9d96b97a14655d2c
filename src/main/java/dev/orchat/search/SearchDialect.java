package dev.orchat.search;

import dev.orchat.db.Database;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * What differs between the two indexes (docs/api.md "Search"): how a parsed query is written for the database,
 * the ranked match set, and the snippets. {@link SearchIndex} keeps everything else (keyset pages, the rows of the
 * hits, the JSON) on one code path. Both indexes use the same document ids: a message's id, or {@code -doc_id}
 * of a title or attachment text in {@code search_docs}.
 */
interface SearchDialect {
    /** Keys at or above this are titles and attachment texts (SQLite, migration 009); every message id is below. */
    long DOC_KEYS = 1L << 62;

    /** The text bound as {@code :match}. */
    String match(SearchQuery query);

    /**
     * {@code SELECT key, doc, rank ...} over every match of {@code :match}; a lower rank is a better hit, and the
     * rank is a DOUBLE that is the same on every evaluation (the cursor compares it exactly). {@code key} is the
     * index's own row order, which a ranking window bounds: a message's key is its id.
     */
    String ranked();

    /** {@code SELECT key ...} over every match of {@code :match}, without ranking (cheap: keys only). */
    String matching();

    /**
     * Whether titles and attachment texts have keys outside the messages' range, above all of them (SQLite, so
     * the first ranking window holds them), or must be ranked by a query of their own ({@code doc < 0}).
     */
    boolean docsAboveMessages();

    /**
     * Snippets of the given documents, about 24 words around the best match, with each matched word between
     * {@link Snippets#OPEN} and {@link Snippets#CLOSE} and nothing escaped yet.
     */
    Map<Long, String> snippets(Handle h, String match, List<Long> docs);

    static SearchDialect of(Database db) {
        return db.isPostgres() ? new PostgresSearch() : new SqliteSearch();
    }
}
