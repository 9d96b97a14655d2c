package dev.orchat.search;

import dev.orchat.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads the FTS5 index that migrations/005-search-index.yaml keeps with triggers (docs/api.md "Search").
 * Ranking is FTS5's bm25 (a title match weighs twice a body match). Pages are keyset pages over
 * (bm25, row id), so a cursor stays valid as long as the index is unchanged; new messages between two pages may
 * shift scores slightly, which only reorders hits at the page boundary.
 */
public final class SearchIndex {
    private static final String RANKED = "SELECT rowid AS doc, bm25(search_fts, 2.0, 1.0) AS rank FROM search_fts"
            + " WHERE search_fts MATCH :match";
    private static final String PAGE = "SELECT doc, rank FROM (" + RANKED + ")"
            + " WHERE (:afterRank IS NULL OR rank > :afterRank OR (rank = :afterRank AND doc > :afterDoc))"
            + " ORDER BY rank, doc LIMIT :limit";
    /** Snippets only for the hits of the page: FTS5 computes them per row, so never for the whole match set. */
    private static final String SNIPPET = "SELECT snippet(search_fts, -1, char(57344), char(57345), '…', 24)"
            + " FROM search_fts WHERE search_fts MATCH :match AND rowid = :doc";
    private static final String MESSAGE = "SELECT m.session_id, m.role, m.created_at, s.title FROM messages m"
            + " JOIN sessions s ON s.id = m.session_id WHERE m.id = :id";
    private static final String DOC = "SELECT d.kind, d.session_id, d.attachment_id, d.label, s.title, s.created_at,"
            + " (SELECT MIN(ma.message_id) FROM message_attachments ma JOIN messages m ON m.id = ma.message_id"
            + "  WHERE ma.attachment_id = d.attachment_id AND m.session_id = d.session_id) AS message_id,"
            + " (SELECT a.created_at FROM attachments a WHERE a.id = d.attachment_id) AS attached_at"
            + " FROM search_docs d JOIN sessions s ON s.id = d.session_id WHERE d.doc_id = :id";

    private final Jdbi jdbi;

    public SearchIndex(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public SearchPage search(SearchQuery query, int limit, String cursor) {
        Cursor after = cursor == null || cursor.isEmpty() ? null : Cursor.decode(cursor);
        String match = query.toMatch();
        return jdbi.withHandle(h -> {
            List<Map<String, Object>> ranked = h.createQuery(PAGE)
                    .bind("match", match)
                    .bind("afterRank", after == null ? null : after.rank())
                    .bind("afterDoc", after == null ? null : after.doc())
                    .bind("limit", limit + 1)
                    .mapToMap().list();
            List<SearchHit> hits = new ArrayList<>();
            for (Map<String, Object> row : ranked.subList(0, Math.min(limit, ranked.size()))) {
                long doc = ((Number) row.get("doc")).longValue();
                double rank = ((Number) row.get("rank")).doubleValue();
                hit(h, match, doc, rank).ifPresent(hits::add);
            }
            String next = null;
            if (ranked.size() > limit) {
                Map<String, Object> last = ranked.get(limit - 1);
                next = new Cursor(((Number) last.get("rank")).doubleValue(), ((Number) last.get("doc")).longValue()).encode();
            }
            return new SearchPage(hits, next);
        });
    }

    private Optional<SearchHit> hit(Handle h, String match, long doc, double rank) {
        String snippet = Snippets.toHtml(h.createQuery(SNIPPET).bind("match", match).bind("doc", doc)
                .mapTo(String.class).findOne().orElse(null));
        double score = -rank;
        if (doc > 0) {
            return h.createQuery(MESSAGE).bind("id", doc).mapToMap().findOne().map(m -> new SearchHit(
                    (String) m.get("session_id"), doc, (String) m.get("role"), (String) m.get("title"), snippet,
                    (String) m.get("created_at"), score, "message", null));
        }
        return h.createQuery(DOC).bind("id", -doc).mapToMap().findOne().map(d -> {
            boolean title = "title".equals(d.get("kind"));
            Number messageId = (Number) d.get("message_id");
            return new SearchHit((String) d.get("session_id"), title || messageId == null ? null : messageId.longValue(),
                    title ? null : "user", (String) d.get("title"), snippet,
                    (String) (title ? d.get("created_at") : d.get("attached_at")), score, (String) d.get("kind"),
                    title ? null : new SearchHit.AttachmentRef((String) d.get("attachment_id"), (String) d.get("label")));
        });
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
