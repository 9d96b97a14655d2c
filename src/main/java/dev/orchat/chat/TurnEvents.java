package dev.orchat.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.conversation.HopOutcome;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one emitter of a turn's events (docs/api.md §3). It alone knows each event's name and JSON encoding; its
 * {@link TurnEventLog} numbers the events, keeps them for replay and fans them out to the attached clients, and
 * decides with the detach policy what a client leaving means.
 */
final class TurnEvents {
    private static final Logger LOG = LoggerFactory.getLogger(TurnEvents.class);
    /** Names only the service may send; an upstream event using one is dropped rather than relayed. */
    static final Set<String> RESERVED = Set.of("session", "metadata", "tool", "error", "snapshot");
    private final TurnEventLog log;
    private final RunningTurn turn;
    private final ObjectMapper mapper;

    TurnEvents(TurnEventLog log, RunningTurn turn, ObjectMapper mapper) {
        this.log = log;
        this.turn = turn;
        this.mapper = mapper;
    }

    /** An event's name and {@code data:} text, exactly as they go on the wire. */
    record Encoded(String name, String data) {
    }

    /**
     * Numbers the event and hands it to the turn's log, which keeps it for replay and sends it to every attached
     * client. Returns false once the turn is cancelled, so a relay loop knows to stop.
     */
    boolean emit(ChatStreamEvent event) {
        if (event instanceof ChatStreamEvent.UpstreamNamed named && RESERVED.contains(named.name())) {
            LOG.info("Dropped upstream event with reserved name '{}'", named.name());
            return true;
        }
        log.append(encode(mapper, event), event);
        return !turn.isCancelled();
    }

    int lastId() {
        return log.lastId();
    }

    TurnEventLog log() {
        return log;
    }

    static Encoded encode(ObjectMapper mapper, ChatStreamEvent event) {
        if (event instanceof ChatStreamEvent.UpstreamChunk chunk) {
            return new Encoded("message", chunk.data());
        }
        if (event instanceof ChatStreamEvent.UpstreamNamed named) {
            return new Encoded(named.name(), named.data());
        }
        if (event instanceof ChatStreamEvent.Done) {
            return new Encoded("message", "[DONE]");
        }
        if (event instanceof ChatStreamEvent.Snapshot snapshot) {
            return new Encoded("snapshot", snapshot.data());
        }
        ObjectNode json = mapper.createObjectNode();
        String name;
        if (event instanceof ChatStreamEvent.Session session) {
            name = "session";
            json.put("session_id", session.sessionId());
            json.put("turn_id", session.turnId());
            json.put("new_session", session.newSession());
            ArrayNode users = json.putArray("user_messages");
            for (ChatStreamEvent.Session.UserMessage m : session.userMessages()) {
                users.addObject().put("message_id", m.messageId()).put("client_message_id", m.clientMessageId());
            }
        } else if (event instanceof ChatStreamEvent.Metadata metadata) {
            name = "metadata";
            metadata(mapper, json, metadata);
        } else if (event instanceof ChatStreamEvent.ToolStarted started) {
            name = "tool";
            json.put("status", "started");
            json.put("name", started.name());
            json.put("call_id", started.callId());
            json.put("hop", started.hop());
        } else if (event instanceof ChatStreamEvent.ToolFinished finished) {
            name = "tool";
            json.put("status", finished.isError() ? "error" : "finished");
            json.put("name", finished.name());
            json.put("call_id", finished.callId());
            json.put("hop", finished.hop());
            json.put("result", finished.result());
            json.put("message_id", finished.messageId());
            json.put("duration_ms", finished.durationMs());
            json.put("created_at", finished.createdAt());
            json.put("created_at_utc", finished.createdAt());
        } else if (event instanceof ChatStreamEvent.SystemNotice notice) {
            name = "tool";
            json.put("status", notice.status());
            json.put("name", "system");
            json.put("message", notice.message());
        } else if (event instanceof ChatStreamEvent.Error error) {
            name = "error";
            json.put("detail", error.detail());
            json.put("status", error.status());
            json.put("retryable", error.retryable());
        } else {
            throw new IllegalArgumentException("No encoding for " + event.getClass().getName());
        }
        try {
            return new Encoded(name, mapper.writeValueAsString(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void metadata(ObjectMapper mapper, ObjectNode meta, ChatStreamEvent.Metadata m) {
        HopOutcome o = m.outcome();
        meta.put("role", "assistant");
        meta.put("turn_id", m.turnId());
        meta.put("hop", o.hop());
        meta.put("status", o.status());
        meta.put("finish_reason", o.reply().finishReason());
        meta.put("native_finish_reason", o.reply().nativeFinishReason());
        meta.put("model", o.source().model());
        meta.put("provider", o.source().provider());
        meta.set("usage", o.usage().raw());
        putNumber(meta, "cost", o.usage().cost());
        putNumber(meta, "turn_cost", m.turnCost());
        meta.set("routing", o.source().routing());
        meta.set("meta", o.source().meta());
        meta.put("generation_id", o.source().generationId());
        meta.set("reasoning", o.reply().reasoning());
        meta.set("reasoning_details", o.reply().reasoningDetails());
        JsonNode toolCalls = null;
        if (!o.reply().toolCalls().isEmpty()) {
            ArrayNode calls = mapper.createArrayNode();
            o.reply().toolCalls().forEach(call -> calls.add(call.toJson(mapper)));
            toolCalls = calls;
        }
        meta.set("tool_calls", toolCalls);
        if (m.clientMessageId() != null) {
            meta.put("client_message_id", m.clientMessageId());
        }
        if (m.messageId() == null) {
            meta.putNull("message_id");
        } else {
            meta.put("message_id", m.messageId());
        }
        meta.put("created_at", m.createdAt());
        meta.put("created_at_utc", m.createdAt());
    }

    private static void putNumber(ObjectNode node, String key, Double value) {
        if (value == null) {
            node.putNull(key);
        } else {
            node.put(key, value);
        }
    }
}
