package dev.orchat.chat;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.RecordedRequest;
import dev.orchat.testing.Script;
import dev.orchat.testing.Scripts;
import dev.orchat.testing.SseClient;
import dev.orchat.testing.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class ChatStreamTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final java.nio.file.Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, DIR);
    static final dev.orchat.testing.Db DB = new dev.orchat.testing.Db(DIR.resolve("chat.db"));
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    @BeforeEach
    void resetFake() {
        FAKE.reset();
    }

    @Test
    void streamsATurnIncrementallyInOrderAndStoresIt() throws Exception {
        FAKE.enqueue(Script.builder()
                .append(Scripts.text("Hel"))
                .build());
        FAKE.enqueue(Scripts.text("Hello", " world"));
        try (SseClient.Stream first = SseClient.post(APP.getLocalPort(),
                "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi there\",\"client_message_id\":\"u1\"}]}")) {
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.response().headers().firstValue("content-type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("text/event-stream"));
            List<SseClient.Received> events = first.readAll();
            assertThat(events.get(0).name()).isEqualTo("session");
            for (int i = 0; i < events.size(); i++) {
                assertThat(events.get(i).id()).isEqualTo(Integer.toString(i + 1));
            }
            assertThat(events.get(events.size() - 1).data()).isEqualTo("[DONE]");
            assertThat(events.get(events.size() - 2).name()).isEqualTo("metadata");
            JsonNode session = events.get(0).json();
            assertThat(session.get("new_session").asBoolean()).isTrue();
            String sessionId = session.get("session_id").asText();
            JsonNode metadata = events.get(events.size() - 2).json();
            assertThat(metadata.get("status").asText()).isEqualTo("complete");
            assertThat(metadata.get("message_id").isNumber()).isTrue();

            JsonNode history = getJson("/api/chat/session/" + sessionId);
            JsonNode messages = history.get("messages");
            assertThat(messages).hasSize(2);
            assertThat(messages.get(0).get("role").asText()).isEqualTo("user");
            assertThat(messages.get(1).get("content").asText()).isEqualTo("Hel");

            try (SseClient.Stream second = SseClient.post(APP.getLocalPort(), "{\"session_id\":\"" + sessionId
                    + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Again\"}]}")) {
                List<SseClient.Received> more = second.readAll();
                assertThat(more.get(0).json().get("new_session").asBoolean()).isFalse();
            }
            RecordedRequest upstream = FAKE.lastChatRequest();
            JsonNode wire = upstream.json().get("messages");
            assertThat(wire).hasSize(4);
            assertThat(wire.get(0).get("role").asText()).isEqualTo("system");
            assertThat(wire.get(0).get("content").asText()).contains("Current date and time:").contains("America/New_York");
            assertThat(wire.get(1).toString()).isEqualTo("{\"role\":\"user\",\"content\":\"Hi there\"}");
            assertThat(wire.get(2).toString()).isEqualTo("{\"role\":\"assistant\",\"content\":\"Hel\"}");
            assertThat(wire.get(3).get("content").asText()).isEqualTo("Again");
            assertThat(upstream.json().get("stream").asBoolean()).isTrue();
            assertThat(upstream.json().get("usage").get("include").asBoolean()).isTrue();
            assertThat(upstream.header("authorization")).isEqualTo("Bearer test-key");
            assertThat(upstream.header("accept")).isEqualTo("text/event-stream");
            assertThat(FAKE.acceptedConnections()).as("both hops reuse one pooled keep-alive connection").isEqualTo(1);

            // Per-hop generations rows and the usage/cost sums of turns and the session (docs/architecture.md §7, §4.8).
            String turnId = session.get("turn_id").asText();
            var generation = DB.query("SELECT hop, status, generation_id, model, provider, prompt_tokens, completion_tokens,"
                    + " cost, message_id, routing, first_token_at FROM generations WHERE turn_id = ?", turnId);
            assertThat(generation).hasSize(1);
            assertThat(generation.get(0)).containsEntry("hop", 1).containsEntry("status", "complete")
                    .containsEntry("cost", 0.00012).containsEntry("message_id", metadata.get("message_id").asInt());
            assertThat((String) generation.get(0).get("generation_id")).startsWith("gen-");
            assertThat((String) generation.get(0).get("routing")).contains("x-request-id");
            assertThat(generation.get(0).get("first_token_at")).isNotNull();
            assertThat(DB.turn(turnId)).containsEntry("status", "complete").containsEntry("hop_count", 1)
                    .containsEntry("cost", 0.00012).containsEntry("last_event_id", events.size());
            assertThat(metadata.get("turn_cost").asDouble()).isEqualTo(0.00012);
            assertThat(DB.query("SELECT total_cost, message_count FROM sessions WHERE id = ?", sessionId).get(0))
                    .containsEntry("total_cost", 0.00024).containsEntry("message_count", 4);
        }
    }

    @Test
    void eventsArriveAsTheUpstreamProducesThemNotAtTheEnd() throws Exception {
        FAKE.enqueue(Scripts.paced(5, 200));
        try (SseClient.Stream stream = SseClient.post(APP.getLocalPort(), "{\"messages\":[{\"role\":\"user\",\"content\":\"slow\"}]}")) {
            List<SseClient.Received> events = stream.readAll();
            List<SseClient.Received> content = events.stream()
                    .filter(e -> e.name().equals("message") && e.data().contains("\"content\":\"tok")).toList();
            assertThat(content).hasSize(5);
            for (int i = 1; i < content.size(); i++) {
                long gapMillis = (content.get(i).nanos() - content.get(i - 1).nanos()) / 1_000_000;
                // The fake waits 200 ms between chunks; a buffered relay would deliver them together.
                assertThat(gapMillis).as("gap before chunk %d", i).isGreaterThan(100);
            }
            assertThat(events.get(events.size() - 1).data()).isEqualTo("[DONE]");
        }
    }

    @Test
    void wireLayoutIsIdEventDataThenOneBlankLine() throws Exception {
        FAKE.enqueue(Scripts.text("x"));
        HttpResponse<String> raw = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort()
                + "/api/chat/stream")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        String body = raw.body();
        assertThat(body).startsWith("id: 1\nevent: session\ndata: {\"session_id\":");
        assertThat(body).contains("\n\nid: 2\nevent: message\ndata: {");
        assertThat(body).endsWith("event: message\ndata: [DONE]\n\n");
        assertThat(body).doesNotContain("\n\n\n").doesNotContain("\r");
        assertThat(raw.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
        assertThat(raw.headers().firstValue("cache-control")).hasValue("no-cache");
        assertThat(raw.headers().firstValue("x-accel-buffering")).hasValue("no");
        assertThat(raw.headers().firstValue("content-encoding")).isEmpty();
    }

    static JsonNode getJson(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + APP.getLocalPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
