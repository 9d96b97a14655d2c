package dev.orchat.conversation;

/** One upstream model call (hop) as stored in {@code generations}. */
public record NewGeneration(
        String turnId,
        int hop,
        String generationId,
        String model,
        String provider,
        String status,
        String finishReason,
        String nativeFinishReason,
        Long promptTokens,
        Long completionTokens,
        Long reasoningTokens,
        Long cachedTokens,
        Double cost,
        String usage,
        String routing,
        String meta,
        Long messageId,
        String startedAt,
        String firstTokenAt,
        String finishedAt) {
}
