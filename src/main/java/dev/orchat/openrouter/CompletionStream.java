package dev.orchat.openrouter;

import dev.orchat.openrouter.sse.SseEvent;
import dev.orchat.openrouter.sse.SseEventReader;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.Map;

/**
 * One open upstream SSE body. The reading thread calls {@link #next()}; any thread may call {@link #abort()},
 * which closes the connection so a blocked read returns at once. {@link #close()} returns the connection to the
 * pool only when the body was read to its end; otherwise it aborts, because draining could block forever.
 */
public final class CompletionStream implements AutoCloseable {
    private final Response response;
    private final SseEventReader reader;
    private final AbortHandle handle;
    private final Map<String, String> routing;
    private final long silenceMillis;
    private volatile boolean ended;

    CompletionStream(Response response, InputStream body, AbortHandle handle, Map<String, String> routing,
                     long silenceMillis) {
        this.response = response;
        this.reader = new SseEventReader(body);
        this.handle = handle;
        this.routing = Map.copyOf(routing);
        this.silenceMillis = silenceMillis;
    }

    /** Response headers of interest (SPEC §4.6 routing map). */
    public Map<String, String> routing() {
        return routing;
    }

    /** The next upstream event, or null at the end of the body. */
    public SseEvent next() throws UpstreamException {
        try {
            SseEvent event = reader.next();
            if (event == null) {
                ended = true;
            }
            return event;
        } catch (SocketTimeoutException e) {
            throw new UpstreamException(504, "Upstream timed out after " + (silenceMillis / 1000.0)
                    + " s without data", null, false, e);
        } catch (IOException | RuntimeException e) {
            throw new UpstreamException(502, "Upstream connection failed: " + e.getClass().getSimpleName(),
                    null, false, e);
        }
    }

    /** Marks the body as complete ({@code [DONE]} seen) so that close may reuse the connection. */
    public void markEnded() {
        ended = true;
    }

    public void abort() {
        handle.abort();
    }

    public boolean isAborted() {
        return handle.isAborted();
    }

    @Override
    public void close() {
        if (!ended) {
            handle.abort();
        }
        try {
            response.close();
        } catch (RuntimeException e) {
            // Already aborted or broken; nothing left to release.
        }
    }
}
