package dev.orchat.conversation;

/** One upstream model call (hop) as stored in {@code generations}; JSON members are already serialised. */
public record NewGeneration(String turnId, int hop, Long messageId, String status, Source source, Usage usage,
                            Timing timing) {

    public record Source(String generationId, String model, String provider, String finishReason,
                         String nativeFinishReason, String routing, String meta) {
    }

    public record Usage(Long promptTokens, Long completionTokens, Long reasoningTokens, Long cachedTokens,
                        Double cost, String usage) {
    }

    public record Timing(String startedAt, String firstTokenAt, String finishedAt) {
    }
}
