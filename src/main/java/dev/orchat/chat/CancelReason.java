package dev.orchat.chat;

/** Why a turn stopped early (docs/api.md §3.5); the lower-case name is stored in {@code turns.cancel_reason}. */
public enum CancelReason {
    CLIENT_DISCONNECT, USER_CANCEL, SESSION_DELETED, SHUTDOWN,
    /** No client was attached for {@code chat.detachGrace} (docs/api.md §3.6). */
    DETACHED;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether the client is still reading, so the turn can tell it what happened. */
    public boolean streamWritable() {
        return this != CLIENT_DISCONNECT && this != DETACHED;
    }
}
