package dev.orchat.openrouter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.openrouter.sse.SseEvent;
import dev.orchat.openrouter.sse.SseEventReader;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open upstream SSE body, read as typed {@link StreamItem}s. The reading thread calls {@link #next()}; a
 * cancel from any thread aborts the connection through the {@link AbortHandle}, so a blocked read returns at once.
 * {@link #close()} returns the connection to the pool only when the body was read to its end; otherwise it
 * aborts, because draining could block forever.
 */
public final class CompletionStream implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CompletionStream.class);
    private final Response response;
    private final SseEventReader reader;
    private final AbortHandle handle;
    private final Map<String, String> routing;
    private final long silenceMillis;
    private final ObjectMapper mapper;
    private volatile boolean ended;

    CompletionStream(Response response, InputStream body, AbortHandle handle, Map<String, String> routing,
                     long silenceMillis, ObjectMapper mapper) {
        this.response = response;
        this.reader = new SseEventReader(body);
        this.handle = handle;
        this.routing = Map.copyOf(routing);
        this.silenceMillis = silenceMillis;
        this.mapper = mapper;
    }

    /** Response headers of interest (docs/api.md, the {@code routing} map of {@code metadata}). */
    public Map<String, String> routing() {
        return routing;
    }

    /**
     * The next item. Chunks that are not JSON are skipped (providers send stray keep-alive text); an in-band
     * {@code {"error": …}} chunk is thrown as {@link UpstreamException.Broken}.
     */
    public StreamItem next() throws UpstreamException {
        while (true) {
            SseEvent event = read();
            if (event == null) {
                ended = true;
                return new StreamItem.End();
            }
            if (!SseEvent.DEFAULT_NAME.equals(event.name())) {
                return new StreamItem.Named(event.name(), event.data());
            }
            if ("[DONE]".equals(event.data())) {
                ended = true;
                return new StreamItem.Done();
            }
            JsonNode json = parse(event.data());
            if (json == null) {
                LOG.debug("Skipped a non-JSON upstream chunk");
                continue;
            }
            if (json.path("error").isObject()) {
                throw UpstreamException.inBand(json.get("error"));
            }
            return new StreamItem.Chunk(event.data(), json);
        }
    }

    private SseEvent read() throws UpstreamException {
        try {
            return reader.next();
        } catch (SocketTimeoutException e) {
            throw UpstreamException.timedOut("Upstream timed out after " + (silenceMillis / 1000.0)
                    + " s without data", false, e);
        } catch (IOException | RuntimeException e) {
            throw UpstreamException.unreachable("Upstream connection failed: " + e.getClass().getSimpleName(),
                    false, e);
        }
    }

    private JsonNode parse(String data) {
        try {
            return mapper.readTree(data);
        } catch (JsonProcessingException e) {
            return null;
        }
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
