package dev.orchat.conversation;

/** Values of a message about to be inserted; JSON members are already serialised. */
public record NewMessage(
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

    /** A tool result, real or written by the service. */
    public static NewMessage toolResult(String sessionId, String turnId, int position, String callId, String toolName,
                                        String text, boolean isError, boolean synthetic, String status, String now) {
        return new NewMessage(sessionId, turnId, position, "tool", text, "text", null, null, callId, toolName,
                isError, synthetic, status, null, null, null, null, null, null, null, null, null, null, null, null, now);
    }
}
