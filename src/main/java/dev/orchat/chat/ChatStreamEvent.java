package dev.orchat.chat;

import dev.orchat.conversation.HopOutcome;
import java.util.List;

/**
 * Every event the chat stream sends, one record per SSE event of docs/api.md ("SSE events"). Only
 * {@link TurnEvents} turns them into bytes; nothing else in the service names an event or encodes its JSON.
 * The web UI's event union in {@code frontend/src/lib/api/types.ts} mirrors this type, and both test suites read
 * the shared fixtures in {@code src/test/resources/fixtures/events/}.
 */
public sealed interface ChatStreamEvent {

    /** First event of a turn: where it is stored. */
    record Session(String sessionId, String turnId, boolean newSession, List<UserMessage> userMessages)
            implements ChatStreamEvent {
        public record UserMessage(long messageId, String clientMessageId) {
        }
    }

    /**
     * An upstream {@code data:} payload relayed byte for byte as a {@code message} event; {@code json} is its parsed
     * view when the relay has it (the replay snapshot reads the deltas from it), never encoded.
     */
    record UpstreamChunk(String data, com.fasterxml.jackson.databind.JsonNode json) implements ChatStreamEvent {
        public UpstreamChunk(String data) {
            this(data, null);
        }
    }

    /** An upstream event with its own name, passed through unless the name is one of ours. */
    record UpstreamNamed(String name, String data) implements ChatStreamEvent {
    }

    /**
     * The end of one hop: what it produced and cost, and where it was stored.
     *
     * @param turnCost the turn's cost so far, this hop included
     * @param messageId the stored assistant message, or null when nothing was kept
     */
    record Metadata(String turnId, HopOutcome outcome, Double turnCost, String clientMessageId, Long messageId,
                    String createdAt) implements ChatStreamEvent {
    }

    /** A tool call was handed to its server. */
    record ToolStarted(String name, String callId, int hop) implements ChatStreamEvent {
    }

    /** A tool call's one result, real or written by the service. */
    record ToolFinished(String name, String callId, int hop, String result, boolean isError, long messageId,
                        long durationMs, String createdAt) implements ChatStreamEvent {
    }

    /**
     * A call waits for the person's decision (docs/api.md §3.7): {@code tool} is the name the model used (as in
     * {@code tool} events), {@code server} the MCP server id, {@code arguments} the parsed arguments (or their text
     * when they are not JSON), {@code reason} why it is asked.
     */
    record Approval(String callId, String tool, String server, com.fasterxml.jackson.databind.JsonNode arguments,
                    String reason) implements ChatStreamEvent {
    }

    /**
     * A server asks the person for input during a call (MCP elicitation, docs/api.md §3.7): form mode carries
     * {@code requestedSchema}, URL mode {@code url}; the other is null.
     */
    record Elicitation(String elicitationId, String callId, String server, String message,
                       com.fasterxml.jackson.databind.JsonNode requestedSchema, String url) implements ChatStreamEvent {
    }

    /** A note from the service itself in the tool channel ({@code status} is {@code notice} or {@code error}). */
    record SystemNotice(String status, String message) implements ChatStreamEvent {
    }

    /**
     * Sent instead of the events a resuming client missed when the replay buffer no longer holds them: the turn so
     * far as one JSON object (docs/api.md §3.6); its id is the last event it covers.
     */
    record Snapshot(String data) implements ChatStreamEvent {
    }

    /** The turn failed; sent once, just before {@link Done}. */
    record Error(String detail, int status, boolean retryable) implements ChatStreamEvent {
    }

    /** The last event of every turn (kept for replay even when no client is attached). */
    record Done() implements ChatStreamEvent {
    }
}
