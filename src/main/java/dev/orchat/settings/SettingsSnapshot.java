package dev.orchat.settings;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The model settings and system prompt as read at the start of a turn (docs/api.md §2.2 step 5); later changes affect
 * the next turn only. {@code model} may be null (then the configured default applies).
 */
public record SettingsSnapshot(String model, ObjectNode provider, ObjectNode parameters, String systemPrompt) {
}
