package dev.orchat.search;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * The tsvector index of migrations/008-search-postgresql.yaml (docs/adr/0019-postgresql-full-text-search.md).
 * Ranking is {@code ts_rank_cd} with a title (weight A) counting twice a body (weight D), negated so that lower is
 * better as with bm25. Snippets are {@code ts_headline} over the same prepared text the index was built from, with
 * private-use markers that {@link Snippets} turns into {@code <mark>} after escaping everything else; the
 * separators of {@code orchat_search_prepare} are mapped back to the characters they stand for.
 */
final class PostgresSearch implements SearchDialect {
    private static final String RANKED = "SELECT i.doc AS key, i.doc, -ts_rank_cd('{0.5,0.2,0.4,1.0}'::float4[], i.vector, q.query)::float8 AS rank"
            + " FROM search_index i, to_tsquery('orchat_search', :match) AS q(query) WHERE i.vector @@ q.query";
    private static final String MATCHING = "SELECT i.doc AS key FROM search_index i, to_tsquery('orchat_search', :match) AS q(query)"
            + " WHERE i.vector @@ q.query";
    private static final String HEADLINE = "ts_headline('orchat_search', x.text, to_tsquery('orchat_search', :match),"
            + " 'StartSel=\"\uE000\", StopSel=\"\uE001\", MaxWords=24, MinWords=12, ShortWord=0') AS snippet,"
            + " left(x.text, 64) AS head, right(x.text, 64) AS tail";
    private static final String MESSAGE_SNIPPETS = "SELECT x.doc, " + HEADLINE + " FROM (SELECT m.id AS doc,"
            + " orchat_search_prepare(coalesce(orchat_search_text(m.content_kind, m.content), '')) AS text"
            + " FROM messages m WHERE m.id IN (<ids>)) x";
    private static final String DOC_SNIPPETS = "SELECT x.doc, " + HEADLINE + " FROM (SELECT -d.doc_id AS doc,"
            + " orchat_search_prepare(d.text) AS text FROM search_docs d WHERE d.doc_id IN (<ids>)) x";
    /** Highlighted words separated only by spaces are one highlight, as FTS5 marks a phrase. */
    private static final Pattern ADJACENT_MARKS = Pattern.compile(Snippets.CLOSE + "(\\s+)" + Snippets.OPEN);
    private static final String PREPARED = "\u0001\u0002\u0003\u0004\u0005\u0006";
    private static final String ORIGINAL = "<>./@:";

    @Override
    public String match(SearchQuery query) {
        return query.toTsQuery();
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
        return false; // titles and attachment texts are doc < 0, ranked apart in the first window
    }

    @Override
    public Map<Long, String> snippets(Handle h, String match, List<Long> docs) {
        Map<Long, String> snippets = new HashMap<>();
        List<Long> messageIds = docs.stream().filter(d -> d > 0).toList();
        List<Long> docIds = docs.stream().filter(d -> d < 0).map(d -> -d).toList();
        if (!messageIds.isEmpty()) {
            headlines(h, MESSAGE_SNIPPETS, match, messageIds, snippets);
        }
        if (!docIds.isEmpty()) {
            headlines(h, DOC_SNIPPETS, match, docIds, snippets);
        }
        return snippets;
    }

    private static void headlines(Handle h, String sql, String match, List<Long> ids, Map<Long, String> into) {
        h.createQuery(sql).bind("match", match).bindList("ids", ids).mapToMap().forEach(r -> into.put(
                ((Number) r.get("doc")).longValue(), snippet((String) r.get("snippet"), (String) r.get("head"), (String) r.get("tail"))));
    }

    /** The headline with the original characters back, and "…" where it does not reach the text's start or end. */
    static String snippet(String headline, String head, String tail) {
        String marked = ADJACENT_MARKS.matcher(headline).replaceAll("$1");
        String plain = marked.replace(Snippets.OPEN, "").replace(Snippets.CLOSE, "").strip();
        String text = restore(marked.strip());
        if (plain.isEmpty()) {
            return text;
        }
        String start = plain.substring(0, Math.min(plain.length(), 32));
        String end = plain.substring(Math.max(0, plain.length() - 32));
        return (head.strip().startsWith(start) ? "" : "…") + text + (tail.strip().endsWith(end) ? "" : "…");
    }

    private static String restore(String prepared) {
        StringBuilder out = new StringBuilder(prepared.length());
        for (int i = 0; i < prepared.length(); i++) {
            char c = prepared.charAt(i);
            int k = PREPARED.indexOf(c);
            out.append(k >= 0 ? ORIGINAL.charAt(k) : c);
        }
        return out.toString();
    }
}
