package dev.orchat.openrouter;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.SocketTimeoutException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;

/**
 * One attempt at {@code POST /chat/completions}: sends it, and turns what comes back before the body into either an
 * open {@link CompletionStream} or an {@link UpstreamException} (docs/api.md §2.2). An error status's
 * body is read (up to 64 KiB) for its detail.
 */
final class StreamingCall implements Response.Listener {
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private final Request request;
    private final long silenceMillis;
    private final ObjectMapper mapper;
    private final Function<byte[], String> errorDetail;
    private final CompletableFuture<CompletionStream> opened = new CompletableFuture<>();
    private volatile CompletionStream stream;

    StreamingCall(Request request, long silenceMillis, ObjectMapper mapper, Function<byte[], String> errorDetail) {
        this.request = request;
        this.silenceMillis = silenceMillis;
        this.mapper = mapper;
        this.errorDetail = errorDetail;
    }

    /**
     * Sends the request; the future completes when its response headers arrived (or fails with an
     * {@link UpstreamException}). The handle can abort the call from now on.
     */
    CompletableFuture<CompletionStream> open(AbortHandle handle) {
        handle.attach(() -> request.abort(new CancellationException("upstream call cancelled")));
        request.send(this);
        return opened;
    }

    @Override
    public void onContentSource(Response response, Content.Source source) {
        if (response.getStatus() >= 400) {
            readError(response, source, new ByteArrayOutputStream());
            return;
        }
        CompletionStream open = new CompletionStream(request, source, routingHeaders(response), silenceMillis, mapper);
        stream = open;
        opened.complete(open);
    }

    @Override
    public void onComplete(Result result) {
        if (!result.isFailed()) {
            Response response = result.getResponse();
            if (response.getStatus() >= 400 && !opened.isDone()) {
                opened.completeExceptionally(refused(response, new byte[0]));
            }
            return;
        }
        Throwable failure = result.getFailure();
        if (!opened.completeExceptionally(beforeStream(failure))) {
            CompletionStream open = stream;
            if (open != null) {
                open.failed(failure);
            }
        }
    }

    /** Reads an error body up to the cap with the source's read/demand loop, then fails the attempt with it. */
    private void readError(Response response, Content.Source source, ByteArrayOutputStream body) {
        while (true) {
            Content.Chunk chunk = source.read();
            if (chunk == null) {
                source.demand(() -> readError(response, source, body));
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                opened.completeExceptionally(refused(response, body.toByteArray()));
                return;
            }
            var bytes = chunk.getByteBuffer();
            int n = Math.min(bytes.remaining(), MAX_ERROR_BODY - body.size());
            byte[] copy = new byte[n];
            bytes.get(copy);
            body.write(copy, 0, n);
            boolean last = chunk.isLast();
            chunk.release();
            if (last || body.size() >= MAX_ERROR_BODY) {
                opened.completeExceptionally(refused(response, body.toByteArray()));
                if (!last) {
                    request.abort(new CancellationException("error body over " + MAX_ERROR_BODY + " bytes"));
                }
                return;
            }
        }
    }

    private UpstreamException refused(Response response, byte[] body) {
        return UpstreamException.refused(response.getStatus(), errorDetail.apply(body),
                OpenRouterClient.retryAfter(response.getHeaders().get("Retry-After")));
    }

    /** A failure before the body: retryable like any transport failure (docs/api.md §2.2). */
    private static UpstreamException beforeStream(Throwable cause) {
        if (cause instanceof TimeoutException || cause instanceof SocketTimeoutException) {
            return UpstreamException.timedOut("Upstream timed out", true, cause);
        }
        return UpstreamException.unreachable("Upstream connection failed: " + cause.getClass().getSimpleName(), true,
                cause);
    }

    private static Map<String, String> routingHeaders(Response response) {
        Map<String, String> routing = new LinkedHashMap<>();
        for (HttpField field : response.getHeaders()) {
            String name = field.getName().toLowerCase(Locale.ROOT);
            if (name.startsWith("openrouter-") || name.equals("x-request-id") || name.equals("via")) {
                routing.merge(name, field.getValue(), (a, b) -> a + "," + b);
            }
        }
        return routing;
    }
}
