package dev.orchat.conversation;

/** The {@code turns} columns the service reads back. */
public record TurnRow(
        String id,
        String sessionId,
        int seq,
        String status,
        String requestedModel,
        int hopCount,
        String cancelReason,
        Integer errorStatus,
        String errorDetail,
        int lastEventId,
        String startedAt,
        String finishedAt) {
}
