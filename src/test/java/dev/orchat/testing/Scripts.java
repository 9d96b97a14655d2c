package dev.orchat.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * Ready-made scripts reproducing what OpenRouter really streams. Every call creates a fresh
 * generation id ({@code gen-<epoch>-<random>}), so two factory calls never collide.
 */
public final class Scripts {

    /** Comment OpenRouter emits while waiting for the provider; parsers must skip it. */
    public static final String PROCESSING = "OPENROUTER PROCESSING";

    private static final int PROMPT_TOKENS = 10;

    private Scripts() {
    }

    /** A complete answer: processing comment, role, one chunk per piece, stop, usage, [DONE]. */
    public static Script text(String... pieces) {
        StreamChunks c = StreamChunks.openAi();
        Script.Builder b = Script.builder().comment(PROCESSING).chunk(c.role());
        for (String piece : pieces) {
            b.chunk(c.content(piece));
        }
        return finish(b, c, "stop", pieces.length, 0).build();
    }

    /** Reasoning deltas (with {@code reasoning_details}) followed by the visible answer. */
    public static Script reasoningThenText(String reasoning, String text) {
        StreamChunks c = StreamChunks.openAi();
        Script.Builder b = Script.builder().comment(PROCESSING).chunk(c.role());
        List<String> thoughts = words(reasoning);
        for (String piece : thoughts) {
            b.chunk(c.reasoning(piece));
        }
        List<String> answer = words(text);
        for (String piece : answer) {
            b.chunk(c.content(piece));
        }
        return finish(b, c, "stop", thoughts.size() + answer.size(), thoughts.size()).build();
    }

    /**
     * Tool calls streamed the OpenAI way: an opening delta per call with id/type/name and empty
     * arguments, then the arguments in two or three fragments carrying only the index.
     */
    public static Script toolCalls(ToolCallSpec... calls) {
        StreamChunks c = StreamChunks.openAi();
        Script.Builder b = Script.builder().comment(PROCESSING);
        int fragments = 0;
        for (int i = 0; i < calls.length; i++) {
            ToolCallSpec call = calls[i];
            b.chunk(c.toolCallStart(i, call.id(), call.name()));
            for (String piece : split(call.argumentsJson())) {
                b.chunk(c.toolCallArguments(i, piece));
                fragments++;
            }
        }
        return finish(b, c, "tool_calls", fragments + calls.length, 0).build();
    }

    /** {@code chunks} pieces {@code "tok<i> "}, one every {@code intervalMillis} (0 = flat out). */
    public static Script paced(int chunks, long intervalMillis) {
        StreamChunks c = StreamChunks.openAi();
        Script.Builder b = Script.builder().chunk(c.role());
        for (int i = 0; i < chunks; i++) {
            if (i > 0 && intervalMillis > 0) {
                b.delay(intervalMillis);
            }
            b.chunk(c.content("tok" + i + " "));
        }
        return finish(b, c, "stop", chunks, 0).build();
    }

    /**
     * Like {@link #paced} but every content piece is {@code "t=<System.nanoTime() at write> "}, for relay-latency
     * benchmarks whose client shares the fake's JVM (and so its nanoTime origin).
     */
    public static Script pacedStamped(int chunks, long intervalMillis) {
        StreamChunks c = StreamChunks.openAi();
        Script.Builder b = Script.builder().chunk(c.role());
        for (int i = 0; i < chunks; i++) {
            if (i > 0 && intervalMillis > 0) {
                b.delay(intervalMillis);
            }
            b.stampedChunk(c.content("t=" + Script.SEND_NANOS + " "));
        }
        return finish(b, c, "stop", chunks, 0).build();
    }

    /**
     * Some content, then OpenRouter's in-band error event, then the body simply ends (OpenRouter
     * sends no {@code [DONE]} after an error).
     */
    public static Script midStreamError(int code, String message) {
        StreamChunks c = StreamChunks.openAi();
        return Script.builder().comment(PROCESSING).chunk(c.role())
                .chunk(c.content("Partial"))
                .chunk(c.content(" answer"))
                .chunk(c.error(code, message))
                .end()
                .build();
    }

    /** Streams the pieces, then goes silent with the connection open until the client leaves. */
    public static Script stallAfter(String... pieces) {
        return opening(pieces).stall().build();
    }

    /** Streams the pieces, then closes the socket without terminating the chunked body. */
    public static Script dropAfter(String... pieces) {
        return opening(pieces).drop().build();
    }

    /** Streams the pieces, then ends the body cleanly but with no finish_reason and no [DONE]. */
    public static Script endWithoutDone(String... pieces) {
        return opening(pieces).end().build();
    }

    /** One {@code data: {oops} event that is not JSON, then a normal text stream of {@code text}. */
    public static Script malformedThenText(String text) {
        StreamChunks c = StreamChunks.openAi();
        Script.Builder b = Script.builder().comment(PROCESSING).raw("data: {oops\n\n").chunk(c.role());
        List<String> pieces = words(text);
        for (String piece : pieces) {
            b.chunk(c.content(piece));
        }
        return finish(b, c, "stop", pieces.size(), 0).build();
    }

    /** A non-streaming error in OpenRouter's envelope, e.g. {@code httpError(402, "Insufficient credits")}. */
    public static Script httpError(int code, String message) {
        return Script.builder().status(code, Endpoints.error(code, message)).build();
    }

    /** A 429 with {@code Retry-After}, as OpenRouter returns when a provider rate-limits. */
    public static Script rateLimited(int retryAfterSeconds) {
        return Script.builder()
                .header("Retry-After", Integer.toString(retryAfterSeconds))
                .status(429, Endpoints.error(429, "Rate limit exceeded"))
                .build();
    }

    /** {@code script} preceded by a silent wait before the response head (slow time-to-first-byte). */
    public static Script delayed(long millis, Script script) {
        return Script.builder().delay(millis).append(script).build();
    }

    private static Script.Builder opening(String... pieces) {
        StreamChunks c = StreamChunks.openAi();
        Script.Builder b = Script.builder().comment(PROCESSING).chunk(c.role());
        for (String piece : pieces) {
            b.chunk(c.content(piece));
        }
        return b;
    }

    private static Script.Builder finish(
            Script.Builder b, StreamChunks c, String reason, int completionTokens, int reasoningTokens) {
        return b.chunk(c.finish(reason))
                .chunk(c.usage(PROMPT_TOKENS, Math.max(1, completionTokens), reasoningTokens))
                .done();
    }

    /** Splits after each whitespace run so that concatenating the pieces restores the text. */
    static List<String> words(String text) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        for (int i = 1; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i - 1)) && !Character.isWhitespace(text.charAt(i))) {
                pieces.add(text.substring(start, i));
                start = i;
            }
        }
        if (start < text.length()) {
            pieces.add(text.substring(start));
        }
        return pieces;
    }

    /** Two or three fragments (fewer for tiny strings), never splitting a surrogate pair. */
    static List<String> split(String s) {
        int parts = s.length() >= 3 ? 3 : Math.max(1, s.length());
        List<String> pieces = new ArrayList<>();
        int start = 0;
        for (int p = 1; p <= parts; p++) {
            int end = p == parts ? s.length() : s.length() * p / parts;
            if (end > start && end < s.length() && Character.isLowSurrogate(s.charAt(end))) {
                end++;
            }
            if (end > start) {
                pieces.add(s.substring(start, end));
                start = end;
            }
        }
        if (pieces.isEmpty()) {
            pieces.add(s);
        }
        return pieces;
    }
}
