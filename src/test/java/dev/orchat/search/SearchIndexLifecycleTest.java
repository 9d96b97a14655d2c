package dev.orchat.search;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.testing.ChildApp;
import dev.orchat.testing.Db;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.Scripts;
import dev.orchat.testing.SseClient;
import dev.orchat.testing.TestApp;
import dev.orchat.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The index across process death and across {@code db migrate} on a database that predates it. */
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class SearchIndexLifecycleTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final ObjectMapper JSON = new ObjectMapper();

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    /** On PostgreSQL runs the child uses the test folder's own database, as the in-process apps do. */
    static Map<String, String> env(Path dir) {
        return Map.of("DATA_DIR", dir.toString(), "DATABASE_URL", TestDatabase.urlFor(dir),
                "ATTACHMENTS_DIR", dir.resolve("uploads").toString(), "MCP_SERVERS_PATH", dir.resolve("mcp_servers.json").toString(),
                "OPENROUTER_BASE_URL", FAKE.baseUrl().toString(),
                "OPENROUTER_API_KEY", "child-key", "OPENROUTER_FLAVOR", "openrouter");
    }

    static JsonNode search(int port, String q) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/search?q=" + q)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("hits");
    }

    @Test
    void killMinus9MidTurnLeavesTheIndexConsistent() throws Exception {
        Path dir = TestApp.tempDir();
        Db db = new Db(dir.resolve("chat.db"));
        ChildApp first = ChildApp.start(env(dir));
        try {
            FAKE.enqueue(Scripts.text("an aardvark answer"));
            try (SseClient.Stream done = SseClient.post(first.port,
                    "{\"session_id\":\"crash\",\"messages\":[{\"role\":\"user\",\"content\":\"aardvark question\"}]}")) {
                done.readAll();
            }
            FAKE.enqueue(Scripts.stallAfter("half an ans"));
            try (SseClient.Stream stream = SseClient.post(first.port,
                    "{\"session_id\":\"crash\",\"messages\":[{\"role\":\"user\",\"content\":\"tell me about the okapi\"}]}")) {
                assertThat(stream.nextNamed("message")).isNotNull();
                first.kill();
            }
        } finally {
            first.kill();
        }
        SearchConsistency.assertConsistent(db);
        try (ChildApp second = ChildApp.start(env(dir))) {
            awaitNoRunningTurn(db);
            SearchConsistency.assertConsistent(db);
            assertThat(search(second.port, "okapi")).extracting(h -> h.get("role").asText()).containsExactly("user");
            assertThat(search(second.port, "aardvark")).hasSize(3); // title, question, answer
            FAKE.enqueue(Scripts.text("the okapi is a giraffid"));
            try (SseClient.Stream again = SseClient.post(second.port,
                    "{\"session_id\":\"crash\",\"messages\":[{\"role\":\"user\",\"content\":\"again\"}]}")) {
                again.readAll();
            }
            assertThat(search(second.port, "giraffid")).hasSize(1);
            SearchConsistency.assertConsistent(db);
        }
    }

    /**
     * The killed instance's turn is repaired at once on SQLite; on PostgreSQL (several instances) only when the dead
     * instance's lease has ended (docs/operations.md, "Several instances"), up to a lease (10 s by default) later.
     */
    static void awaitNoRunningTurn(Db db) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!db.query("SELECT id FROM turns WHERE status = 'running'").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        assertThat(db.query("SELECT id FROM turns WHERE status = 'running'")).as("turns still running").isEmpty();
    }

    /** Ids of the index rows that match {@code query}, written in the database's own syntax. */
    static List<Long> indexed(Db db, String fts5, String tsquery) {
        List<Map<String, Object>> rows = TestDatabase.postgres()
                ? db.query("SELECT doc AS id FROM search_index WHERE vector @@ to_tsquery('orchat_search', ?)", tsquery)
                : db.query("SELECT CASE WHEN rowid >= 4611686018427387904 THEN 4611686018427387904 - rowid ELSE rowid END AS id"
                        + " FROM search_fts WHERE search_fts MATCH ?", fts5); // titles/attachments as -doc_id (migration 009)
        return rows.stream().map(r -> ((Number) r.get("id")).longValue()).toList();
    }

    /** Removes the search index and its changesets, as on a database migrated before the index existed. */
    static void dropIndex(Db db) {
        if (TestDatabase.postgres()) {
            db.update("DROP TABLE search_index");
            db.update("DROP TABLE search_pending");
            db.update("DROP TABLE search_docs"); // and its triggers
            for (String trigger : new String[]{"search_message_insert ON messages", "search_message_update ON messages",
                    "search_message_delete ON messages", "search_title_insert ON sessions", "search_title_update ON sessions"}) {
                db.update("DROP TRIGGER " + trigger);
            }
            for (String function : new String[]{"orchat_search_message_insert()", "orchat_search_message_update()",
                    "orchat_search_message_delete()", "orchat_search_title_insert()", "orchat_search_title_update()",
                    "orchat_search_doc_insert()", "orchat_search_doc_delete()", "orchat_search_vector(text, text)",
                    "orchat_search_text(text, text)", "orchat_search_prepare(text)"}) {
                db.update("DROP FUNCTION " + function);
            }
            db.update("DROP TEXT SEARCH CONFIGURATION orchat_search");
            db.update("DELETE FROM databasechangelog WHERE id LIKE '008-%' OR id LIKE '010-%'");
            return;
        }
        for (String trigger : new String[]{"search_message_insert", "search_message_delete", "search_title_insert",
                "search_title_update", "search_doc_insert", "search_doc_delete"}) {
            db.update("DROP TRIGGER " + trigger);
        }
        db.update("DROP TABLE search_fts");
        db.update("DROP TABLE search_docs");
        db.update("DROP TABLE search_pending");
        db.update("DELETE FROM databasechangelog WHERE id LIKE '005-%' OR id LIKE '009-%' OR id LIKE '010-%'");
    }

    /** A database migrated before the index existed, with history in it: {@code db migrate} indexes that history. */
    @Test
    void dbMigrateBuildsTheIndexForExistingHistory() throws Exception {
        Path dir = TestApp.tempDir();
        Db db = new Db(dir.resolve("chat.db"));
        assertThat(ChildApp.run(env(dir), "db", "migrate", "config.yml").exitCode()).isZero();
        dropIndex(db);
        String now = "2026-01-01T00:00:00.000Z";
        db.update("INSERT INTO sessions (id, title, created_at, updated_at) VALUES ('old', 'Capybara diaries', ?, ?)", now, now);
        db.update("INSERT INTO turns (id, session_id, seq, status, started_at) VALUES ('t1', 'old', 1, 'complete', ?)", now);
        db.update("INSERT INTO messages (session_id, turn_id, position, role, content, content_kind, created_at)"
                + " VALUES ('old', 't1', 1, 'user', 'how big is a tapir', 'text', ?)", now);
        db.update("INSERT INTO messages (session_id, turn_id, position, role, content, content_kind, created_at)"
                + " VALUES ('old', 't1', 2, 'user', ?, 'parts', ?)",
                "[{\"type\":\"text\",\"text\":\"and a quagga\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"att:x\"}}]", now);

        ChildApp.Result migrate = ChildApp.run(env(dir), "db", "migrate", "config.yml");
        assertThat(migrate.exitCode()).as(migrate.output()).isZero();
        SearchConsistency.assertConsistent(db);
        assertThat(indexed(db, "tapir", "tapir")).hasSize(1);
        assertThat(indexed(db, "quagga", "quagga")).hasSize(1);
        assertThat(indexed(db, "image_url OR att", "image_url | att")).isEmpty();
        assertThat(indexed(db, "capybara", "capybara")).allMatch(id -> id < 0).hasSize(1);
    }
}
