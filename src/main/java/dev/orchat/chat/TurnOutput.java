package dev.orchat.chat;

/**
 * Where the events of one turn go (docs/architecture.md, "The life of one turn"). A chat-stream turn's output is
 * its {@link TurnEventLog} (inside {@link TurnEvents}): the events encoded as SSE, numbered, kept for replay and
 * fanned out to the attached clients (docs/api.md §3.6). Another front door, such as the OpenAI-compatible API
 * (docs/api.md §5), gives its own output instead, which translates the same typed events into its protocol; such a
 * turn has no log and cannot be resumed. Calls come from the turn's steps, its hop's upstream callbacks and its tool
 * tasks, one at a time ({@link TurnEvents} is their only caller and serialises them), and stop once the turn was
 * cancelled because its client left.
 */
public interface TurnOutput {
    /** Delivers one event; false when the client is gone (the turn is then cancelled as a disconnect). */
    boolean send(ChatStreamEvent event);

    /** Whether the client can still receive events. */
    boolean isWritable();

    /** How many events were delivered so far (the turn's stored {@code last_event_id} counts from it). */
    int lastId();

    /** Ends the output; called once, after the last event. */
    void close();
}
