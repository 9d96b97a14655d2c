package dev.orchat.conversation;

/** A {@code sessions} row plus the id of its running turn, if any. */
public record SessionRow(
        String id,
        String title,
        String titleSource,
        String createdAt,
        String updatedAt,
        String lastModel,
        int messageCount,
        double totalCost,
        long totalPromptTokens,
        long totalCompletionTokens,
        String activeTurnId) {
}
