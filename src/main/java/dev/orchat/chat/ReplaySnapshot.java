package dev.orchat.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.conversation.HopOutcome;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state of a turn as its events tell it, kept up to date as they are appended, so that a client resuming from
 * an event the buffer no longer holds gets one {@code snapshot} event instead (docs/api.md §3.6): the hops so far
 * (model, generation, cost, content, reasoning, tool calls), the service's notices, each tool call's state and
 * result, the partial content of the hop under way, the usage so far and {@code last_event_id}. Used under the {@link TurnEventLog}'s lock only.
 */
final class ReplaySnapshot {
    private final ObjectMapper mapper;
    private final ArrayNode hops;
    private final Map<String, ObjectNode> tools = new LinkedHashMap<>();
    private final ArrayNode notices;
    /** Approvals and elicitations still open, by call id then event: a resuming client shows their cards again. */
    private final Map<String, ObjectNode> pending = new LinkedHashMap<>();
    private StringBuilder content = new StringBuilder();
    private StringBuilder reasoning = new StringBuilder();
    private int currentHop = 1;
    private long promptTokens;
    private long completionTokens;
    private Double cost;
    private ObjectNode error;

    ReplaySnapshot(ObjectMapper mapper) {
        this.mapper = mapper;
        this.hops = mapper.createArrayNode();
        this.notices = mapper.createArrayNode();
    }

    void accept(ChatStreamEvent event, int id) {
        if (event instanceof ChatStreamEvent.UpstreamChunk chunk && chunk.json() != null) {
            JsonNode delta = chunk.json().path("choices").path(0).path("delta");
            appendText(content, delta.get("content"));
            appendText(reasoning, delta.get("reasoning"));
        } else if (event instanceof ChatStreamEvent.Metadata metadata) {
            hop(metadata.outcome(), metadata.messageId());
            cost = metadata.turnCost();
        } else if (event instanceof ChatStreamEvent.Approval approval) {
            tools.computeIfAbsent(approval.callId(), k -> mapper.createObjectNode()).put("call_id", approval.callId())
                    .put("name", approval.tool()).put("status", "awaiting_approval");
            pending.put("approval\u0000" + approval.callId(), pendingEntry(event));
        } else if (event instanceof ChatStreamEvent.Elicitation elicitation) {
            pending.put("elicitation\u0000" + elicitation.elicitationId(), pendingEntry(event));
        } else if (event instanceof ChatStreamEvent.ToolStarted started) {
            pending.remove("approval\u0000" + started.callId());
            ObjectNode tool = tools.computeIfAbsent(started.callId(), k -> mapper.createObjectNode());
            tool.put("call_id", started.callId()).put("name", started.name()).put("hop", started.hop())
                    .put("status", "started");
        } else if (event instanceof ChatStreamEvent.ToolFinished finished) {
            pending.values().removeIf(p -> finished.callId().equals(p.path("data").path("call_id").asText()));
            ObjectNode tool = tools.computeIfAbsent(finished.callId(), k -> mapper.createObjectNode());
            tool.put("call_id", finished.callId()).put("name", finished.name()).put("hop", finished.hop())
                    .put("status", finished.isError() ? "error" : "finished").put("result", finished.result())
                    .put("message_id", finished.messageId());
        } else if (event instanceof ChatStreamEvent.SystemNotice notice) {
            notices.addObject().put("status", notice.status()).put("message", notice.message());
        } else if (event instanceof ChatStreamEvent.Error failure) {
            error = mapper.createObjectNode().put("detail", failure.detail()).put("status", failure.status());
        }
    }

    private ObjectNode pendingEntry(ChatStreamEvent event) {
        TurnEvents.Encoded encoded = TurnEvents.encode(mapper, event);
        ObjectNode entry = mapper.createObjectNode().put("event", encoded.name());
        try {
            entry.set("data", mapper.readTree(encoded.data()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return entry;
    }

    private void hop(HopOutcome outcome, Long messageId) {
        ObjectNode hop = hops.addObject();
        hop.put("hop", outcome.hop());
        hop.put("status", outcome.status());
        hop.put("model", outcome.source().model());
        hop.put("provider", outcome.source().provider());
        hop.put("generation_id", outcome.source().generationId());
        hop.put("finish_reason", outcome.reply().finishReason());
        if (outcome.usage().cost() == null) {
            hop.putNull("cost");
        } else {
            hop.put("cost", outcome.usage().cost());
        }
        hop.put("content", outcome.reply().text());
        hop.set("reasoning", outcome.reply().reasoning());
        ArrayNode calls = hop.putArray("tool_calls");
        outcome.reply().toolCalls().forEach(call -> calls.add(call.toJson(mapper)));
        if (messageId == null) {
            hop.putNull("message_id");
        } else {
            hop.put("message_id", messageId);
        }
        promptTokens += outcome.usage().promptTokens() == null ? 0 : outcome.usage().promptTokens();
        completionTokens += outcome.usage().completionTokens() == null ? 0 : outcome.usage().completionTokens();
        content = new StringBuilder();
        reasoning = new StringBuilder();
        currentHop = outcome.hop() + 1;
    }

    private static void appendText(StringBuilder out, JsonNode piece) {
        if (piece != null && piece.isTextual()) {
            out.append(piece.textValue());
        }
    }

    /** The {@code snapshot} event's data as of {@code lastEventId}. */
    String json(int lastEventId, RunningTurn turn) {
        ObjectNode out = mapper.createObjectNode();
        out.put("session_id", turn.sessionId());
        out.put("turn_id", turn.turnId());
        out.put("last_event_id", lastEventId);
        out.set("hops", hops.deepCopy());
        ObjectNode current = out.putObject("current");
        current.put("hop", currentHop);
        current.put("content", content.toString());
        current.put("reasoning", reasoning.toString());
        out.set("notices", notices.deepCopy());
        ArrayNode toolList = out.putArray("tools");
        tools.values().forEach(t -> toolList.add(t.deepCopy()));
        ObjectNode usage = out.putObject("usage");
        usage.put("prompt_tokens", promptTokens);
        usage.put("completion_tokens", completionTokens);
        if (cost == null) {
            usage.putNull("cost");
        } else {
            usage.put("cost", cost);
        }
        out.set("error", error);
        if (!pending.isEmpty()) {
            // Only while something waits for the person, so other snapshots keep their bytes (docs/api.md §3.6).
            ArrayNode open = out.putArray("pending");
            pending.values().forEach(p -> open.add(p.deepCopy()));
        }
        try {
            return mapper.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
