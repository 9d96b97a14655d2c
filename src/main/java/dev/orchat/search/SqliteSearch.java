package dev.orchat.search;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The FTS5 index of migrations/005-search-index.yaml (row ids of titles and attachment texts from
 * migrations/009-search-doc-rowids.yaml). Ranking is FTS5's bm25 (a title match weighs twice a body
 * match); snippets come from FTS5's {@code snippet()}.
 */
final class SqliteSearch implements SearchDialect {
    private static final String DOC = "CASE WHEN rowid >= " + DOC_KEYS + " THEN " + DOC_KEYS + " - rowid ELSE rowid END";
    private static final String RANKED = "SELECT rowid AS key, " + DOC + " AS doc, bm25(search_fts, 2.0, 1.0) AS rank"
            + " FROM search_fts WHERE search_fts MATCH :match";
    private static final String MATCHING = "SELECT rowid AS key FROM search_fts WHERE search_fts MATCH :match";
    /**
     * Snippets only for the hits of the page: FTS5 computes them per row, so never for the whole match set. The
     * rows are found by a rowid range, with the list of ids only as a filter ({@code +rowid}): given the list as a
     * constraint, FTS5 starts the query over for each id, which for a prefix term means merging every matching
     * term's postings again, 20 times per page (docs/performance.md, "Search").
     */
    private static final String SNIPPETS = "SELECT " + DOC + " AS doc, snippet(search_fts, -1, char(57344), char(57345), '…', 24) AS snippet"
            + " FROM search_fts WHERE search_fts MATCH :match AND rowid >= :lo AND rowid <= :hi AND +rowid IN (<docs>)";

    @Override
    public String match(SearchQuery query) {
        return query.toMatch();
    }

    @Override
    public String ranked() {
        return RANKED;
    }

    @Override
    public String matching() {
        return MATCHING;
    }

    @Override
    public boolean docsAboveMessages() {
        return true;
    }

    @Override
    public Map<Long, String> snippets(Handle h, String match, List<Long> docs) {
        Map<Long, String> snippets = new HashMap<>();
        // Messages and titles/attachment texts lie far apart: one short range of row ids each.
        List<Long> rowids = docs.stream().map(d -> d > 0 ? d : DOC_KEYS - d).toList();
        for (List<Long> group : List.of(rowids.stream().filter(r -> r < DOC_KEYS).toList(),
                rowids.stream().filter(r -> r >= DOC_KEYS).toList())) {
            if (group.isEmpty()) {
                continue;
            }
            h.createQuery(SNIPPETS).bind("match", match).bind("lo", Collections.min(group))
                    .bind("hi", Collections.max(group)).bindList("docs", group).mapToMap()
                    .forEach(r -> snippets.put(((Number) r.get("doc")).longValue(), (String) r.get("snippet")));
        }
        return snippets;
    }
}
