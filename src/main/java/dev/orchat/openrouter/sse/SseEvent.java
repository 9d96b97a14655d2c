package dev.orchat.openrouter.sse;

import java.util.Objects;

/**
 * One dispatched Server-Sent Event.
 *
 * @param name event type; {@code "message"} when the stream did not name it
 * @param data the data lines joined with {@code \n}; never empty for events produced by {@link SseEventReader}
 * @param id   the last event ID in effect when the event was dispatched, or {@code null} if none was set
 */
public record SseEvent(String name, String data, String id) {

    public static final String DEFAULT_NAME = "message";

    public SseEvent {
        // Callers switch on the name, so a null would only move the default into every call site.
        if (name == null || name.isEmpty()) {
            name = DEFAULT_NAME;
        }
        Objects.requireNonNull(data, "data");
    }
}
