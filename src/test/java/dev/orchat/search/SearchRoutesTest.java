package dev.orchat.search;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.Db;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.Scripts;
import dev.orchat.testing.SseClient;
import dev.orchat.testing.TestApp;
import dev.orchat.testing.TestDatabase;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code GET /api/search} over real turns, and the index after every kind of deletion (docs/api.md "Search"). */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class SearchRoutesTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, DIR);
    static final Db DB = new Db(DIR.resolve("chat.db"));
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    @AfterEach
    void indexStaysConsistent() {
        SearchConsistency.assertConsistent(DB);
    }

    static void turn(String sessionId, String user, String assistant) throws Exception {
        FAKE.enqueue(Scripts.text(assistant));
        String body = JSON.createObjectNode().put("session_id", sessionId).set("messages",
                JSON.createArrayNode().add(JSON.createObjectNode().put("role", "user").put("content", user))).toString();
        try (SseClient.Stream stream = SseClient.post(APP.getLocalPort(), body)) {
            assertThat(stream.status()).isEqualTo(200);
            stream.readAll();
        }
    }

    static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort() + path));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> search(String q, String extra) throws Exception {
        return send("GET", "/api/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + extra, null);
    }

    static JsonNode hits(String q) throws Exception {
        HttpResponse<String> r = search(q, "");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("hits");
    }

    @Test
    void findsWordsPhrasesPrefixesAndExclusionsWithEscapedHighlightedSnippets() throws Exception {
        turn("s-trip", "Planning a trip to Lisbon: trams & <b>pastéis</b>", "The old town tram 28 is scenic.");
        turn("s-work", "Lisbon office budget for next year", "Budget noted.");
        JsonNode lisbon = hits("lisbon");
        assertThat(lisbon).extracting(h -> h.get("session_id").asText()).contains("s-trip", "s-work");
        JsonNode pasteis = hits("pasteis"); // diacritics folded
        assertThat(pasteis).extracting(h -> h.get("source").asText()).containsExactly("title", "message"); // titles weigh more
        JsonNode user = pasteis.get(1);
        assertThat(user.get("session_id").asText()).isEqualTo("s-trip");
        assertThat(user.get("role").asText()).isEqualTo("user");
        assertThat(user.get("source").asText()).isEqualTo("message");
        assertThat(user.get("message_id").asLong()).isPositive();
        assertThat(user.get("title").asText()).startsWith("Planning a trip");
        assertThat(user.get("created_at").asText()).matches("\\d{4}-.*Z");
        assertThat(user.get("score").asDouble()).isPositive();
        assertThat(user.get("snippet").asText()).contains("&lt;b&gt;<mark>pastéis</mark>&lt;/b&gt;")
                .contains("trams &amp;").doesNotContain("<b>");
        JsonNode phrase = hits("\"old town\"");
        assertThat(phrase).hasSize(1);
        assertThat(phrase.get(0).get("role").asText()).isEqualTo("assistant");
        assertThat(phrase.get(0).get("snippet").asText()).isEqualTo("The <mark>old town</mark> tram 28 is scenic.");
        assertThat(hits("\"town old\"")).isEmpty();
        assertThat(hits("tram*")).extracting(h -> h.get("role").asText()).contains("user", "assistant");
        assertThat(hits("lisbon -budget")).extracting(h -> h.get("session_id").asText()).containsOnly("s-trip");
        assertThat(hits("lisbon budget")).extracting(h -> h.get("session_id").asText()).containsOnly("s-work");
    }

    @Test
    void titlesMatchAndFollowRenames() throws Exception {
        turn("s-title", "something unrelated", "fine");
        assertThat(send("PATCH", "/api/chat/session/s-title", "{\"title\":\"Zanzibar spice notes\"}").statusCode()).isEqualTo(200);
        JsonNode hit = hits("zanzibar").get(0);
        assertThat(hit.get("source").asText()).isEqualTo("title");
        assertThat(hit.get("session_id").asText()).isEqualTo("s-title");
        assertThat(hit.get("message_id").isNull()).isTrue();
        assertThat(hit.get("snippet").asText()).isEqualTo("<mark>Zanzibar</mark> spice notes");
        send("PATCH", "/api/chat/session/s-title", "{\"title\":\"Madagascar vanilla\"}");
        assertThat(hits("zanzibar")).isEmpty();
        assertThat(hits("vanilla")).extracting(h -> h.get("session_id").asText()).containsExactly("s-title");
        send("PATCH", "/api/chat/session/s-title", "{\"title\":null}"); // back to the automatic title
        assertThat(hits("vanilla")).isEmpty();
        assertThat(hits("unrelated")).extracting(h -> h.get("source").asText()).containsExactlyInAnyOrder("title", "message");
    }

    @Test
    void pagesWithACursorWithoutRepeatsOrGaps() throws Exception {
        for (int i = 0; i < 4; i++) {
            turn("s-page-" + i, "quokka number " + i + (i % 2 == 0 ? " quokka quokka" : ""), "a quokka reply " + i);
        }
        Set<String> seen = new HashSet<>();
        List<Double> scores = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            HttpResponse<String> r = search("quokka", "&limit=3" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode page = JSON.readTree(r.body());
            assertThat(page.get("hits").size()).isLessThanOrEqualTo(3);
            for (JsonNode h : page.get("hits")) {
                assertThat(seen.add(h.get("session_id").asText() + "/" + h.get("message_id").asText())).isTrue();
                scores.add(h.get("score").asDouble());
            }
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(seen).hasSize(8 + 4); // 8 messages and 4 automatic titles
        assertThat(pages).isEqualTo(4);
        assertThat(scores).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    }

    @Test
    void badQueriesAreClientErrorsWithADetail() throws Exception {
        for (String q : List.of("", "\"open", "-alone", "*", "a*b", "-", "\"\"")) {
            HttpResponse<String> r = search(q, "");
            assertThat(r.statusCode()).as(q).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).get("detail").asText()).as(q).isNotBlank();
        }
        assertThat(send("GET", "/api/search", null).statusCode()).isEqualTo(400);
        assertThat(search("x", "&limit=0").statusCode()).isEqualTo(422);
        assertThat(search("x", "&limit=abc").statusCode()).isEqualTo(422);
        assertThat(search("x", "&cursor=!!!").statusCode()).isEqualTo(400);
        assertThat(search("x", "&cursor=" + java.util.Base64.getUrlEncoder().encodeToString("zz:1".getBytes())).statusCode()).isEqualTo(400);
        for (String q : List.of("a OR b", "NEAR(a b)", "title:x", "^x", "(", ")", "x AND", "{a b}", "\u0000", "'", "a:b*",
                "it's", "a\\b", "x:*", "x:A", "!x", "a & b | c", "a <-> b", "a <2> b", "'a' & 'b'", "x\u0000y", "\"a'b\"*",
                "-\"x\\\\'\"", "a\u0001b", "é:*", "<b>", "a.b@c:d/e", "\\", "''")) {
            assertThat(search(q, "").statusCode()).as(q).isIn(200, 400);
        }
    }

    @Test
    void deletedMessagesSessionsAndPurgedSessionsLeaveTheIndex() throws Exception {
        turn("s-del", "first wombat question", "wombat answer one");
        turn("s-del", "second platypus question", "platypus answer");
        turn("s-gone", "echidna facts", "echidna reply");
        turn("s-purge", "numbat facts", "numbat reply");
        assertThat(hits("platypus")).hasSize(2);
        long userId = hits("second platypus").get(0).get("message_id").asLong();
        assertThat(send("DELETE", "/api/chat/session/s-del/messages/" + userId, null).statusCode()).isEqualTo(204);
        assertThat(hits("platypus")).isEmpty(); // the turn's assistant reply went with it
        assertThat(hits("wombat")).hasSize(3); // title, question, answer

        assertThat(send("DELETE", "/api/chat/session/s-gone", null).statusCode()).isEqualTo(204);
        assertThat(hits("echidna")).isEmpty();

        HttpResponse<String> purge = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getAdminPort()
                + "/tasks/purge-sessions?session=s-purge&dry_run=false")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(purge.body()).contains("sessions=1");
        assertThat(hits("numbat")).isEmpty();
        assertThat(DB.query("SELECT * FROM search_docs WHERE session_id IN ('s-gone', 's-purge')")).isEmpty();
    }

    /**
     * The check run after every test notices a message missing from the index, an index row left behind and (on
     * PostgreSQL) a stale vector, so a trigger that stopped firing on delete, purge or retention would fail these tests.
     */
    @Test
    void theConsistencyCheckNoticesADriftedIndex() throws Exception {
        turn("s-drift", "marmot facts", "marmot reply");
        long id = 0;
        for (JsonNode h : hits("marmot facts")) {
            id = "message".equals(h.get("source").asText()) ? h.get("message_id").asLong() : id;
        }
        assertThat(id).isPositive();
        boolean pg = TestDatabase.postgres();
        String index = pg ? "search_index" : "search_fts";
        String key = pg ? "doc" : "rowid";
        String reindex = pg
                ? "INSERT INTO search_index (doc, vector) SELECT id, orchat_search_vector(orchat_search_text(content_kind, content), 'D')"
                        + " FROM messages WHERE id = ?"
                : "INSERT INTO search_fts (rowid, title, body) SELECT id, NULL, content FROM messages WHERE id = ?";

        DB.update("DELETE FROM " + index + " WHERE " + key + " = ?", id);
        assertThatThrownBy(() -> SearchConsistency.assertConsistent(DB)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("missing from the index");
        DB.update(reindex, id);
        SearchConsistency.assertConsistent(DB);

        DB.update(pg ? "INSERT INTO search_index (doc, vector) VALUES (999999999, to_tsvector('simple', 'ghost'))"
                : "INSERT INTO search_fts (rowid, title, body) VALUES (999999999, NULL, 'ghost')");
        assertThatThrownBy(() -> SearchConsistency.assertConsistent(DB)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("deleted messages");
        DB.update("DELETE FROM " + index + " WHERE " + key + " = 999999999");

        if (pg) {
            DB.update("UPDATE search_index SET vector = to_tsvector('simple', 'stale') WHERE doc = ?", id);
            assertThatThrownBy(() -> SearchConsistency.assertConsistent(DB)).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("out of date");
            DB.update("DELETE FROM search_index WHERE doc = ?", id);
            DB.update(reindex, id);
        }
        assertThat(hits("marmot")).hasSize(3);
    }
}
