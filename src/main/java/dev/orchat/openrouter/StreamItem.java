package dev.orchat.openrouter;

import com.fasterxml.jackson.databind.JsonNode;

/** One item of an upstream completion stream, already told apart (docs/architecture.md, "Upstream"). */
public sealed interface StreamItem {

    /** A JSON chunk: the exact {@code data:} text to relay, and its parsed view to accumulate. */
    record Chunk(String raw, JsonNode json) implements StreamItem {
    }

    /** An event the upstream named itself (not {@code message}). */
    record Named(String name, String data) implements StreamItem {
    }

    /** {@code data: [DONE]}: the upstream finished the stream properly. */
    record Done() implements StreamItem {
    }

    /** The body ended without {@code [DONE]}; whether that is a failure depends on what arrived before. */
    record End() implements StreamItem {
    }

    /** The reader stopped taking items (its turn ended or lost its clients); the call was aborted. */
    record Stopped() implements StreamItem {
    }
}
