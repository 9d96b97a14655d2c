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

    /** The {@code approval} event of the last {@link #call}, or null when its tool ran without asking. */
    private static volatile JsonNode lastApproval;

    public static JsonNode lastApproval() {
        return lastApproval;
    }

    /**
     * Runs the call; a tool whose policy is {@code ask} (a built-in's write, docs/api.md §3.7) is allowed once through
     * the approvals route, as the person would, and its approval event is kept for {@link #lastApproval()}.
     */
    public static Outcome call(int port, FakeOpenRouter model, String sessionId, String tool, String argsJson)
            throws Exception {
        model.enqueue(Scripts.toolCalls(new ToolCallSpec("call_" + sessionId, tool, argsJson)), Scripts.text("ok"));
        List<SseClient.Received> events = new java.util.ArrayList<>();
        lastApproval = null;
        try (SseClient.Stream s = SseClient.post(port, "{\"session_id\":\"" + sessionId
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}")) {
            String turnId = null;
            for (SseClient.Received e = s.next(); e != null; e = s.next()) {
                events.add(e);
                if (e.name().equals("session")) {
                    turnId = e.json().get("turn_id").asText();
                } else if (e.name().equals("approval")) {
                    lastApproval = e.json();
                    ApiClient.Reply answer = new ApiClient(port).post("/api/chat/turns/" + turnId + "/approvals",
                            "{\"call_id\":\"" + e.json().get("call_id").asText() + "\",\"decision\":\"allow\"}");
                    if (answer.status() != 200) {
                        throw new AssertionError("approval refused: " + answer.body());
                    }
                }
            }
        }
        JsonNode done = events.stream().filter(e -> e.name().equals("tool")).map(SseClient.Received::json)
                .filter(t -> !t.path("status").asText().equals("started")).findFirst()
                .orElseThrow(() -> new AssertionError("no tool result in " + events));
        return new Outcome(done.path("status").asText().equals("error"), done.path("result").asText());
    }
}
