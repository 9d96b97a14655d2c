package dev.orchat.conversation;

import org.jdbi.v3.core.mapper.Nested;

/**
 * Values of a message about to be inserted, and of a stored one ({@link MessageRow} wraps it with its id); JSON
 * members are serialised text. Grouped by concern so that no constructor takes more than a handful of values;
 * {@code @Nested} lets JDBI map a {@code messages} row into the groups by column name.
 */
public record NewMessage(@Nested Place place, String role, @Nested Body body, @Nested ToolPart tool,
                         @Nested Assistant assistant, String meta, String extra, String createdAt) {

    /** Where the message goes: its session, turn, position and the client's ids for it. */
    public record Place(String sessionId, String turnId, int position, String clientMessageId,
                        String parentClientMessageId) {
        Place at(int newPosition) {
            return new Place(sessionId, turnId, newPosition, clientMessageId, parentClientMessageId);
        }
    }

    /** The content and how to read it ({@code text}, {@code parts} or {@code null}). */
    public record Body(String content, String contentKind, String name, String status) {
    }

    /** Tool calls an assistant message asks for, or the call a tool result answers. */
    public record ToolPart(String toolCalls, String toolCallId, String toolName, boolean isError, boolean synthetic) {
        public static final ToolPart NONE = new ToolPart(null, null, null, false, false);
    }

    /** What only an assistant message has. */
    public record Assistant(String model, String finishReason, String generationId, String usage, Double cost,
                            String reasoning, String reasoningDetails, String routing) {
        public static final Assistant NONE = new Assistant(null, null, null, null, null, null, null, null);
    }

    NewMessage at(int position) {
        return new NewMessage(place.at(position), role, body, tool, assistant, meta, extra, createdAt);
    }

    /** The same message with {@code meta} (a tool result's approval and elicitations, docs/api.md §3.7). */
    public NewMessage withMeta(String value) {
        return new NewMessage(place, role, body, tool, assistant, value, extra, createdAt);
    }

    /** A tool result, real or written by the service. */
    public static NewMessage toolResult(Place place, ToolPart call, String text, String status, String now) {
        return new NewMessage(place, "tool", new Body(text, "text", null, status), call, Assistant.NONE, null, null,
                now);
    }
}
