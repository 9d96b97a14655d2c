package dev.orchat.openai;

import dev.orchat.chat.ChatStreamEvent;
import dev.orchat.chat.TurnOutput;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletableFuture;

/**
 * A non-streaming completion (docs/api.md, "OpenAI-compatible API"): the turn runs to its end, then one
 * {@code chat.completion} (or the error with its status) answers the request.
 */
final class BufferedCompletion implements TurnOutput {
    private final CompletionTranslator translator;
    private final String sessionHeader;
    private final CompletableFuture<Response> response = new CompletableFuture<>();
    private boolean done;
    private int seen;

    BufferedCompletion(CompletionTranslator translator, String sessionHeader) {
        this.translator = translator;
        this.sessionHeader = sessionHeader;
    }

    CompletableFuture<Response> response() {
        return response;
    }

    @Override
    public boolean send(ChatStreamEvent event) {
        translator.observe(event);
        done |= event instanceof ChatStreamEvent.Done;
        seen++;
        return true;
    }

    @Override
    public boolean isWritable() {
        return !response.isDone();
    }

    @Override
    public int lastId() {
        return seen;
    }

    @Override
    public void close() {
        ChatStreamEvent.Error error = translator.error();
        if (error != null) {
            response.complete(OpenAiErrors.response(error.status(), error.detail(), null));
        } else if (!done) {
            response.complete(OpenAiErrors.response(503, "The request was cancelled before it completed.", null));
        } else {
            Response.ResponseBuilder ok = Response.ok(translator.completion(), MediaType.APPLICATION_JSON_TYPE);
            if (sessionHeader != null) {
                ok.header(OpenAiResource.SESSION_HEADER, sessionHeader);
            }
            response.complete(ok.build());
        }
    }
}
