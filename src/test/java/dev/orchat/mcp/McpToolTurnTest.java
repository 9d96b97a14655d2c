package dev.orchat.mcp;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.Db;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.McpTestServers;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Turns whose tools live on real stdio MCP servers (docs/api.md §3.2, §6.5–6.6), next to a built-in. */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class McpToolTurnTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final Path DIR = prepare();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, DIR,
            TestApp.set("mcp.backoff.initial", "1500ms"), TestApp.set("chat.toolCallTimeout", "20s"));
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static Path prepare() {
        Path dir = TestApp.tempDir();
        try {
            String node = JSON.writeValueAsString(McpTestServers.node());
            Files.writeString(dir.resolve("mcp_servers.json"), "{\"servers\":["
                    + "{\"id\":\"local-calculator\",\"transport\":\"builtin\",\"builtin\":\"calculator\"},"
                    + "{\"id\":\"everything\",\"transport\":\"stdio\",\"command\":[" + node + ","
                    + JSON.writeValueAsString(McpTestServers.everything().toString()) + "]},"
                    + "{\"id\":\"envsrv\",\"transport\":\"stdio\",\"command\":[" + node + ","
                    + JSON.writeValueAsString(McpTestServers.envServer().toString()) + "],\"call_timeout_s\":2,"
                    // Its tools carry no readOnlyHint: without this they would wait for an approval (docs/api.md §3.7).
                    + "\"default_policy\":\"allow\"}]}");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dir;
    }

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    static JsonNode status() throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort()
                + "/api/mcp/servers")).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    static JsonNode server(String id) throws Exception {
        for (JsonNode s : status().get("servers")) {
            if (s.get("id").asText().equals(id)) {
                return s;
            }
        }
        throw new AssertionError(id);
    }

    static void awaitState(String id, String state) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!server(id).get("state").asText().equals(state) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(server(id).get("state").asText()).as(server(id).toString()).isEqualTo(state);
    }

    @Test
    void oneHopCallsAStdioServerAndABuiltinAndTheNextHopCarriesBothResults() throws Exception {
        awaitState("everything", "connected");
        assertThat(server("everything").get("tool_count").asInt()).isGreaterThan(3);
        FAKE.enqueue(Scripts.toolCalls(new ToolCallSpec("call_echo", "echo", "{\"message\":\"hello mcp\"}"),
                        new ToolCallSpec("call_calc", "calculator_evaluate", "{\"operation\":\"add\",\"a\":2,\"b\":3}")),
                Scripts.text("done"));
        List<SseClient.Received> events;
        try (SseClient.Stream stream = SseClient.post(APP.getLocalPort(),
                "{\"session_id\":\"mcp-turn\",\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}")) {
            events = stream.readAll();
        }
        Map<String, List<JsonNode>> byCall = events.stream().filter(e -> e.name().equals("tool")).map(SseClient.Received::json)
                .collect(Collectors.groupingBy(t -> t.get("call_id").asText()));
        assertThat(byCall.get("call_echo")).extracting(t -> t.get("status").asText()).containsExactly("started", "finished");
        assertThat(byCall.get("call_echo").get(1).get("result").asText()).isEqualTo("Echo: hello mcp");
        assertThat(byCall.get("call_calc").get(1).get("result").asText()).isEqualTo("5");
        JsonNode wire = FAKE.lastChatRequest().json().get("messages");
        int n = wire.size();
        assertThat(wire.get(n - 2).toString()).isEqualTo("{\"role\":\"tool\",\"tool_call_id\":\"call_echo\",\"content\":\"Echo: hello mcp\"}");
        assertThat(wire.get(n - 1).toString()).isEqualTo("{\"role\":\"tool\",\"tool_call_id\":\"call_calc\",\"content\":\"5\"}");
        JsonNode description = FAKE.requests().stream().filter(r -> r.path().endsWith("/chat/completions")).findFirst()
                .orElseThrow().json().get("tools").findValues("description").stream()
                .filter(d -> d.asText().startsWith("[everything]")).findFirst().orElse(null);
        assertThat(description).isNotNull();
    }

    @Test
    void callsOfOneHopRunConcurrently() throws Exception {
        awaitState("everything", "connected");
        String slow = "{\"duration\":1,\"steps\":1}";
        FAKE.enqueue(Scripts.toolCalls(new ToolCallSpec("call_a", "trigger-long-running-operation", slow),
                        new ToolCallSpec("call_b", "trigger-long-running-operation", slow)),
                Scripts.text("both done"));
        List<SseClient.Received> events;
        try (SseClient.Stream stream = SseClient.post(APP.getLocalPort(),
                "{\"session_id\":\"mcp-parallel\",\"messages\":[{\"role\":\"user\",\"content\":\"two slow ones\"}]}")) {
            events = stream.readAll();
        }
        List<String> order = events.stream().filter(e -> e.name().equals("tool")).map(SseClient.Received::json)
                .map(t -> t.get("status").asText() + ":" + t.get("call_id").asText()).toList();
        // Each call takes a second; sequential execution would finish call_a before call_b starts.
        assertThat(order.subList(0, 2)).containsExactly("started:call_a", "started:call_b");
        assertThat(order.subList(2, 4)).containsExactlyInAnyOrder("finished:call_a", "finished:call_b");
        new Db(DIR.resolve("chat.db")).assertToolPairing("mcp-parallel");
    }

    @Test
    void aKilledStdioServerFailsWithItsReasonAndIsBroughtBack() throws Exception {
        awaitState("everything", "connected");
        int restartsBefore = server("everything").get("restarts").asInt();
        List<ProcessHandle> children = ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("server-everything")).toList();
        assertThat(children).isNotEmpty();
        children.forEach(ProcessHandle::destroyForcibly);
        awaitState("everything", "failed");
        assertThat(server("everything").get("last_error").asText()).isNotBlank();
        JsonNode health = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getAdminPort()
                + "/healthcheck")).build(), HttpResponse.BodyHandlers.ofString()).body()).get("mcp-everything");
        assertThat(health.get("dependency_healthy").asBoolean()).isFalse();
        assertThat(health.get("message").asText()).startsWith("DEGRADED: failed");
        awaitState("everything", "connected");
        assertThat(server("everything").get("restarts").asInt()).isGreaterThan(restartsBefore);
    }

    @Test
    void aToolThatNeverAnswersTimesOutWithAnErrorResult() throws Exception {
        awaitState("envsrv", "connected");
        FAKE.enqueue(Scripts.toolCalls(new ToolCallSpec("call_slow", "hang", "{}")), Scripts.text("gave up"));
        List<SseClient.Received> events;
        try (SseClient.Stream stream = SseClient.post(APP.getLocalPort(),
                "{\"session_id\":\"mcp-timeout\",\"messages\":[{\"role\":\"user\",\"content\":\"wait\"}]}")) {
            events = stream.readAll();
        }
        JsonNode error = events.stream().filter(e -> e.name().equals("tool")).map(SseClient.Received::json)
                .filter(t -> "error".equals(t.path("status").asText())).findFirst().orElseThrow();
        assertThat(error.get("result").asText()).isEqualTo("Tool hang timed out after 2 s.");
        assertThat(events.get(events.size() - 1).data()).isEqualTo("[DONE]");
        new Db(DIR.resolve("chat.db")).assertToolPairing("mcp-timeout");
        assertThat(server("envsrv").get("state").asText()).isEqualTo("connected");
    }

    @Test
    void cancellingDuringAToolRoundLeavesOneResultPerCall() throws Exception {
        awaitState("envsrv", "connected");
        FAKE.enqueue(Scripts.toolCalls(new ToolCallSpec("call_hang", "hang", "{}"), new ToolCallSpec("call_calc2", "calculator_evaluate",
                "{\"operation\":\"add\",\"a\":1,\"b\":1}")));
        try (SseClient.Stream stream = SseClient.post(APP.getLocalPort(),
                "{\"session_id\":\"mcp-cancel\",\"messages\":[{\"role\":\"user\",\"content\":\"hang\"}]}")) {
            SseClient.Received started;
            do {
                started = stream.nextNamed("tool");
            } while (started != null && !(started.data().contains("call_hang") && started.data().contains("started")));
            HttpResponse<String> cancel = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort()
                    + "/api/chat/session/mcp-cancel/cancel")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(JSON.readTree(cancel.body()).get("cancelled").asBoolean()).isTrue();
            List<SseClient.Received> rest = stream.readAll();
            assertThat(rest.get(rest.size() - 1).data()).isEqualTo("[DONE]");
            assertThat(rest).anyMatch(e -> e.name().equals("tool") && e.data().contains("call_hang")
                    && e.data().contains("Cancelled before completion."));
        }
        Db db = new Db(DIR.resolve("chat.db"));
        db.assertToolPairing("mcp-cancel");
        assertThat(db.query("SELECT content FROM messages WHERE tool_call_id = 'call_hang'"))
                .containsExactly(Map.of("content", "Cancelled before completion."));
    }
}
