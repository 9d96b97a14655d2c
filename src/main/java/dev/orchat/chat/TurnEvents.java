package dev.orchat.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.conversation.HopOutcome;
import dev.orchat.web.ClientDisconnects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one emitter of a turn's events (docs/api.md §3). It alone knows each event's name and JSON encoding, and
 * hands every event to the turn's {@link TurnOutput}:
 * <ul>
 * <li>a chat-stream turn's output is its {@link TurnEventLog}, which numbers the events, keeps them for replay and
 * fans them out to the attached clients; the log's detach policy decides what a client leaving means (the turn is
 * resumable, docs/api.md §3.6);</li>
 * <li>another front door's turn (the OpenAI-compatible API, docs/api.md §5) has its own output instead of a log: the
 * typed events go to it directly, nothing is kept, and a failed delivery cancels the turn as a disconnect.</li>
 * </ul>
 */
final class TurnEvents {
    private static final Logger LOG = LoggerFactory.getLogger(TurnEvents.class);
    /** Names only the service may send; an upstream event using one is dropped rather than relayed. */
    static final Set<String> RESERVED = Set.of("session", "metadata", "tool", "error", "snapshot", "approval",
            "elicitation");
    private final TurnOutput output;
    private final RunningTurn turn;

    /** A chat-stream turn: each event encoded as its SSE event and appended to the turn's log. */
    TurnEvents(TurnEventLog log, RunningTurn turn, ObjectMapper mapper) {
        this.output = new LogOutput(log, mapper);
        this.turn = turn;
    }

    /** A turn of another front door: its events go to {@code output}; the client watch stops before it closes. */
    TurnEvents(TurnOutput output, RunningTurn turn, ClientDisconnects.Watch clientWatch) {
        this.output = new FrontDoorOutput(output, turn, clientWatch, new ReentrantLock());
        this.turn = turn;
    }

    /**
     * The chat stream's output: the log numbers and keeps each encoded event and sends it to whoever is attached.
     * Appending never fails; a client whose write fails is detached by the log, not the turn cancelled.
     */
    private record LogOutput(TurnEventLog log, ObjectMapper mapper) implements TurnOutput {
        @Override
        public boolean send(ChatStreamEvent event) {
            log.append(encode(mapper, event), event);
            return true;
        }

        @Override
        public boolean isWritable() {
            return true;
        }

        @Override
        public int lastId() {
            return log.lastId();
        }

        /** Closes every attached client's stream; the events stay for {@code chat.replayRetention}. */
        @Override
        public void close() {
            log.end();
        }
    }

    /**
     * Another front door's output, as {@link TurnOutput} promises it: called one event at a time (tool tasks emit
     * concurrently with the relay), and only while its client reads, so that a turn cancelled as a disconnect does
     * not deliver its {@code error}/{@code [DONE]} to a client that is gone.
     */
    private record FrontDoorOutput(TurnOutput output, RunningTurn turn, ClientDisconnects.Watch clientWatch,
                                   ReentrantLock lock) implements TurnOutput {
        @Override
        public boolean send(ChatStreamEvent event) {
            CancelReason reason = turn.cancelReason();
            if (reason != null && !reason.streamWritable()) {
                return false;
            }
            lock.lock();
            try {
                return output.isWritable() && output.send(event);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean isWritable() {
            return output.isWritable();
        }

        @Override
        public int lastId() {
            lock.lock();
            try {
                return output.lastId();
            } finally {
                lock.unlock();
            }
        }

        /** The disconnect watch goes first, before the response completes (see ClientDisconnects). */
        @Override
        public void close() {
            clientWatch.stop();
            lock.lock();
            try {
                output.close();
            } finally {
                lock.unlock();
            }
        }
    }

    /** An event's name and {@code data:} text, exactly as they go on the wire. */
    record Encoded(String name, String data) {
    }

    /**
     * Hands the event to the turn's output. Returns false once the turn is cancelled, so a relay loop knows to stop;
     * an output that could not deliver (another front door's client is gone) cancels the turn as a disconnect.
     */
    boolean emit(ChatStreamEvent event) {
        if (event instanceof ChatStreamEvent.UpstreamNamed named && RESERVED.contains(named.name())) {
            LOG.info("Dropped upstream event with reserved name '{}'", named.name());
            return true;
        }
        if (!output.send(event)) {
            turn.cancel(CancelReason.CLIENT_DISCONNECT);
            return false;
        }
        return !turn.isCancelled();
    }

    int lastId() {
        return output.lastId();
    }

    /**
     * Ends the turn's events, after the last one ({@code [DONE]}): a chat-stream turn's log closes its clients and
     * keeps the events for replay; another front door's output completes its response.
     */
    void close() {
        output.close();
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
        } else if (event instanceof ChatStreamEvent.Approval approval) {
            name = "approval";
            json.put("call_id", approval.callId());
            json.put("tool", approval.tool());
            json.put("server", approval.server());
            json.set("arguments", approval.arguments());
            json.put("reason", approval.reason());
        } else if (event instanceof ChatStreamEvent.Elicitation elicitation) {
            name = "elicitation";
            json.put("elicitation_id", elicitation.elicitationId());
            json.put("call_id", elicitation.callId());
            json.put("server", elicitation.server());
            json.put("message", elicitation.message());
            if (elicitation.url() != null) {
                json.put("url", elicitation.url());
            } else {
                json.set("requested_schema", elicitation.requestedSchema());
            }
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
