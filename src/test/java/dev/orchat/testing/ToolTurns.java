package dev.orchat.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Runs one tool call through the real chat loop (fake model asks for it) and returns the tool's outcome. */
public final class ToolTurns {
    private ToolTurns() {
    }

    /** The finished/error {@code tool} event's fields that tests look at. */
    public record Outcome(boolean isError, String text) {
    }

    public static Outcome call(int port, FakeOpenRouter model, String sessionId, String tool, String argsJson)
            throws Exception {
        model.enqueue(Scripts.toolCalls(new ToolCallSpec("call_" + sessionId, tool, argsJson)), Scripts.text("ok"));
        List<SseClient.Received> events;
        try (SseClient.Stream s = SseClient.post(port, "{\"session_id\":\"" + sessionId
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}")) {
            events = s.readAll();
        }
        JsonNode done = events.stream().filter(e -> e.name().equals("tool")).map(SseClient.Received::json)
                .filter(t -> !t.path("status").asText().equals("started")).findFirst()
                .orElseThrow(() -> new AssertionError("no tool result in " + events));
        return new Outcome(done.path("status").asText().equals("error"), done.path("result").asText());
    }
}
