package dev.orchat.testing;

import java.util.Objects;

/** One function call that {@link Scripts#toolCalls} streams; {@code argumentsJson} is sent verbatim. */
public record ToolCallSpec(String id, String name, String argumentsJson) {
    public ToolCallSpec {
        Objects.requireNonNull(id);
        Objects.requireNonNull(name);
        Objects.requireNonNull(argumentsJson);
    }
}
