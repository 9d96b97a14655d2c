package dev.orchat.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;

/**
 * Where a server's request for input during a tool call goes (MCP elicitation, docs/api.md §3.7): the turn that made
 * the call asks the person and completes the answer. A call made outside a chat-stream turn gets {@link #NONE}.
 */
@FunctionalInterface
public interface Elicitor {
    /** No one to ask: every request is answered {@code cancel} at once. */
    Elicitor NONE = request -> CompletableFuture.completedFuture(Answer.CANCEL);

    /** Asks; the future completes with the answer, or with {@code cancel} on timeout or when the turn ends. */
    CompletableFuture<Answer> ask(Request request);

    /**
     * One request of a server: form mode has {@code requestedSchema}, URL mode has {@code url} (and the server's own
     * {@code elicitationId}).
     */
    record Request(String serverId, String message, JsonNode requestedSchema, String url, String serverElicitationId) {
    }

    /** {@code accept} (with {@code content} in form mode), {@code decline} or {@code cancel}. */
    record Answer(String action, JsonNode content) {
        public static final Answer CANCEL = new Answer("cancel", null);
    }
}
