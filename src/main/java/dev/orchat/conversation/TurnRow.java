package dev.orchat.conversation;

import org.jdbi.v3.core.mapper.Nested;

/** The {@code turns} columns the service reads back, grouped so no constructor takes a long positional list. */
public record TurnRow(String id, String sessionId, int seq, String status, String requestedModel, int hopCount,
                      @Nested Ending ending, @Nested Times times) {

    /** How the turn ended (all null / 0 while it runs). */
    public record Ending(String cancelReason, Integer errorStatus, String errorDetail, int lastEventId) {
    }

    public record Times(String startedAt, String finishedAt) {
    }

    public String cancelReason() { return ending.cancelReason(); }
    public Integer errorStatus() { return ending.errorStatus(); }
    public String errorDetail() { return ending.errorDetail(); }
    public int lastEventId() { return ending.lastEventId(); }
    public String startedAt() { return times.startedAt(); }
    public String finishedAt() { return times.finishedAt(); }
}
