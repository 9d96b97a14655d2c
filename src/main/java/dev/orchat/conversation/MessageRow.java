package dev.orchat.conversation;

import org.jdbi.v3.core.mapper.Nested;

/**
 * A stored message: its id and the {@link NewMessage} it was stored as. JSON columns stay as text here and are
 * parsed where they are used; the accessors keep the flat names of the {@code messages} columns.
 */
public final class MessageRow {
    private final long id;
    private final NewMessage message;

    public MessageRow(long id, @Nested NewMessage message) {
        this.id = id;
        this.message = message;
    }

    public long id() { return id; }
    public NewMessage message() { return message; }
    public String sessionId() { return message.place().sessionId(); }
    public String turnId() { return message.place().turnId(); }
    public int position() { return message.place().position(); }
    public String role() { return message.role(); }
    public String content() { return message.body().content(); }
    public String contentKind() { return message.body().contentKind(); }
    public String name() { return message.body().name(); }
    public String toolCalls() { return message.tool().toolCalls(); }
    public String toolCallId() { return message.tool().toolCallId(); }
    public String toolName() { return message.tool().toolName(); }
    public boolean isError() { return message.tool().isError(); }
    public boolean synthetic() { return message.tool().synthetic(); }
    public String status() { return message.body().status(); }
    public String clientMessageId() { return message.place().clientMessageId(); }
    public String parentClientMessageId() { return message.place().parentClientMessageId(); }
    public String model() { return message.assistant().model(); }
    public String finishReason() { return message.assistant().finishReason(); }
    public String generationId() { return message.assistant().generationId(); }
    public String usage() { return message.assistant().usage(); }
    public Double cost() { return message.assistant().cost(); }
    public String reasoning() { return message.assistant().reasoning(); }
    public String reasoningDetails() { return message.assistant().reasoningDetails(); }
    public String routing() { return message.assistant().routing(); }
    public String meta() { return message.meta(); }
    public String extra() { return message.extra(); }
    public String createdAt() { return message.createdAt(); }

    public boolean hasToolCalls() {
        String calls = toolCalls();
        return calls != null && !calls.isBlank() && !"[]".equals(calls) && !"null".equals(calls);
    }
}
