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

    /** An upstream {@code data:} payload relayed byte for byte as a {@code message} event. */
    record UpstreamChunk(String data) implements ChatStreamEvent {
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

    /** A note from the service itself in the tool channel ({@code status} is {@code notice} or {@code error}). */
    record SystemNotice(String status, String message) implements ChatStreamEvent {
    }

    /** The turn failed; sent once, just before {@link Done}. */
    record Error(String detail, int status, boolean retryable) implements ChatStreamEvent {
    }

    /** The last event of every stream that ends while the client still reads. */
    record Done() implements ChatStreamEvent {
    }
}
