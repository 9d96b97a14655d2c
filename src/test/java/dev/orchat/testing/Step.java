package dev.orchat.testing;

/**
 * One instruction of a {@link Script}. Kept package-private and sealed so that the runner can
 * rely on handling every variant; tests only ever see the fluent {@link Script.Builder}.
 */
sealed interface Step {

    /** Whether this step puts bytes into an SSE body (and so needs the 200 stream head first). */
    default boolean writesStreamBody() {
        return false;
    }

    /** A complete non-streaming reply (JSON body with Content-Length). */
    record Respond(int code, String body) implements Step { }

    /** One {@code data:} event. */
    record Chunk(String json) implements Step {
        @Override
        public boolean writesStreamBody() {
            return true;
        }
    }

    /**
     * A {@code data:} event whose {@link Script#SEND_NANOS} placeholder becomes {@code System.nanoTime()} at
     * the moment of writing, so a client in the same JVM can measure relay latency per chunk.
     */
    record StampedChunk(String template) implements Step {
        @Override
        public boolean writesStreamBody() {
            return true;
        }
    }

    /** One SSE comment line, as OpenRouter sends while a provider is still thinking. */
    record Comment(String text) implements Step {
        @Override
        public boolean writesStreamBody() {
            return true;
        }
    }

    /** Bytes placed into the body untouched, for framing edge cases a well-formed event cannot express. */
    record Raw(String text) implements Step {
        @Override
        public boolean writesStreamBody() {
            return true;
        }
    }

    record Done() implements Step {
        @Override
        public boolean writesStreamBody() {
            return true;
        }
    }

    record Delay(long millis) implements Step { }

    record Drop() implements Step { }

    record Stall() implements Step { }

    record End() implements Step { }
}
