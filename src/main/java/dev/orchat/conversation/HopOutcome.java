package dev.orchat.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * What one upstream call (hop) produced, as the accumulator saw it when the hop ended. The stored assistant
 * message, the {@code generations} row and the {@code metadata} event are all built from this one value
 * (docs/architecture.md, "One turn").
 *
 * @param status {@code complete}, {@code cancelled} or {@code failed}
 * @param receivedAnything whether any content, reasoning or tool-call delta arrived (a partial worth keeping)
 */
public record HopOutcome(int hop, String status, Reply reply, Usage usage, Source source, Timing timing,
                         boolean receivedAnything) {

    /** The model's answer: text, reasoning, tool calls and why it stopped. */
    public record Reply(String text, JsonNode reasoning, JsonNode reasoningDetails, List<ToolCall> toolCalls,
                        String finishReason, String nativeFinishReason) {
    }

    /** Token counts and cost as the upstream reported them ({@code raw} is its {@code usage} object). */
    public record Usage(Long promptTokens, Long completionTokens, Long reasoningTokens, Long cachedTokens,
                        Double cost, JsonNode raw) {
    }

    /** Which model and provider answered, with the upstream's routing headers and extra metadata. */
    public record Source(String model, String provider, String generationId, JsonNode routing, JsonNode meta) {
    }

    public record Timing(Instant started, Instant firstToken, Instant finished) {
    }

    public boolean isComplete() {
        return status.equals("complete");
    }

    /** A hop is stored as a message when it completed or produced something worth keeping (docs/api.md). */
    public boolean keepsMessage() {
        return isComplete() || receivedAnything;
    }
}
