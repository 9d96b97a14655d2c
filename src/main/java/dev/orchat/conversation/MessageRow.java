package dev.orchat.conversation;

/** A stored message; JSON columns stay as text here and are parsed where they are used. */
public record MessageRow(
        long id,
        String sessionId,
        String turnId,
        int position,
        String role,
        String content,
        String contentKind,
        String name,
        String toolCalls,
        String toolCallId,
        String toolName,
        boolean isError,
        boolean synthetic,
        String status,
        String clientMessageId,
        String parentClientMessageId,
        String model,
        String finishReason,
        String generationId,
        String usage,
        Double cost,
        String reasoning,
        String reasoningDetails,
        String routing,
        String meta,
        String extra,
        String createdAt) {

    public boolean hasToolCalls() {
        return toolCalls != null && !toolCalls.isBlank() && !"[]".equals(toolCalls) && !"null".equals(toolCalls);
    }
}
