package dev.orchat.search;

import dev.orchat.db.Database;
import dev.orchat.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Reads the full-text index that the database keeps with triggers (docs/api.md "Search"): FTS5 on SQLite
 * (migrations/005-search-index.yaml; messages reach it through the queue of migration 010 and {@link MessageIndexer},
 * which a search first catches up), tsvector + GIN on PostgreSQL (migrations/008-search-postgresql.yaml); the
 * {@link SearchDialect} says how.
 *
 * <p>Ranking windows (docs/api.md "Search", "Ranking"): ranking costs a per-document lookup for every match, so a
 * word found in half of a million messages would cost hundreds of milliseconds to rank as a whole. Matching
 * messages are therefore ranked in windows of the newest {@link #DEFAULT_WINDOW} by id: the first window holds the
 * newest matches plus every matching title and attachment text, the next one the matches just older than that,
 * and so on. A query with fewer matches than a window is ranked as a whole. Finding a window's lower bound reads
 * only document ids, in index order, which is cheap.
 *
 * <p>Pages are keyset pages over (window, rank, document id), so a cursor stays valid as long as the index is
 * unchanged; new messages between two pages may shift scores slightly, which only reorders hits at the page
 * boundary.
 */
public final class SearchIndex {
    /** Matching messages ranked together; about 5 ms of ranking on the 2-core benchmark box (docs/performance.md). */
    public static final int DEFAULT_WINDOW = 2_000;
    private static final String MESSAGES = "SELECT m.id, m.session_id, m.role, m.created_at, s.title FROM messages m"
            + " JOIN sessions s ON s.id = m.session_id WHERE m.id IN (<ids>)";
    private static final String DOCS = "SELECT d.doc_id, d.kind, d.session_id, d.attachment_id, d.label, s.title, s.created_at,"
            + " (SELECT MIN(ma.message_id) FROM message_attachments ma JOIN messages m ON m.id = ma.message_id"
            + "  WHERE ma.attachment_id = d.attachment_id AND m.session_id = d.session_id) AS message_id,"
            + " (SELECT a.created_at FROM attachments a WHERE a.id = d.attachment_id) AS attached_at"
            + " FROM search_docs d JOIN sessions s ON s.id = d.session_id WHERE d.doc_id IN (<ids>)";
    private static final String AFTER = " AND (rank > :afterRank OR (rank = :afterRank AND doc > :afterDoc))";

    private final Database db;
    private final MessageIndexer indexer;
    private final SearchDialect dialect;
    private final int window;
    /** The ranked messages of one window: ids in [lo, hi]. */
    private final String messagesIn;
    /** The ranked titles and attachment texts, part of the first window, when their keys are not in its range. */
    private final String titlesAndAttachments;
    /** A window's lower bound: the window-th newest matching message id at most hi, and whether more follow. */
    private final String bound;

    public SearchIndex(Database db, MessageIndexer indexer) {
        this(db, indexer, DEFAULT_WINDOW);
    }

    SearchIndex(Database db, int window) {
        this(db, new MessageIndexer(db, 0), window);
    }

    private SearchIndex(Database db, MessageIndexer indexer, int window) {
        this.db = db;
        this.indexer = indexer;
        this.dialect = SearchDialect.of(db);
        this.window = Math.max(1, window);
        String ranked = "SELECT doc, rank FROM (" + dialect.ranked() + ") r";
        // The bounds are written into the SQL, not bound: PostgreSQL would otherwise settle on one generic plan for
        // every window after a few executions, scanning the key index across the whole table for a rare word.
        this.messagesIn = ranked + " WHERE key >= <lo> AND key <= <hi>";
        this.titlesAndAttachments = dialect.docsAboveMessages() ? null : ranked + " WHERE doc < 0";
        this.bound = "SELECT key FROM (" + dialect.matching() + ") r WHERE key > 0 AND key < " + SearchDialect.DOC_KEYS
                + " AND key <= <hi> ORDER BY key DESC LIMIT 2 OFFSET :skip";
    }

    public SearchPage search(SearchQuery query, int limit, String cursor) {
        Cursor after = cursor == null || cursor.isEmpty() ? null : Cursor.decode(cursor);
        String match = dialect.match(query);
        indexer.catchUp(); // messages still queued for the index (docs/api.md "Search", "Freshness")
        return db.readSnapshot(h -> { // one snapshot for the ranking and the details, without the write lock
            List<Ranked> ranked = new ArrayList<>();
            Window w = after == null ? window(h, match, Long.MAX_VALUE) : after.window();
            Cursor from = after;
            while (w != null) {
                ranked.addAll(rank(h, match, w, from, limit + 1 - ranked.size()));
                if (ranked.size() > limit || w.last()) {
                    break;
                }
                w = window(h, match, w.lo() - 1);
                from = null;
            }
            List<Ranked> page = ranked.subList(0, Math.min(limit, ranked.size()));
            List<SearchHit> hits = page.isEmpty() ? List.of() : hits(h, match, page);
            String next = null;
            if (ranked.size() > limit) {
                Ranked last = ranked.get(limit - 1);
                next = new Cursor(last.window().lo(), last.window().hi(), last.window().last(), last.rank(), last.doc())
                        .encode();
            }
            return new SearchPage(hits, next);
        });
    }

    /** One ranking window: index keys in [lo, hi]; the first ({@code hi} = max) also ranks titles and attachments. */
    record Window(long lo, long hi, boolean last) {
        boolean first() {
            return hi == Long.MAX_VALUE;
        }
    }

    private record Ranked(long doc, double rank, Window window) {
    }

    /** The window of the newest matching messages at most {@code hi}; null when none is left below the last. */
    private Window window(Handle h, String match, long hi) {
        if (hi < 1) {
            return null;
        }
        List<Long> bounds = h.createQuery(bound).bind("match", match).define("hi", hi).bind("skip", window - 1)
                .mapTo(Long.class).list();
        if (bounds.size() < 2) { // at most `window` matches left: this window ranks all of them
            return new Window(1, hi, true);
        }
        return new Window(bounds.get(0), hi, false);
    }

    /** Up to {@code n} hits of one window after {@code from} (when it points into this window), best first. */
    private List<Ranked> rank(Handle h, String match, Window w, Cursor from, int n) {
        List<Ranked> rows = new ArrayList<>(query(h, true, match, w, from, n));
        if (w.first() && titlesAndAttachments != null) {
            rows.addAll(query(h, false, match, w, from, n));
            rows.sort(Comparator.comparingDouble(Ranked::rank).thenComparingLong(Ranked::doc));
        }
        return rows.subList(0, Math.min(n, rows.size()));
    }

    private List<Ranked> query(Handle h, boolean messages, String match, Window w, Cursor from, int n) {
        String sql = messages ? messagesIn : titlesAndAttachments;
        var statement = h.createQuery(sql + (from == null ? "" : AFTER) + " ORDER BY rank, doc LIMIT :limit")
                .bind("match", match).bind("limit", n);
        if (messages) {
            statement.define("lo", w.lo()).define("hi", w.hi());
        }
        if (from != null) {
            statement.bind("afterRank", from.rank()).bind("afterDoc", from.doc());
        }
        return statement.map((rs, ctx) -> new Ranked(rs.getLong("doc"), rs.getDouble("rank"), w)).list();
    }

    /** A fixed number of queries per page whatever its size: snippets, message rows, title/attachment rows. */
    private List<SearchHit> hits(Handle h, String match, List<Ranked> page) {
        List<Long> docs = page.stream().map(Ranked::doc).toList();
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
        for (Ranked row : page) {
            long doc = row.doc();
            double score = -row.rank();
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

    /** Opaque to clients: the window, the rank's exact bits and the document id of the last hit of the page. */
    record Cursor(long lo, long hi, boolean last, double rank, long doc) {
        Window window() {
            return new Window(lo, hi, last);
        }

        String encode() {
            String text = lo + ":" + hi + ":" + (last ? 1 : 0) + ":" + Long.toHexString(Double.doubleToLongBits(rank))
                    + ":" + doc;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String cursor) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":", 5);
                if (parts.length == 5 && (parts[2].equals("0") || parts[2].equals("1"))) {
                    long lo = Long.parseLong(parts[0]);
                    long hi = Long.parseLong(parts[1]);
                    double rank = Double.longBitsToDouble(Long.parseUnsignedLong(parts[3], 16));
                    if (!Double.isNaN(rank) && lo >= 1 && lo <= hi) {
                        return new Cursor(lo, hi, parts[2].equals("1"), rank, Long.parseLong(parts[4]));
                    }
                }
            } catch (IllegalArgumentException e) {
                // reported below
            }
            throw ApiException.badRequest("Invalid cursor");
        }
    }
}
