package dev.orchat.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Non-streaming chat completions ({@code "stream": false}, e.g. session titles): one settable JSON answer or an
 * error status. Reached through {@link FakeOpenRouter#completions()}; requests are recorded like any other.
 */
public final class FakeCompletions {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final String DEFAULT_JSON = answer("Fake Title", 0.0);

    private volatile String json = DEFAULT_JSON;
    private volatile int status = 200;
    private volatile long delayMillis;
    private final AtomicInteger requests = new AtomicInteger();

    /** A minimal OpenRouter-style completion whose message content is {@code content}. */
    public static String answer(String content, double cost) {
        var root = MAPPER.createObjectNode();
        root.put("id", "gen-title").put("object", "chat.completion").put("model", "fake/model");
        var message = root.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop")
                .putObject("message");
        message.put("role", "assistant").put("content", content);
        root.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 3).put("total_tokens", 13)
                .put("cost", cost);
        return root.toString();
    }

    /** Body answered with status 200. */
    public void setJson(String json) {
        this.json = Objects.requireNonNull(json);
    }

    /** Anything but 200 answers with OpenRouter's error envelope. */
    public void setStatus(int status) {
        this.status = status;
    }

    /** Wait before answering, so a test can act while the request is in flight. */
    public void setDelay(java.time.Duration delay) {
        this.delayMillis = delay.toMillis();
    }

    /** Non-streaming completion requests received so far (counted on arrival, before any delay). */
    public int requestCount() {
        return requests.get();
    }

    void reset() {
        json = DEFAULT_JSON;
        status = 200;
        delayMillis = 0;
        requests.set(0);
    }

    /** Whether a chat completion body asks for a non-streaming answer. */
    static boolean isNonStreaming(String body) {
        try {
            JsonNode stream = MAPPER.readTree(body).get("stream");
            return stream != null && stream.isBoolean() && !stream.booleanValue();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Status and body of one non-streaming answer. */
    record Answer(int status, String body) {
    }

    /** Counts the request, waits the configured delay; returns what to answer with. */
    Answer answerRequest() {
        requests.incrementAndGet();
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int s = status;
        return new Answer(s, s == 200 ? json : Endpoints.error(s, HttpOutput.reason(s)));
    }
}
