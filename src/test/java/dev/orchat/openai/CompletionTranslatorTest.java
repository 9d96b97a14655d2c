package dev.orchat.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.chat.ChatStreamEvent;
import dev.orchat.conversation.HopOutcome;
import dev.orchat.conversation.ToolCall;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event → OpenAI chunk translation of docs/api.md §5.3–5.4, without a server. */
class CompletionTranslatorTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static ChatStreamEvent chunk(String delta, String finish) {
        return new ChatStreamEvent.UpstreamChunk("{\"id\":\"gen-1\",\"model\":\"up/model\",\"choices\":[{\"index\":0,"
                + "\"delta\":" + delta + ",\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"")
                + "}]}");
    }

    static ChatStreamEvent metadata(int hop, String text, String finish, List<ToolCall> calls, long prompt,
                                    long completion) {
        HopOutcome outcome = new HopOutcome(hop, "complete",
                new HopOutcome.Reply(text, null, null, calls, finish, finish),
                new HopOutcome.Usage(prompt, completion, null, null, null, null),
                new HopOutcome.Source("up/model", null, null, null, null), null, true);
        return new ChatStreamEvent.Metadata("t", outcome, null, null, 1L, "now");
    }

    static List<JsonNode> run(CompletionTranslator t, boolean usage, ChatStreamEvent... events) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (ChatStreamEvent e : events) {
            for (String data : t.chunks(e, usage)) {
                out.add(data.equals(CompletionTranslator.DONE) ? JSON.getNodeFactory().textNode(data)
                        : JSON.readTree(data));
            }
        }
        return out;
    }

    @Test
    void serverToolHopsAreHiddenAndHopTextsSeparated() throws Exception {
        CompletionTranslator t = new CompletionTranslator(JSON, "chatcmpl-x", 7, "asked", false);
        List<JsonNode> out = run(t, true,
                new ChatStreamEvent.Session("s", "t", true, List.of()),
                chunk("{\"role\":\"assistant\",\"content\":\"Let me check.\"}", null),
                chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"c\",\"function\":{\"name\":\"calc\",\"arguments\":\"{}\"}}]}",
                        "tool_calls"),
                metadata(1, "Let me check.", "tool_calls", List.of(new ToolCall("c", "function", "calc", "{}")), 10, 5),
                new ChatStreamEvent.ToolStarted("calc", "c", 1),
                new ChatStreamEvent.ToolFinished("calc", "c", 1, "42", false, 3, 1, "now"),
                chunk("{\"role\":\"assistant\",\"content\":\"\"}", null),
                chunk("{\"content\":\"It is 42.\"}", "stop"),
                metadata(2, "It is 42.", "stop", List.of(), 20, 4),
                new ChatStreamEvent.Done());
        assertThat(out).extracting(n -> n.path("id").asText("")).filteredOn(id -> !id.isEmpty())
                .containsOnly("chatcmpl-x");
        StringBuilder text = new StringBuilder();
        out.forEach(n -> text.append(n.path("choices").path(0).path("delta").path("content").asText("")));
        assertThat(text.toString()).isEqualTo("Let me check.\n\nIt is 42.");
        assertThat(out.toString()).doesNotContain("tool_calls");
        assertThat(out.get(0).path("choices").path(0).path("delta").path("role").asText()).isEqualTo("assistant");
        JsonNode finish = out.get(out.size() - 3);
        assertThat(finish.path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");
        JsonNode usage = out.get(out.size() - 2);
        assertThat(usage.path("choices")).isEmpty();
        assertThat(usage.path("usage").path("prompt_tokens").asLong()).isEqualTo(30);
        assertThat(usage.path("usage").path("total_tokens").asLong()).isEqualTo(39);
        assertThat(out.get(out.size() - 1).asText()).isEqualTo("[DONE]");

        JsonNode completion = t.completion();
        assertThat(completion.path("choices").path(0).path("message").path("content").asText()).isEqualTo("It is 42.");
        assertThat(completion.path("model").asText()).isEqualTo("up/model");
    }

    @Test
    void clientToolCallsAreKeptAndReported() throws Exception {
        CompletionTranslator t = new CompletionTranslator(JSON, "chatcmpl-y", 7, "asked", true);
        List<JsonNode> out = run(t, false,
                chunk("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"w\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}", null),
                chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{}\"}}]}", "tool_calls"),
                metadata(1, null, "tool_calls", List.of(new ToolCall("w", "function", "get_weather", "{}")), 1, 1),
                new ChatStreamEvent.Done());
        assertThat(out.get(0).path("choices").path(0).path("delta").path("tool_calls").path(0).path("id").asText())
                .isEqualTo("w");
        assertThat(out.get(out.size() - 2).path("choices").path(0).path("finish_reason").asText())
                .isEqualTo("tool_calls");
        JsonNode message = t.completion().path("choices").path(0).path("message");
        assertThat(message.path("content").isNull()).isTrue();
        assertThat(message.path("tool_calls").path(0).path("function").path("name").asText()).isEqualTo("get_weather");
    }

    @Test
    void anErrorAfterTheStreamStartedIsAnErrorChunkWithoutDone() throws Exception {
        CompletionTranslator t = new CompletionTranslator(JSON, "chatcmpl-z", 7, "asked", false);
        List<JsonNode> out = run(t, false, chunk("{\"content\":\"Par\"}", null),
                new ChatStreamEvent.Error("Upstream stream ended unexpectedly", 502, true), new ChatStreamEvent.Done());
        assertThat(out).hasSize(2);
        assertThat(out.get(1).path("error").path("type").asText()).isEqualTo("server_error");
        assertThat(out.get(1).path("error").path("message").asText()).isEqualTo("Upstream stream ended unexpectedly");
    }
}
