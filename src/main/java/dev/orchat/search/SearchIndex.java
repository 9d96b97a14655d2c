package dev.orchat.search;

import dev.orchat.db.Database;
import dev.orchat.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Reads the full-text index that the database keeps with triggers (docs/api.md "Search"): FTS5 on SQLite
 * (migrations/005-search-index.yaml), tsvector + GIN on PostgreSQL (migrations/008-search-postgresql.yaml); the
 * {@link SearchDialect} says how. Pages are keyset pages over (rank, document id), so a cursor stays valid as long
 * as the index is unchanged; new messages between two pages may shift scores slightly, which only reorders hits at
 * the page boundary.
 */
public final class SearchIndex {
    private static final String AFTER = " WHERE rank > :afterRank OR (rank = :afterRank AND doc > :afterDoc)";
    private static final String MESSAGES = "SELECT m.id, m.session_id, m.role, m.created_at, s.title FROM messages m"
            + " JOIN sessions s ON s.id = m.session_id WHERE m.id IN (<ids>)";
    private static final String DOCS = "SELECT d.doc_id, d.kind, d.session_id, d.attachment_id, d.label, s.title, s.created_at,"
            + " (SELECT MIN(ma.message_id) FROM message_attachments ma JOIN messages m ON m.id = ma.message_id"
            + "  WHERE ma.attachment_id = d.attachment_id AND m.session_id = d.session_id) AS message_id,"
            + " (SELECT a.created_at FROM attachments a WHERE a.id = d.attachment_id) AS attached_at"
            + " FROM search_docs d JOIN sessions s ON s.id = d.session_id WHERE d.doc_id IN (<ids>)";

    private final Database db;
    private final SearchDialect dialect;
    private final String firstPage;
    private final String nextPage;

    public SearchIndex(Database db) {
        this.db = db;
        this.dialect = SearchDialect.of(db);
        String ranked = "SELECT doc, rank FROM (" + dialect.ranked() + ") r";
        this.firstPage = ranked + " ORDER BY rank, doc LIMIT :limit";
        this.nextPage = ranked + AFTER + " ORDER BY rank, doc LIMIT :limit";
    }

    public SearchPage search(SearchQuery query, int limit, String cursor) {
        Cursor after = cursor == null || cursor.isEmpty() ? null : Cursor.decode(cursor);
        String match = dialect.match(query);
        return db.readSnapshot(h -> { // one snapshot for the ranking and the details, without the write lock
            var statement = h.createQuery(after == null ? firstPage : nextPage).bind("match", match).bind("limit", limit + 1);
            if (after != null) {
                statement.bind("afterRank", after.rank()).bind("afterDoc", after.doc());
            }
            List<Map<String, Object>> ranked = statement.mapToMap().list();
            List<Map<String, Object>> page = ranked.subList(0, Math.min(limit, ranked.size()));
            List<SearchHit> hits = page.isEmpty() ? List.of() : hits(h, match, page);
            String next = null;
            if (ranked.size() > limit) {
                Map<String, Object> last = ranked.get(limit - 1);
                next = new Cursor(((Number) last.get("rank")).doubleValue(), ((Number) last.get("doc")).longValue()).encode();
            }
            return new SearchPage(hits, next);
        });
    }

    /** A fixed number of queries per page whatever its size: snippets, message rows, title/attachment rows. */
    private List<SearchHit> hits(Handle h, String match, List<Map<String, Object>> page) {
        List<Long> docs = page.stream().map(r -> ((Number) r.get("doc")).longValue()).toList();
        Map<Long, String> snippets = dialect.snippets(h, match, docs);
        List<Long> messageIds = docs.stream().filter(d -> d > 0).toList();
        List<Long> docIds = docs.stream().filter(d -> d < 0).map(d -> -d).toList();
        Map<Long, Map<String, Object>> messages = new HashMap<>();
        if (!messageIds.isEmpty()) {
            h.createQuery(MESSAGES).bindList("ids", messageIds).mapToMap()
                    .forEach(r -> messages.put(((Number) r.get("id")).longValue(), r));
        }
        Map<Long, Map<String, Object>> others = new HashMap<>();
        if (!docIds.isEmpty()) {
            h.createQuery(DOCS).bindList("ids", docIds).mapToMap()
                    .forEach(r -> others.put(-((Number) r.get("doc_id")).longValue(), r));
        }
        List<SearchHit> hits = new ArrayList<>();
        for (Map<String, Object> row : page) {
            long doc = ((Number) row.get("doc")).longValue();
            double score = -((Number) row.get("rank")).doubleValue();
            String snippet = Snippets.toHtml(snippets.get(doc));
            if (doc > 0) {
                Optional.ofNullable(messages.get(doc)).ifPresent(m -> hits.add(new SearchHit(
                        (String) m.get("session_id"), doc, (String) m.get("role"), (String) m.get("title"), snippet,
                        (String) m.get("created_at"), score, "message", null)));
            } else {
                Optional.ofNullable(others.get(doc)).ifPresent(d -> hits.add(docHit(d, snippet, score)));
            }
        }
        return hits;
    }

    private static SearchHit docHit(Map<String, Object> d, String snippet, double score) {
        boolean title = "title".equals(d.get("kind"));
        Number messageId = (Number) d.get("message_id");
        return new SearchHit((String) d.get("session_id"), title || messageId == null ? null : messageId.longValue(),
                title ? null : "user", (String) d.get("title"), snippet,
                (String) (title ? d.get("created_at") : d.get("attached_at")), score, (String) d.get("kind"),
                title ? null : new SearchHit.AttachmentRef((String) d.get("attachment_id"), (String) d.get("label")));
    }

    /** Opaque to clients: the rank's exact bits and the row id of the last hit of the previous page. */
    record Cursor(double rank, long doc) {
        String encode() {
            String text = Long.toHexString(Double.doubleToLongBits(rank)) + ":" + doc;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String cursor) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":", 2);
                if (parts.length == 2) {
                    double rank = Double.longBitsToDouble(Long.parseUnsignedLong(parts[0], 16));
                    if (!Double.isNaN(rank)) {
                        return new Cursor(rank, Long.parseLong(parts[1]));
                    }
                }
            } catch (IllegalArgumentException e) {
                // reported below
            }
            throw ApiException.badRequest("Invalid cursor");
        }
    }
}
