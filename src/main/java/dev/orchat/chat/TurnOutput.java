package dev.orchat.chat;

/**
 * Where the events of one turn go (docs/architecture.md, "The life of one turn"). The chat stream's SSE encoding
 * is one implementation (inside {@link TurnEvents}); another front door, such as the OpenAI-compatible API
 * (docs/api.md, "OpenAI-compatible API"), translates the same typed events into its own protocol. Calls come from
 * the turn's relay thread and its tool tasks, one at a time ({@link TurnEvents} is their only caller).
 */
public interface TurnOutput {
    /** Delivers one event; false when the client is gone (the turn is then cancelled as a disconnect). */
    boolean send(ChatStreamEvent event);

    /** Whether the client can still receive events. */
    boolean isWritable();

    /** How many events were delivered so far; stored as the turn's {@code last_event_id}. */
    int lastId();

    /** Ends the output; called once, after the last event. */
    void close();
}
