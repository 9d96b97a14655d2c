package dev.orchat.chat;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.Db;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.Scripts;
import dev.orchat.testing.SseClient;
import dev.orchat.testing.TestApp;
import dev.orchat.testing.ToolCallSpec;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The hop limit and the final-answer hop (docs/api.md §3.2); every call keeps exactly one result (I2). */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class ToolLoopLimitTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, DIR,
            TestApp.set("chat.maxToolHops", "1"));
    static final Db DB = new Db(DIR.resolve("chat.db"));

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    @Test
    void callsBeyondTheLimitGetSyntheticResultsAndAFinalAnswerHopFollows() throws Exception {
        FAKE.enqueue(Scripts.toolCalls(new ToolCallSpec("call_1", "alpha", "{}")),
                Scripts.toolCalls(new ToolCallSpec("call_2", "beta", "{}"), new ToolCallSpec("call_3", "gamma", "{}")),
                Scripts.text("final answer"));
        List<SseClient.Received> events;
        try (SseClient.Stream stream = SseClient.post(APP.getLocalPort(),
                "{\"session_id\":\"limits\",\"messages\":[{\"role\":\"user\",\"content\":\"loop\"}]}")) {
            events = stream.readAll();
        }
        List<JsonNode> tools = events.stream().filter(e -> e.name().equals("tool")).map(SseClient.Received::json).toList();
        assertThat(tools).anySatisfy(t -> assertThat(t.path("message").asText()).isEqualTo("Tool execution stopped after hop limit"));
        String limitText = "Not executed: the tool-call limit for this turn (1 rounds) was reached.";
        assertThat(tools.stream().filter(t -> t.has("call_id") && "error".equals(t.get("status").asText())))
                .extracting(t -> t.get("call_id").asText() + "=" + t.get("result").asText())
                .contains("call_2=" + limitText, "call_3=" + limitText);
        assertThat(events.stream().filter(e -> e.name().equals("metadata"))).hasSize(3);
        assertThat(events.get(events.size() - 1).data()).isEqualTo("[DONE]");
        assertThat(FAKE.chatRequestCount()).isEqualTo(3);

        List<Map<String, Object>> rows = DB.query("SELECT role, tool_call_id, synthetic, content FROM messages"
                + " WHERE session_id = 'limits' ORDER BY position");
        assertThat(rows).extracting(r -> r.get("role")).containsExactly("user", "assistant", "tool", "assistant", "tool", "tool", "assistant");
        assertThat(rows.get(4)).containsEntry("tool_call_id", "call_2").containsEntry("synthetic", 1).containsEntry("content", limitText);
        assertThat(rows.get(6)).containsEntry("content", "final answer");
        DB.assertToolPairing("limits");
        String turnId = events.get(0).json().get("turn_id").asText();
        assertThat(DB.turn(turnId)).containsEntry("hop_limit_reached", 1).containsEntry("status", "complete").containsEntry("hop_count", 3);
    }
}
