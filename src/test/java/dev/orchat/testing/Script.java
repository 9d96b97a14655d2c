package dev.orchat.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What the fake does with one {@code POST /chat/completions}. Immutable, so a single instance may
 * be enqueued several times or used as the default for many concurrent requests.
 *
 * <p>Streaming steps ({@code chunk}, {@code comment}, {@code raw}, {@code done}, {@code end}) lazily
 * send the {@code 200 text/event-stream} head before their first byte, so a leading {@code delay}
 * models a slow time-to-first-byte and a leading {@code drop}/{@code stall} models an upstream that
 * never answers at all.
 */
public final class Script {

    /** Placeholder replaced by the writer's {@code System.nanoTime()} in {@link Builder#stampedChunk}. */
    public static final String SEND_NANOS = "__SEND_NANOS__";

    private final int streamStatus;
    private final Map<String, String> headers;
    private final List<Step> steps;

    private Script(Builder b) {
        this.streamStatus = b.streamStatus;
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
        this.steps = List.copyOf(b.steps);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with this script, for small variations of a factory-made stream. */
    public Builder toBuilder() {
        return new Builder().append(this);
    }

    int streamStatus() {
        return streamStatus;
    }

    /** Extra response headers, keyed by lower-cased name so later values override earlier ones. */
    Map<String, String> headers() {
        return headers;
    }

    List<Step> steps() {
        return steps;
    }

    @Override
    public String toString() {
        return "Script" + steps;
    }

    public static final class Builder {
        private int streamStatus = 200;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final List<Step> steps = new ArrayList<>();

        private Builder() {
        }

        /** Status line used for the SSE head; OpenRouter always streams with 200. */
        public Builder status(int code) {
            this.streamStatus = code;
            return this;
        }

        /** Replies with a complete JSON response instead of a stream (errors such as 429 or 500). */
        public Builder status(int code, String jsonBody) {
            steps.add(new Step.Respond(code, Objects.requireNonNull(jsonBody)));
            return this;
        }

        /** Adds a response header to whichever head this script sends (stream or JSON). */
        public Builder header(String name, String value) {
            headers.put(name.toLowerCase(Locale.ROOT), Objects.requireNonNull(value));
            return this;
        }

        public Builder chunk(String json) {
            steps.add(new Step.Chunk(Objects.requireNonNull(json)));
            return this;
        }

        /** Like {@link #chunk} but {@link #SEND_NANOS} in {@code template} is filled in at write time. */
        public Builder stampedChunk(String template) {
            if (!template.contains(SEND_NANOS)) {
                throw new IllegalArgumentException("template lacks " + SEND_NANOS + ": " + template);
            }
            steps.add(new Step.StampedChunk(template));
            return this;
        }

        public Builder comment(String text) {
            steps.add(new Step.Comment(Objects.requireNonNull(text)));
            return this;
        }

        public Builder delay(long millis) {
            if (millis < 0) {
                throw new IllegalArgumentException("negative delay: " + millis);
            }
            steps.add(new Step.Delay(millis));
            return this;
        }

        public Builder done() {
            steps.add(new Step.Done());
            return this;
        }

        public Builder raw(String text) {
            steps.add(new Step.Raw(Objects.requireNonNull(text)));
            return this;
        }

        public Builder drop() {
            steps.add(new Step.Drop());
            return this;
        }

        public Builder stall() {
            steps.add(new Step.Stall());
            return this;
        }

        public Builder end() {
            steps.add(new Step.End());
            return this;
        }

        /** Appends another script's steps and headers (e.g. {@code delay(500)} then a factory stream). */
        public Builder append(Script other) {
            headers.putAll(other.headers);
            if (other.streamStatus != 200) {
                streamStatus = other.streamStatus;
            }
            steps.addAll(other.steps);
            return this;
        }

        public Script build() {
            validate();
            return new Script(this);
        }

        // Mixing a JSON reply with stream bytes on one response cannot be put on the wire
        // coherently, so reject it early instead of producing a confusing socket-level failure.
        private void validate() {
            boolean streamed = false;
            boolean responded = false;
            boolean terminal = false;
            for (Step step : steps) {
                if (terminal) {
                    throw new IllegalStateException("steps after drop/stall/end are unreachable: " + steps);
                }
                boolean streamy = step.writesStreamBody() || step instanceof Step.End;
                if (step instanceof Step.Respond) {
                    if (streamed || responded) {
                        throw new IllegalStateException("status(code, body) must be the only response: " + steps);
                    }
                    responded = true;
                } else if (streamy) {
                    if (responded) {
                        throw new IllegalStateException("stream steps cannot follow status(code, body): " + steps);
                    }
                    streamed = true;
                }
                terminal = step instanceof Step.Drop || step instanceof Step.Stall || step instanceof Step.End;
            }
        }
    }
}
