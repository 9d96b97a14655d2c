package dev.orchat.settings;

/**
 * The stored system prompt. {@code explicit} is the row's presence (docs/architecture.md §7): an explicit null is a cleared
 * prompt and stays cleared; without a row the configured default applies.
 */
public record SystemPrompt(boolean explicit, String value) {
    public static final SystemPrompt UNSET = new SystemPrompt(false, null);

    public String effective(String defaultPrompt) {
        return explicit ? value : defaultPrompt;
    }
}
