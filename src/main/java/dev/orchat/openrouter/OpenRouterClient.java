package dev.orchat.openrouter;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.Scheduler;

/** The only code that talks to the upstream (docs/api.md §2.2). Thread-safe; one instance per service. */
public final class OpenRouterClient {
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private final Client client;
    private final OpenRouterFactory config;
    private final ObjectMapper mapper;
    private final URI base;
    private final Flavor flavor;
    private final Meter retries;
    private final String completions;
    /** Streams turns without a thread per call (docs/architecture.md, "Upstream"); the Jersey client does the rest. */
    private final HttpClient streaming;

    OpenRouterClient(Client client, HttpClient streaming, OpenRouterFactory config, ObjectMapper mapper,
                     MetricRegistry metrics) {
        this.client = client;
        this.streaming = streaming;
        this.config = config;
        this.mapper = mapper;
        this.base = config.baseUri();
        this.flavor = config.resolvedFlavor();
        this.retries = metrics.meter("chat.upstream.retries");
        this.completions = base.toString() + "/chat/completions";
    }

    public Flavor flavor() {
        return flavor;
    }

    /** A chat turn can run: the flavor needs no key, or a key is configured. */
    public boolean isConfigured() {
        return flavor == Flavor.GENERIC || config.apiKey().isPresent();
    }

    /** Waits between retries without a thread: completes with true after the delay, false once the call is cancelled. */
    @FunctionalInterface
    public interface RetryWait {
        CompletableFuture<Boolean> after(long millis);
    }

    /**
     * Opens {@code POST /chat/completions} as a stream, retrying before the first body byte (docs/api.md §2.2).
     * Returns at once; the future completes when a response's headers arrived, on the upstream client's thread, or
     * fails with the last {@link UpstreamException}.
     */
    public CompletableFuture<CompletionStream> openStream(byte[] payload, AbortHandle handle, RetryWait wait) {
        CompletableFuture<CompletionStream> result = new CompletableFuture<>();
        attempt(payload, handle, wait, 0, result);
        return result;
    }

    private void attempt(byte[] payload, AbortHandle handle, RetryWait wait, int attempt,
                         CompletableFuture<CompletionStream> result) {
        Request request = streaming.newRequest(completions).method(HttpMethod.POST)
                .idleTimeout(config.silenceTimeoutMillis(), TimeUnit.MILLISECONDS)
                .headers(fields -> eachHeader(fields::put))
                .accept(MediaType.SERVER_SENT_EVENTS)
                .body(new BytesRequestContent(MediaType.APPLICATION_JSON, payload));
        boundTheWaitForAConnection(request);
        new StreamingCall(request, config.silenceTimeoutMillis(), mapper, this::errorDetail).open(handle)
                .whenComplete((stream, error) -> {
                    if (error == null) {
                        result.complete(stream);
                        return;
                    }
                    UpstreamException e = error instanceof UpstreamException u ? u : UpstreamException.unreachable(
                            "Upstream connection failed: " + error.getClass().getSimpleName(), true, error);
                    long delay = retryDelay(e, attempt);
                    if (handle.isAborted() || attempt >= config.getMaxRetries() || delay < 0) {
                        result.completeExceptionally(e);
                        return;
                    }
                    retries.mark();
                    wait.after(delay).whenComplete((go, waitError) -> {
                        if (Boolean.TRUE.equals(go) && !handle.isAborted()) {
                            attempt(payload, handle, wait, attempt + 1, result);
                        } else {
                            result.completeExceptionally(e);
                        }
                    });
                });
    }

    /**
     * A request waits in the client's queue while every pooled connection is busy; like the connect itself, that
     * wait may last {@code openrouter.connectTimeout} (docs/configuration.md), then the attempt fails as a
     * retryable timeout.
     */
    private void boundTheWaitForAConnection(Request request) {
        long limit = config.connectTimeoutMillis();
        Scheduler.Task timer = streaming.getScheduler().schedule(() -> request.abort(
                new TimeoutException("No upstream connection within " + limit + " ms")), limit, TimeUnit.MILLISECONDS);
        request.onRequestBegin(begun -> timer.cancel());
    }

    /** A JSON GET against the upstream; the caller maps status and body (models, generation, key). */
    public JsonReply getJson(String pathAndQuery) throws UpstreamException {
        Response response;
        try {
            response = request(pathAndQuery, MediaType.APPLICATION_JSON).get();
        } catch (ProcessingException e) {
            throw transportFailure(e);
        }
        try (response) {
            if (response.getStatus() >= 400) {
                throw httpFailure(response);
            }
            String text = response.readEntity(String.class);
            return new JsonReply(response.getStatus(), text);
        } catch (ProcessingException e) {
            throw transportFailure(e);
        }
    }

