package dev.orchat.chat;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.Db;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.Scripts;
import dev.orchat.testing.SseClient;
import dev.orchat.testing.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Client disconnects and the cancel route abort the upstream within 1 s and leave a valid history (§4.14). */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class ChatCancelTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, DIR,
            TestApp.set("chat.detachGrace", "0s"), // today's behaviour: a client leaving cancels the turn
            TestApp.set("chat.maxConcurrentTurns", "150"),
            TestApp.set("openrouter.maxConnections", "200"),
            TestApp.set("openrouter.timeoutSeconds", "30"));
    static final Db DB = new Db(DIR.resolve("chat.db"));
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

    static String body(String sessionId) {
        return "{\"session_id\":\"" + sessionId + "\",\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";
    }

    @Test
    void hundredClientsDisconnectingMidStreamCancelHundredUpstreamStreamsWithinOneSecond() throws Exception {
        FAKE.setDefaultScript(Scripts.paced(600, 25));
        List<SseClient.Stream> streams = new ArrayList<>();
        List<String> turnIds = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            SseClient.Stream stream = SseClient.post(APP.getLocalPort(), body("disc-" + i));
            assertThat(stream.status()).isEqualTo(200);
            turnIds.add(stream.next().json().get("turn_id").asText());
            assertThat(stream.nextNamed("message")).isNotNull();
            streams.add(stream);
        }
        List<Instant> closedAt = new ArrayList<>();
        for (SseClient.Stream stream : streams) {
            stream.close();
            closedAt.add(Instant.now());
        }
        assertThat(FAKE.awaitCancelled(100, Duration.ofSeconds(10))).isTrue();
        List<Instant> cancelled = FAKE.cancellationTimes();
        assertThat(cancelled).hasSize(100);
        Instant lastClose = closedAt.get(closedAt.size() - 1);
        assertThat(cancelled).allSatisfy(t -> assertThat(Duration.between(lastClose, t)).isLessThan(Duration.ofSeconds(1)));
        awaitNoRunningTurns();
        for (String turnId : turnIds) {
            Map<String, Object> turn = DB.turn(turnId);
            assertThat(turn.get("status")).isEqualTo("cancelled");
            assertThat(turn.get("cancel_reason")).isEqualTo("client_disconnect");
        }
        List<Map<String, Object>> partial = DB.query("SELECT status, tool_calls FROM messages WHERE role = 'assistant' AND session_id = 'disc-0'");
        assertThat(partial).hasSize(1);
        assertThat(partial.get(0).get("status")).isEqualTo("cancelled");
        assertThat(partial.get(0).get("tool_calls")).isNull();
    }

    @Test
    void disconnectWhileTheUpstreamIsSilentIsNoticedWithinOneSecond() throws Exception {
        FAKE.enqueue(Scripts.stallAfter("thinking"));
        SseClient.Stream stream = SseClient.post(APP.getLocalPort(), body("silent"));
        assertThat(stream.nextNamed("message")).isNotNull();
        Thread.sleep(300); // let the upstream go quiet
        stream.close();
        Instant closed = Instant.now();
        assertThat(FAKE.awaitCancelled(1, Duration.ofSeconds(5))).isTrue();
        assertThat(Duration.between(closed, FAKE.cancellationTimes().get(0))).isLessThan(Duration.ofSeconds(1));
        awaitNoRunningTurns();
    }

    @Test
    void cancelRouteStopsTheTurnAndAnswersAfterItsFinalState() throws Exception {
        FAKE.enqueue(Scripts.stallAfter("partial"));
        try (SseClient.Stream stream = SseClient.post(APP.getLocalPort(), body("cancel-me"))) {
            String turnId = stream.next().json().get("turn_id").asText();
            // The first message event may be the role-only chunk: cancel only once "partial" has been relayed, so
            // the stored assistant message must hold it.
            SseClient.Received chunk = stream.nextNamed("message");
            while (chunk != null && !chunk.data().contains("partial")) {
                chunk = stream.nextNamed("message");
            }
            assertThat(chunk).isNotNull();

            HttpResponse<String> conflict = post("/api/chat/stream", body("cancel-me"));
            assertThat(conflict.statusCode()).isEqualTo(409);
            assertThat(JSON.readTree(conflict.body()).get("detail").asText())
                    .isEqualTo("A turn is already in progress for this session");

            Instant requested = Instant.now();
            HttpResponse<String> cancel = post("/api/chat/session/cancel-me/cancel", "");
            assertThat(cancel.statusCode()).isEqualTo(200);
            JsonNode answer = JSON.readTree(cancel.body());
            assertThat(answer.get("cancelled").asBoolean()).isTrue();
            assertThat(answer.get("turn_id").asText()).isEqualTo(turnId);
            assertThat(DB.turn(turnId).get("status")).isEqualTo("cancelled");
            assertThat(DB.turn(turnId).get("cancel_reason")).isEqualTo("user_cancel");
            assertThat(FAKE.awaitCancelled(1, Duration.ofSeconds(1))).isTrue();
            assertThat(Duration.between(requested, FAKE.cancellationTimes().get(0))).isLessThan(Duration.ofSeconds(1));

            List<SseClient.Received> rest = stream.readAll();
            SseClient.Received last = rest.get(rest.size() - 1);
            assertThat(last.data()).isEqualTo("[DONE]");
            JsonNode metadata = rest.stream().filter(e -> e.name().equals("metadata")).findFirst().orElseThrow().json();
            assertThat(metadata.get("status").asText()).isEqualTo("cancelled");
            assertThat(DB.turn(turnId).get("last_event_id")).isEqualTo(Integer.parseInt(last.id()));
        }
        assertThat(DB.query("SELECT content, status FROM messages WHERE session_id = 'cancel-me' AND role = 'assistant'"))
                .containsExactly(Map.of("content", "partial", "status", "cancelled"));
        FAKE.enqueue(Scripts.text("again"));
        try (SseClient.Stream next = SseClient.post(APP.getLocalPort(), body("cancel-me"))) {
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.readAll()).noneMatch(e -> e.name().equals("error"));
        }
    }

    @Test
    void cancelWithNothingRunningAndUnknownSessions() throws Exception {
        FAKE.enqueue(Scripts.text("done"));
        try (SseClient.Stream stream = SseClient.post(APP.getLocalPort(), body("idle-session"))) {
            stream.readAll();
        }
        HttpResponse<String> idle = post("/api/chat/session/idle-session/cancel", "");
        assertThat(idle.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(idle.body());
        assertThat(answer.get("cancelled").asBoolean()).isFalse();
        assertThat(answer.get("turn_id").isNull()).isTrue();
        assertThat(post("/api/chat/session/nobody/cancel", "").statusCode()).isEqualTo(404);
    }

    @Test
    void deletingTheSessionCancelsItsRunningTurn() throws Exception {
        FAKE.enqueue(Scripts.stallAfter("soon gone"));
        try (SseClient.Stream stream = SseClient.post(APP.getLocalPort(), body("doomed"))) {
            assertThat(stream.nextNamed("message")).isNotNull();
            HttpResponse<String> deleted = HTTP.send(HttpRequest.newBuilder(uri("/api/chat/session/doomed")).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(deleted.statusCode()).isEqualTo(204);
            List<SseClient.Received> rest = stream.readAll();
            assertThat(rest.get(rest.size() - 1).data()).isEqualTo("[DONE]");
        }
        assertThat(DB.query("SELECT id FROM sessions WHERE id = 'doomed'")).isEmpty();
        assertThat(FAKE.awaitCancelled(1, Duration.ofSeconds(1))).isTrue();
    }

    static void awaitNoRunningTurns() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!DB.query("SELECT id FROM turns WHERE status = 'running'").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(DB.query("SELECT id FROM turns WHERE status = 'running'")).isEmpty();
    }

    static URI uri(String path) {
        return URI.create("http://localhost:" + APP.getLocalPort() + path);
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
