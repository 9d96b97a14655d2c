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
import dev.orchat.testing.ToolCallSpec;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A turn with a tool round on the built-in servers (docs/api.md §3.2, §7.2–7.3). */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class BuiltinToolTurnTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, DIR);
    static final ObjectMapper JSON = new ObjectMapper();

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    @Test
    void twoCallsInOneHopRunAndTheNextHopCarriesTheirResultsInOrder() throws Exception {
        FAKE.enqueue(Scripts.toolCalls(
                        new ToolCallSpec("call_calc", "calculator_evaluate", "{\"operation\":\"multiply\",\"a\":6,\"b\":7}"),
                        new ToolCallSpec("call_time", "current_time", "{\"timezone\":\"Europe/Lisbon\"}")),
                Scripts.text("6 × 7 = 42"));
        List<SseClient.Received> events;
        try (SseClient.Stream stream = SseClient.post(APP.getLocalPort(),
                "{\"session_id\":\"tools-e2e\",\"messages\":[{\"role\":\"user\",\"content\":\"multiply and tell time\"}]}")) {
            events = stream.readAll();
        }
        JsonNode firstRequest = FAKE.requests().stream().filter(r -> r.path().endsWith("/chat/completions"))
                .findFirst().orElseThrow().json();
        assertThat(firstRequest.get("tool_choice").asText()).isEqualTo("auto");
        assertThat(firstRequest.get("tools")).extracting(t -> t.get("function").get("name").asText())
                .contains("calculator_evaluate", "current_time", "convert_time", "date_add", "date_diff", "chat_history");
        assertThat(firstRequest.get("tools").get(0).get("function").get("description").asText()).startsWith("[local-calculator] ");

        Map<String, List<JsonNode>> byCall = events.stream().filter(e -> e.name().equals("tool")).map(SseClient.Received::json)
                .collect(Collectors.groupingBy(t -> t.get("call_id").asText()));
        assertThat(byCall.keySet()).containsExactlyInAnyOrder("call_calc", "call_time");
        assertThat(byCall.get("call_calc")).extracting(t -> t.get("status").asText()).containsExactly("started", "finished");
        assertThat(byCall.get("call_calc").get(1).get("result").asText()).isEqualTo("42");
        assertThat(byCall.get("call_time").get(1).get("status").asText()).isEqualTo("finished");
        assertThat(JSON.readTree(byCall.get("call_time").get(1).get("result").asText()).get("timezone").asText())
                .isEqualTo("Europe/Lisbon");
        assertThat(byCall.get("call_calc").get(1).get("message_id").isNumber()).isTrue();

        JsonNode second = FAKE.lastChatRequest().json().get("messages");
        int n = second.size();
        assertThat(second.get(n - 3).get("role").asText()).isEqualTo("assistant");
        assertThat(second.get(n - 3).get("tool_calls")).extracting(c -> c.get("id").asText()).containsExactly("call_calc", "call_time");
        assertThat(second.get(n - 2).toString()).isEqualTo("{\"role\":\"tool\",\"tool_call_id\":\"call_calc\",\"content\":\"42\"}");
        assertThat(second.get(n - 1).get("tool_call_id").asText()).isEqualTo("call_time");
        new Db(DIR.resolve("chat.db")).assertToolPairing("tools-e2e");
        assertThat(events.get(events.size() - 1).data()).isEqualTo("[DONE]");

        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + APP.getAdminPort() + "/healthcheck")).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode checks = JSON.readTree(health.body());
        assertThat(checks.get("mcp-local-calculator").get("healthy").asBoolean()).isTrue();
        assertThat(checks.get("mcp-housekeeping").get("message").asText()).isEqualTo("connected, 5 tools");
    }

    @Test
    void chatHistoryToolOnlySeesTheCurrentSession() throws Exception {
        FAKE.enqueue(Scripts.text("noted"));
        try (SseClient.Stream other = SseClient.post(APP.getLocalPort(),
                "{\"session_id\":\"secret-session\",\"messages\":[{\"role\":\"user\",\"content\":\"my secret is 1234\"}]}")) {
            other.readAll();
        }
        FAKE.enqueue(Scripts.toolCalls(new ToolCallSpec("call_hist", "chat_history", "{\"query\":\"secret\"}")), Scripts.text("ok"));
        List<SseClient.Received> events;
        try (SseClient.Stream stream = SseClient.post(APP.getLocalPort(),
                "{\"session_id\":\"curious\",\"messages\":[{\"role\":\"user\",\"content\":\"what secret did I say?\"}]}")) {
            events = stream.readAll();
        }
        JsonNode finished = events.stream().filter(e -> e.name().equals("tool")).map(SseClient.Received::json)
                .filter(t -> t.get("status").asText().equals("finished")).findFirst().orElseThrow();
        JsonNode result = JSON.readTree(finished.get("result").asText());
        assertThat(result.get("session_id").asText()).isEqualTo("curious");
        assertThat(result.toString()).doesNotContain("1234");
        assertThat(result.get("total_available").asInt()).isEqualTo(1);
    }

    @Test
    void aModelWithoutToolSupportGetsTheTurnRetriedWithoutTools() throws Exception {
        int before = FAKE.chatRequestCount();
        FAKE.enqueue(Scripts.httpError(404, "No endpoints found that support tool use. Try disabling \"calculator_evaluate\"."),
                Scripts.text("plain answer"));
        List<SseClient.Received> events;
        try (SseClient.Stream stream = SseClient.post(APP.getLocalPort(),
                "{\"session_id\":\"no-tools\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")) {
            events = stream.readAll();
        }
        JsonNode notice = events.stream().filter(e -> e.name().equals("tool")).findFirst().orElseThrow().json();
        assertThat(notice.get("status").asText()).isEqualTo("notice");
        assertThat(notice.get("message").asText()).isEqualTo("Tools unavailable for this model; continuing without them.");
        assertThat(events).noneMatch(e -> e.name().equals("error"));
        assertThat(FAKE.chatRequestCount() - before).isEqualTo(2);
        JsonNode retry = FAKE.lastChatRequest().json();
        assertThat(retry.has("tools")).isFalse();
        assertThat(retry.has("tool_choice")).isFalse();
        JsonNode metadata = events.stream().filter(e -> e.name().equals("metadata")).findFirst().orElseThrow().json();
        assertThat(metadata.get("hop").asInt()).isEqualTo(1);
    }
}