    /**
     * A non-streaming JSON POST (session titles, docs/configuration.md, chat.titles): same headers and socket timeouts as a turn, no
     * retries, because the caller treats any failure as "keep the old value".
     */
    public JsonReply postJson(String path, byte[] payload) throws UpstreamException {
        Response response;
        try {
            response = request(path, MediaType.APPLICATION_JSON)
                    .post(Entity.entity(payload, MediaType.APPLICATION_JSON_TYPE));
        } catch (ProcessingException e) {
            throw transportFailure(e);
        }
        try (response) {
            if (response.getStatus() >= 400) {
                throw httpFailure(response);
            }
            return new JsonReply(response.getStatus(), response.readEntity(String.class));
        } catch (ProcessingException e) {
            throw transportFailure(e);
        }
    }

    /** Status and raw body text of a successful JSON call. */
    public record JsonReply(int status, String body) {
    }

    private Invocation.Builder request(String pathAndQuery, String accept) {
        return headers(client.target(base.toString() + pathAndQuery).request().accept(accept));
    }

    private Invocation.Builder headers(Invocation.Builder builder) {
        eachHeader(builder::header);
        return builder;
    }

    private void eachHeader(BiConsumer<String, String> header) {
        config.apiKey().ifPresent(key -> header.accept("Authorization", "Bearer " + key));
        config.appUrl().ifPresent(url -> {
            header.accept("HTTP-Referer", url);
            header.accept("Referer", url);
        });
        config.appTitle().ifPresent(title -> header.accept("X-Title", title));
    }

    private UpstreamException httpFailure(Response response) {
        int status = response.getStatus();
        String detail;
        try {
            detail = errorDetail(readCapped(response));
        } catch (IOException | RuntimeException e) {
            detail = "Upstream returned an empty error response.";
        } finally {
            response.close();
        }
        return UpstreamException.refused(status, detail, retryAfter(response.getHeaderString("Retry-After")));
    }

    private static byte[] readCapped(Response response) throws IOException {
        if (!response.hasEntity()) {
            return new byte[0];
        }
        try (InputStream in = response.readEntity(InputStream.class)) {
            return in.readNBytes(MAX_ERROR_BODY);
        }
    }

    /** docs/api.md §2.2: {@code error.message}, else the JSON of {@code error}, else the text, else a fixed sentence. */
    String errorDetail(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return "Upstream returned an empty error response.";
        }
        try {
            JsonNode json = mapper.readTree(text);
            JsonNode error = json == null ? null : json.get("error");
            if (error != null && error.path("message").isTextual()) {
                return error.get("message").asText();
            }
            if (error != null && !error.isNull()) {
                return error.isTextual() ? error.asText() : mapper.writeValueAsString(error);
            }
        } catch (IOException e) {
            // Not JSON: the text itself is the detail.
        }
        return text;
    }

    private UpstreamException transportFailure(ProcessingException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (cause instanceof SocketTimeoutException) {
            return UpstreamException.timedOut("Upstream timed out", true, e);
        }
        return UpstreamException.unreachable("Upstream connection failed: " + cause.getClass().getSimpleName(), true, e);
    }

    /** Milliseconds to wait before the next attempt, or -1 when the failure must not be retried. */
    static long retryDelay(UpstreamException e, int attempt) {
        boolean transport = e instanceof UpstreamException.Transport;
        if (!transport && !UpstreamException.isRetryableStatus(e.status())) {
            return -1;
        }
        if (e.retryAfterSeconds() != null) {
            return e.retryAfterSeconds() <= 10 ? e.retryAfterSeconds() * 1000L : -1;
        }
        double base = 500.0 * (1L << Math.min(attempt, 10));
        double jitter = 1 + (ThreadLocalRandom.current().nextDouble() * 0.4 - 0.2);
        return Math.round(base * jitter);
    }

    static Integer retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Math.max(0, Integer.parseInt(header.strip()));
        } catch (NumberFormatException e) {
            try {
                var when = java.time.ZonedDateTime.parse(header.strip(), java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
                return (int) Math.max(0, java.time.Duration.between(java.time.ZonedDateTime.now(), when).toSeconds());
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }
}
