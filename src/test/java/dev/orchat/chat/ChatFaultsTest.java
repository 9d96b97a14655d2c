package dev.orchat.chat;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.Db;
import dev.orchat.testing.FakeOpenRouter;
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
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every upstream fault ends with error + [DONE], a failed turn, partial text kept and a valid history (§4.13). */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class ChatFaultsTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, DIR);
    static final Db DB = new Db(DIR.resolve("chat.db"));
    static final String HI = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    @BeforeEach
    void resetFake() {
        FAKE.reset();
    }

    @AfterEach
    void serviceStaysHealthy() throws Exception {
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + APP.getLocalPort() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(DB.query("SELECT id FROM turns WHERE status = 'running'")).isEmpty();
    }

    record Turn(List<SseClient.Received> events, String sessionId, String turnId) {
        SseClient.Received last(int fromEnd) {
            return events.get(events.size() - 1 - fromEnd);
        }

        JsonNode named(String name) {
            return events.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow().json();
        }

        boolean has(String name) {
            return events.stream().anyMatch(e -> e.name().equals(name));
        }
    }

    static Turn run() throws Exception {
        try (SseClient.Stream stream = SseClient.post(APP.getLocalPort(), HI)) {
            assertThat(stream.status()).isEqualTo(200);
            List<SseClient.Received> events = stream.readAll();
            JsonNode session = events.get(0).json();
            for (int i = 0; i < events.size(); i++) {
                assertThat(events.get(i).id()).isEqualTo(Integer.toString(i + 1));
            }
            assertThat(events.get(events.size() - 1).data()).isEqualTo("[DONE]");
            return new Turn(events, session.get("session_id").asText(), session.get("turn_id").asText());
        }
    }

    static void assertFailed(Turn turn, int status, boolean retryable) {
        assertThat(turn.last(1).name()).isEqualTo("error");
        JsonNode error = turn.last(1).json();
        assertThat(error.get("status").asInt()).isEqualTo(status);
        assertThat(error.get("retryable").asBoolean()).isEqualTo(retryable);
        assertThat(error.get("detail").asText()).isNotBlank();
        Map<String, Object> row = DB.turn(turn.turnId());
        assertThat(row.get("status")).isEqualTo("failed");
        assertThat(row.get("error_status")).isEqualTo(status);
        assertThat(row.get("last_event_id")).isEqualTo(turn.events().size());
        assertThat(DB.query("SELECT role FROM messages WHERE session_id = ? AND role = 'user'", turn.sessionId())).hasSize(1);
        DB.assertToolPairing(turn.sessionId());
    }

    static String storedAssistantText(Turn turn) {
        List<Map<String, Object>> rows = DB.query("SELECT content, status FROM messages WHERE turn_id = ? AND role = 'assistant'", turn.turnId());
        assertThat(rows).hasSize(1);
        return rows.get(0).get("status") + ":" + rows.get(0).get("content");
    }

    @Test
    void retriesRateLimitsAndServerErrorsBeforeTheStreamThenSucceeds() throws Exception {
        FAKE.enqueue(Scripts.rateLimited(1), Scripts.httpError(500, "boom"), Scripts.text("fine"));
        Turn turn = run();
        assertThat(turn.has("error")).isFalse();
        assertThat(FAKE.chatRequestCount()).isEqualTo(3);
        assertThat(DB.turn(turn.turnId()).get("status")).isEqualTo("complete");
    }

    @Test
    void givesUpAfterMaxRetriesWithTheUpstreamStatus() throws Exception {
        FAKE.enqueue(Scripts.httpError(500, "down"), Scripts.httpError(502, "down"), Scripts.httpError(503, "still down"));
        Turn turn = run();
        assertFailed(turn, 503, true);
        assertThat(turn.named("error").get("detail").asText()).isEqualTo("still down");
        assertThat(turn.has("metadata")).isFalse();
        assertThat(FAKE.chatRequestCount()).isEqualTo(3);
    }

    @Test
    void clientErrorsAreNotRetried() throws Exception {
        FAKE.enqueue(Scripts.httpError(400, "bad model"));
        Turn turn = run();
        assertFailed(turn, 400, false);
        assertThat(FAKE.chatRequestCount()).isEqualTo(1);
    }

    @Test
    void midStreamErrorChunkFailsTheTurnAndKeepsPartialText() throws Exception {
        FAKE.enqueue(Scripts.midStreamError(429, "Rate limited mid-stream"));
        Turn turn = run();
        assertFailed(turn, 429, true);
        assertThat(turn.named("metadata").get("status").asText()).isEqualTo("failed");
        assertThat(storedAssistantText(turn)).startsWith("failed:");
        for (SseClient.Received e : turn.events()) {
            assertThat(e.data()).doesNotContain("Rate limited mid-stream\"}}");
        }
    }

    @Test
    void droppedConnectionIsA502WithPartialText() throws Exception {
        FAKE.enqueue(Scripts.dropAfter("partial ", "answer"));
        Turn turn = run();
        assertFailed(turn, 502, true);
        assertThat(storedAssistantText(turn)).isEqualTo("failed:partial answer");
    }

    @Test
    void stallPastTheTimeoutIsA504() throws Exception {
        FAKE.enqueue(Scripts.stallAfter("waiting"));
        Turn turn = run();
        assertFailed(turn, 504, true);
        assertThat(storedAssistantText(turn)).isEqualTo("failed:waiting");
    }

    @Test
    void endOfStreamWithoutDoneOrFinishReasonIsA502() throws Exception {
        FAKE.enqueue(Scripts.endWithoutDone("half"));
        Turn turn = run();
        assertFailed(turn, 502, true);
        assertThat(turn.named("error").get("detail").asText()).isEqualTo("Upstream stream ended unexpectedly");
    }

    @Test
    void malformedChunkIsSkippedAndTheTurnCompletes() throws Exception {
        FAKE.enqueue(Scripts.malformedThenText("all good"));
        Turn turn = run();
        assertThat(turn.has("error")).isFalse();
        assertThat(storedAssistantText(turn)).isEqualTo("complete:all good");
        assertThat(turn.events()).noneMatch(e -> e.data().contains("{oops"));
    }

    @Test
    void relaysUpstreamChunksByteForByte() throws Exception {
        String chunk = "{\"id\":\"gen-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"caf\\u00e9 \u2603\"},\"finish_reason\":null}],  \"x\":1}";
        FAKE.enqueue(Script.builder().chunk(chunk)
                .chunk("{\"id\":\"gen-1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}").done().build());
        Turn turn = run();
        assertThat(turn.events().get(1).data()).isEqualTo(chunk);
        assertThat(storedAssistantText(turn)).isEqualTo("complete:café ☃");
    }
}
