package dev.orchat.openai;

import dev.orchat.chat.ChatStreamEvent;
import dev.orchat.chat.TurnOutput;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.glassfish.jersey.server.ChunkedOutput;

/**
 * A streaming completion (docs/api.md, "OpenAI-compatible API"): OpenAI's framing, {@code data: <chunk>} lines
 * and {@code data: [DONE]}, nothing else.
 *
 * <p>The HTTP status is chosen late, so that a failure before the upstream answers (a 429, a 502) reaches the
 * client as that status, which is what OpenAI's SDKs turn into their typed exceptions: {@link #response()}
 * completes with a streaming 200 at the first chunk, or with the error when the turn fails first. Frames go into
 * a Jersey {@link ChunkedOutput}, written and flushed one by one on the turn's relay thread; a failed write means
 * the client left, and the engine then cancels the turn, which aborts the upstream.
 */
final class ChunkStream implements TurnOutput {
    private final CompletionTranslator translator;
    private final boolean includeUsage;
    private final String sessionHeader;
    private final ChunkedOutput<String> output = new ChunkedOutput<>(String.class);
    private final CompletableFuture<Response> response = new CompletableFuture<>();
    private volatile boolean gone;
    private int sent;

    /** @param sessionHeader the {@code X-Orchat-Session} response header, or null for a stateless request */
    ChunkStream(CompletionTranslator translator, boolean includeUsage, String sessionHeader) {
        this.translator = translator;
        this.includeUsage = includeUsage;
        this.sessionHeader = sessionHeader;
    }

    /** The response to resume the request with: decided by the first chunk or by a failure before it. */
    CompletableFuture<Response> response() {
        return response;
    }

    @Override
    public boolean send(ChatStreamEvent event) {
        if (gone) {
            return false;
        }
        if (event instanceof ChatStreamEvent.Error error && !response.isDone()) {
            translator.observe(event);
            response.complete(OpenAiErrors.response(error.status(), error.detail(), null));
            return true;
        }
        List<String> chunks = translator.chunks(event, includeUsage);
        if (!chunks.isEmpty() && !response.isDone()) {
            Response.ResponseBuilder ok = Response.ok(output, "text/event-stream")
                    .header("Cache-Control", "no-cache")
                    .header("X-Accel-Buffering", "no");
            if (sessionHeader != null) {
                ok.header(OpenAiResource.SESSION_HEADER, sessionHeader);
            }
            response.complete(ok.build());
        }
        try {
            for (String chunk : chunks) {
                output.write("data: " + chunk + "\n\n");
            }
        } catch (IOException | RuntimeException e) {
            gone = true;
            return false;
        }
        sent++;
        return true;
    }

    @Override
    public boolean isWritable() {
        return !gone && !output.isClosed();
    }

    @Override
    public int lastId() {
        return sent;
    }

    @Override
    public void close() {
        // A turn that ends without a chunk or an error was cancelled (shutdown, the client left).
        response.complete(OpenAiErrors.response(503, "The request was cancelled before an answer started.", null));
        try {
            output.close();
        } catch (IOException | RuntimeException e) {
            // The client is gone already.
        }
    }
}
