package dev.orchat.conversation;

import java.time.Duration;
import java.util.Optional;

/** What history operations need from the running turns, without depending on the chat feature. */
public interface ActiveTurns {
    boolean isRunning(String sessionId);

    /** Cancels the session's running turn (reason {@code session_deleted}) and waits for it to end. */
    void cancelForDeletion(String sessionId, Duration wait);

    /** The session's running turn as a client needs it to attach (docs/api.md §3.6), if one runs here. */
    default Optional<RunningTurnView> runningTurn(String sessionId) {
        return Optional.empty();
    }

    /** {@code running_turn} of {@code GET /api/chat/session/{id}}. */
    record RunningTurnView(String turnId, int lastEventId, String status) {
    }
}
