package dev.orchat.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.ApiClient;
import dev.orchat.testing.Db;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.McpTestServers;
import dev.orchat.testing.Scripts;
import dev.orchat.testing.SseClient;
import dev.orchat.testing.TestApp;
import dev.orchat.testing.ToolCallSpec;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Nobody answers (docs/api.md §3.7): with {@code mcp.approvalTimeout: 1s} an approval ends as "No answer to the
 * approval request." and an elicitation as {@code cancel}, and the turn goes on to its end.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class ApprovalTimeoutTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final Path DIR = prepare();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, DIR,
            TestApp.set("mcp.approvalTimeout", "1s"),
            // Shorter than the elicitation's wait plus the server's work: the call's limit pauses while it asks.
            TestApp.set("chat.toolCallTimeout", "1s"),
            TestApp.set("openrouter.timeoutSeconds", "30"));
    static final Db DB = new Db(DIR.resolve("chat.db"));

    static Path prepare() {
        Path dir = TestApp.tempDir();
        try {
            Files.writeString(dir.resolve("mcp_servers.json"), "{\"servers\":["
                    + "{\"id\":\"everything\",\"transport\":\"stdio\",\"command\":["
                    + JSON.writeValueAsString(McpTestServers.node()) + ","
                    + JSON.writeValueAsString(McpTestServers.everything().toString()) + "],"
                    + "\"tool_policies\":{\"trigger-elicitation-request\":\"allow\"}}]}");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dir;
    }

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    @BeforeEach
    void ready() throws Exception {
        FAKE.reset();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!connected() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(connected()).as("server-everything connected with its elicitation tool").isTrue();
    }

    /** Connected, and its tools listed (the tool's name alone also appears in tool_policies). */
    static boolean connected() {
        JsonNode server = new ApiClient(APP.getLocalPort()).get("/api/mcp/servers").json().get("servers").get(0);
        if (!server.path("state").asText().equals("connected")) {
            return false;
        }
        for (JsonNode tool : server.get("tools")) {
            if (tool.get("name").asText().equals("trigger-elicitation-request") && tool.get("enabled").asBoolean()) {
                return true;
            }
        }
        return false;
    }

    static JsonNode result(String session, String callId, String tool) throws Exception {
        FAKE.enqueue(Scripts.toolCalls(new ToolCallSpec(callId, tool, "{}")), Scripts.text("went on"));
        List<SseClient.Received> events;
        try (SseClient.Stream stream = SseClient.post(APP.getLocalPort(), "{\"session_id\":\"" + session
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}")) {
            events = stream.readAll();
        }
        String turnId = events.get(0).json().get("turn_id").asText();
        assertThat(DB.turn(turnId).get("status")).isEqualTo("complete");
        assertThat(events.get(events.size() - 1).data()).isEqualTo("[DONE]");
        return events.stream().filter(e -> e.name().equals("tool")).map(SseClient.Received::json)
                .filter(t -> t.path("call_id").asText().equals(callId) && t.has("result")).findFirst().orElseThrow();
    }

    @Test
    void anUnansweredApprovalGivesTheNoAnswerResult() throws Exception {
        JsonNode tool = result("timeout-approval", "call_t", "toggle-simulated-logging");
        assertThat(tool.get("status").asText()).isEqualTo("error");
        assertThat(tool.get("result").asText()).isEqualTo("No answer to the approval request.");
        JsonNode wire = FAKE.lastChatRequest().json().get("messages");
        assertThat(wire.get(wire.size() - 1).get("content").asText()).isEqualTo("No answer to the approval request.");
    }

    @Test
    void anUnansweredElicitationIsCancelledAndTheCallFinishes() throws Exception {
        JsonNode tool = result("timeout-elicitation", "call_te", "trigger-elicitation-request");
        assertThat(tool.get("status").asText()).isEqualTo("finished");
        assertThat(tool.get("result").asText()).contains("User cancelled the elicitation dialog")
                .doesNotContain("timed out");
    }
}
