package dev.orchat.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchat.db.Database;
import dev.orchat.db.Migrations;
import dev.orchat.testing.TestApp;
import dev.orchat.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Ranking windows (docs/api.md "Search", "Ranking"): with more matching messages than a window, hits come window by
 * window, newest messages first, each window ranked by relevance, titles and attachment texts in the first one;
 * paging reaches every match exactly once. Run with a window of 4 so that a handful of rows spans several.
 */
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class SearchWindowsTest {
    static Database db;
    /** Ids of the messages that contain "quokka", in insertion order (= id order). */
    static final List<Long> QUOKKA_MESSAGES = new ArrayList<>();

    @BeforeAll
    static void history() throws Exception {
        QUOKKA_MESSAGES.clear(); // a re-run of the class starts over
        Path dir = TestApp.tempDir();
        DataSource ds = TestDatabase.dataSource(dir);
        Migrations.apply(ds);
        try (Connection c = ds.getConnection()) {
            PreparedStatement session = c.prepareStatement("INSERT INTO sessions (id, title, title_source, created_at,"
                    + " updated_at, message_count, next_position) VALUES (?, ?, 'auto', 'x', 'x', 0, 100)");
            PreparedStatement turn = c.prepareStatement("INSERT INTO turns (id, session_id, seq, status, started_at)"
                    + " VALUES (?, ?, 1, 'complete', 'x')");
            PreparedStatement message = c.prepareStatement("INSERT INTO messages (session_id, turn_id, position, role,"
                    + " content, content_kind, created_at) VALUES (?, ?, ?, 'user', ?, 'text', 'x') RETURNING id");
            for (int s = 0; s < 3; s++) {
                session.setString(1, "w" + s);
                session.setString(2, s == 0 ? "quokka habits" : "other things " + s);
                session.executeUpdate();
                turn.setString(1, "t" + s);
                turn.setString(2, "w" + s);
                turn.executeUpdate();
            }
            for (int i = 0; i < 23; i++) {
                // Varying counts and lengths, so scores differ inside a window; every third message does not match.
                String text = i % 3 == 2 ? "a wombat only " + i
                        : "quokka ".repeat(1 + i % 4) + "filler words ".repeat(i % 5) + i;
                message.setString(1, "w" + (i % 3));
                message.setString(2, "t" + (i % 3));
                message.setInt(3, i + 1);
                message.setString(4, text);
                try (var rs = message.executeQuery()) {
                    rs.next();
                    if (i % 3 != 2) {
                        QUOKKA_MESSAGES.add(rs.getLong(1));
                    }
                }
            }
        }
        db = TestDatabase.database(Jdbi.create(ds), 2);
    }

    static List<SearchHit> all(SearchIndex index, String q, int limit) {
        List<SearchHit> hits = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            SearchPage page = index.search(SearchQuery.parse(q), limit, cursor);
            assertThat(page.hits().size()).isLessThanOrEqualTo(limit);
            hits.addAll(page.hits());
            cursor = page.nextCursor();
            assertThat(++pages).as("pages end").isLessThan(100);
        } while (cursor != null);
        return hits;
    }

    static String key(SearchHit h) {
        return h.source() + ":" + h.sessionId() + ":" + h.messageId();
    }

    @Test
    void everyMatchOnceWindowByWindowNewestFirst() {
        int window = 4;
        for (int limit : List.of(1, 3, 4, 5, 20)) {
            List<SearchHit> windowed = all(new SearchIndex(db, window), "quokka", limit);
            List<SearchHit> whole = all(new SearchIndex(db, 1000), "quokka", 100);
            Set<String> seen = new HashSet<>();
            windowed.forEach(h -> assertThat(seen.add(key(h))).as("no repeat, limit %d", limit).isTrue());
            assertThat(seen).as("limit %d", limit).isEqualTo(new HashSet<>(whole.stream().map(SearchWindowsTest::key).toList()));
            assertThat(whole).hasSize(QUOKKA_MESSAGES.size() + 1); // the messages and the one matching title

            // Expected windows: the newest 4 matching messages (and the title), then the next 4, …
            List<Long> newestFirst = QUOKKA_MESSAGES.stream().sorted(Comparator.reverseOrder()).toList();
            int start = 0;
            for (int w = 0; start < windowed.size(); w++) {
                List<Long> members = newestFirst.subList(Math.min(w * window, newestFirst.size()),
                        Math.min((w + 1) * window, newestFirst.size()));
                int size = members.size() + (w == 0 ? 1 : 0);
                List<SearchHit> part = windowed.subList(start, start + size);
                boolean first = w == 0;
                assertThat(part).as("window %d, limit %d", w, limit)
                        .allMatch(h -> h.messageId() == null ? first : members.contains(h.messageId()));
                assertThat(part).extracting(SearchHit::score).isSortedAccordingTo(Comparator.reverseOrder());
                start += size;
            }
        }
    }

    @Test
    void fewerMatchesThanAWindowRankAsAWhole() {
        List<String> small = all(new SearchIndex(db, 4), "wombat", 2).stream().map(SearchWindowsTest::key).toList();
        List<String> whole = all(new SearchIndex(db, 1000), "wombat", 2).stream().map(SearchWindowsTest::key).toList();
        assertThat(whole).hasSize(7); // more than the window: the windows must still cover every match
        assertThat(small).containsExactlyInAnyOrderElementsOf(whole);
        List<SearchHit> title = all(new SearchIndex(db, 4), "habits", 5);
        assertThat(title).extracting(SearchHit::source).containsExactly("title");
        List<SearchHit> one = all(new SearchIndex(db, 4), "\"only 5\"", 5);
        assertThat(one).extracting(SearchHit::messageId).hasSize(1);
    }

    @Test
    void prefixTermsPageAcrossWindowsWithSnippets() {
        List<SearchHit> hits = all(new SearchIndex(db, 4), "quok*", 3);
        assertThat(hits).hasSize(QUOKKA_MESSAGES.size() + 1);
        assertThat(hits).allMatch(h -> h.snippet().contains("<mark>quokka"), "every hit has its snippet");
    }
}
