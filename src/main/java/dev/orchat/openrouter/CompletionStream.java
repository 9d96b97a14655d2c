package dev.orchat.openrouter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.openrouter.sse.SseEvent;
import dev.orchat.openrouter.sse.SseEventReader;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.io.Content;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open upstream SSE body, delivered as typed {@link StreamItem}s to the {@link ItemSink} of {@link #relay}.
 * Nothing waits on the socket: the body is read when the client's selector says bytes arrived, and the sink runs
 * on the thread that read them, one item at a time and in order (docs/architecture.md, "Upstream"). A cancel from
 * any thread aborts the call through the {@link AbortHandle}. {@link #close()} aborts a body that was not read to
 * its end, because draining could last forever; after {@code [DONE]} the rest is read quietly so the connection
 * goes back to the pool.
 */
public final class CompletionStream implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CompletionStream.class);
    private final Request request;
    private final Content.Source body;
    private final Map<String, String> routing;
    private final long silenceMillis;
    private final ObjectMapper mapper;
    private final SseEventReader parser = SseEventReader.push();
    private final CompletableFuture<StreamItem> end = new CompletableFuture<>();
    private final ReentrantLock reading = new ReentrantLock();
    private ItemSink sink;
    /** After {@code [DONE]}: the rest of the body is read and dropped, so the connection can be reused. */
    private volatile boolean draining;
    private volatile boolean ended;

    /** Takes the body's items; returns false to stop reading (the call is then aborted). */
    @FunctionalInterface
    public interface ItemSink {
        boolean accept(StreamItem item);
    }

    CompletionStream(Request request, Content.Source body, Map<String, String> routing, long silenceMillis,
                     ObjectMapper mapper) {
        this.request = request;
        this.body = body;
        this.routing = Map.copyOf(routing);
        this.silenceMillis = silenceMillis;
        this.mapper = mapper;
    }

    /** Response headers of interest (docs/api.md, the {@code routing} map of {@code metadata}). */
    public Map<String, String> routing() {
        return routing;
    }

    /**
     * Starts handing every item of the body to {@code itemSink} and returns at once. The future completes with the
     * body's end ({@link StreamItem.Done}, {@link StreamItem.End} or {@link StreamItem.Stopped}) or fails with an
     * {@link UpstreamException}, on whichever thread saw it: call {@link #settle()} before reading what the sink
     * gathered. Chunks that are not JSON are skipped (providers send stray keep-alive text); an in-band
     * {@code {"error": …}} chunk ends the call with {@link UpstreamException.Broken}.
     */
    public CompletableFuture<StreamItem> relay(ItemSink itemSink) {
        this.sink = itemSink;
        read();
        return end;
    }

    /**
     * Waits until no sink call is in progress. A failure or cancel can end the call while a reader is still inside
     * the sink; the loop takes no new item once the end is set, so after this the sink's work is complete. Never
     * call it from the sink.
     */
    public void settle() {
        reading.lock();
        reading.unlock();
    }

    /** The call failed after its headers (an idle timeout, a reset, an abort). */
    void failed(Throwable cause) {
        end.completeExceptionally(failure(cause));
    }

    /** The read loop of a demand-driven source: runs until no bytes are left, then asks to be called again. */
    private void read() {
        reading.lock();
        try {
            readAvailable();
        } finally {
            reading.unlock();
        }
    }

    private void readAvailable() {
        while (!end.isDone() || draining) {
            Content.Chunk chunk = body.read();
            if (chunk == null) {
                body.demand(this::read);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                failed(chunk.getFailure());
                return;
            }
            try {
                if (!draining) {
                    parser.feed(chunk.getByteBuffer(), this::dispatch);
                }
                if (chunk.isLast()) {
                    if (!draining) {
                        parser.end(this::dispatch);
                    }
                    ended = true;
                    draining = false;
                    end.complete(new StreamItem.End());
                    return;
                }
            } catch (IOException | RuntimeException e) {
                if (e instanceof RuntimeException) {
                    LOG.warn("Upstream item not relayed; the call is abandoned", e); // a fault of ours, not the upstream's
                }
                abort();
                failed(e);
                return;
            } finally {
                chunk.release();
            }
        }
    }

    private void dispatch(SseEvent event) {
        if (draining || end.isDone()) {
            return;
        }
        StreamItem item = toItem(event);
        if (item == null) {
            return;
        }
        if (item instanceof StreamItem.Done) {
            draining = true;
            end.complete(item);
            return;
        }
        if (!sink.accept(item)) {
            end.complete(new StreamItem.Stopped());
            abort();
        }
    }

    private StreamItem toItem(SseEvent event) {
        if (!SseEvent.DEFAULT_NAME.equals(event.name())) {
            return new StreamItem.Named(event.name(), event.data());
        }
        if ("[DONE]".equals(event.data())) {
            return new StreamItem.Done();
        }
        JsonNode json = parse(event.data());
        if (json == null) {
            LOG.debug("Skipped a non-JSON upstream chunk");
            return null;
        }
        if (json.path("error").isObject()) {
            end.completeExceptionally(UpstreamException.inBand(json.get("error")));
            abort();
            return null;
        }
        return new StreamItem.Chunk(event.data(), json);
    }

    private JsonNode parse(String data) {
        try {
            return mapper.readTree(data);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private UpstreamException failure(Throwable cause) {
        if (cause instanceof UpstreamException u) {
            return u;
        }
        if (cause instanceof TimeoutException) {
            return UpstreamException.timedOut("Upstream timed out after " + (silenceMillis / 1000.0)
                    + " s without data", false, cause);
        }
        return UpstreamException.unreachable("Upstream connection failed: " + cause.getClass().getSimpleName(),
                false, cause);
    }

    private void abort() {
        request.abort(new CancellationException("upstream call abandoned"));
    }

    @Override
    public void close() {
        if (!ended && !draining) {
            abort();
        }
    }
}
