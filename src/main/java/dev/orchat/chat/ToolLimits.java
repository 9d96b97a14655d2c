package dev.orchat.chat;

import java.time.Duration;

/** The limits of one tool round (docs/configuration.md, {@code chat.tool*}). */
record ToolLimits(int parallelism, int argumentsMaxBytes, int resultMaxChars, Duration callTimeout) {
    static ToolLimits of(ChatFactory config) {
        return new ToolLimits(config.getToolParallelism(), config.getToolArgumentsMaxBytes(),
                config.getToolResultMaxChars(), config.getToolCallTimeout().toJavaDuration());
    }
}
