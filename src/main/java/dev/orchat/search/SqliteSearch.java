package dev.orchat.search;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The FTS5 index of migrations/005-search-index.yaml. Ranking is FTS5's bm25 (a title match weighs twice a body
 * match); snippets come from FTS5's {@code snippet()}.
 */
final class SqliteSearch implements SearchDialect {
    private static final String RANKED = "SELECT rowid AS doc, bm25(search_fts, 2.0, 1.0) AS rank FROM search_fts"
            + " WHERE search_fts MATCH :match";
    /** Snippets only for the hits of the page: FTS5 computes them per row, so never for the whole match set. */
    private static final String SNIPPETS = "SELECT rowid AS doc, snippet(search_fts, -1, char(57344), char(57345), '…', 24) AS snippet"
            + " FROM search_fts WHERE search_fts MATCH :match AND rowid IN (<docs>)";

    @Override
    public String match(SearchQuery query) {
        return query.toMatch();
    }

    @Override
    public String ranked() {
        return RANKED;
    }

    @Override
    public Map<Long, String> snippets(Handle h, String match, List<Long> docs) {
        Map<Long, String> snippets = new HashMap<>();
        h.createQuery(SNIPPETS).bind("match", match).bindList("docs", docs).mapToMap()
                .forEach(r -> snippets.put(((Number) r.get("doc")).longValue(), (String) r.get("snippet")));
        return snippets;
    }
}
