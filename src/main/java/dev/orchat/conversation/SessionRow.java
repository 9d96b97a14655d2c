package dev.orchat.conversation;

import org.jdbi.v3.core.mapper.Nested;

/** A {@code sessions} row plus the id of its running turn, if any. */
public record SessionRow(String id, @Nested Naming naming, String createdAt, String updatedAt, String lastModel,
                         int messageCount, @Nested Totals totals, String activeTurnId) {

    /** The title and where it came from ({@code auto}, {@code user}, {@code model}). */
    public record Naming(String title, String titleSource) {
    }

    /** What the session's turns have cost so far. */
    public record Totals(double totalCost, long totalPromptTokens, long totalCompletionTokens) {
    }

    public String title() { return naming.title(); }
    public String titleSource() { return naming.titleSource(); }
    public double totalCost() { return totals.totalCost(); }
    public long totalPromptTokens() { return totals.totalPromptTokens(); }
    public long totalCompletionTokens() { return totals.totalCompletionTokens(); }
}
