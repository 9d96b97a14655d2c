package dev.orchat.conversation;

import java.time.Duration;

/** What history operations need from the running turns, without depending on the chat feature. */
public interface ActiveTurns {
    boolean isRunning(String sessionId);

    /** Cancels the session's running turn (reason {@code session_deleted}) and waits for it to end. */
    void cancelForDeletion(String sessionId, Duration wait);
}
