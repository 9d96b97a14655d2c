package dev.orchat.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.conversation.ConversationStore;
import dev.orchat.conversation.MessageRow;
import dev.orchat.conversation.Titles;
import dev.orchat.openrouter.Flavor;
import dev.orchat.openrouter.OpenRouterClient;
import dev.orchat.openrouter.UpstreamException;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code chat.titles.mode: model} (docs/configuration.md, chat.titles): after a session's first turn completes, asks a model for a short
 * title on its own thread, so the turn's stream and {@code [DONE]} never wait for it. Any failure keeps the
 * {@code truncate} title. In {@code truncate} mode it owns no thread and does nothing.
 */
final class SessionTitler implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(SessionTitler.class);
    static final int MAX_INPUT_CHARS = 2_000;
    static final String INSTRUCTION = "Write a title of at most six words for the conversation below. "
            + "Answer with the title only: no quotes, no trailing punctuation.";

    private final ConversationStore store;
    private final OpenRouterClient upstream;
    private final ObjectMapper mapper;
    private final String model;
    private final ExecutorService executor;

    /** @param model the titles model, or {@code null} when titles are not asked of a model */
    SessionTitler(ConversationStore store, OpenRouterClient upstream, ObjectMapper mapper, String model) {
        this.store = store;
        this.upstream = upstream;
        this.mapper = mapper;
        this.model = model;
        // One daemon thread: titles are rare (one per session) and must not compete with relays.
        this.executor = model == null ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "session-titles");
            t.setDaemon(true);
            return t;
        });
    }

    /** Called when a turn ended {@code complete}; returns at once. */
    void turnCompleted(String sessionId, String turnId) {
        if (executor == null) {
            return;
        }
        try {
            executor.execute(() -> titleQuietly(sessionId, turnId));
        } catch (RejectedExecutionException e) {
            LOG.debug("Title request skipped: shutting down");
        }
    }

    private void titleQuietly(String sessionId, String turnId) {
        try {
            title(sessionId, turnId);
        } catch (UpstreamException e) {
            // The detail is the upstream's error message; the key never appears in it.
            LOG.warn("Session title request failed for session {}: {} {}", sessionId, e.status(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("Session title failed for session {}: {}", sessionId, e.getClass().getSimpleName());
        }
    }

    private void title(String sessionId, String turnId) throws UpstreamException {
        Optional<ConversationStore.TitleInput> input = store.titleInput(sessionId, turnId);
        if (input.isEmpty() || input.get().turn().seq() != 1 || !"auto".equals(input.get().session().titleSource())) {
            return; // not the first turn, session gone, or already renamed: nothing to ask for
        }
        List<MessageRow> rows = input.get().turnMessages();
        String question = null;
        String answer = null;
        for (MessageRow row : rows) {
            String text = textOf(row);
            if (question == null && "user".equals(row.role())) {
                question = text;
            } else if ("assistant".equals(row.role()) && text != null && !text.isBlank()) {
                answer = text; // the last assistant text is the answer (earlier ones preceded tool calls)
            }
        }
        if (question == null || question.isBlank()) {
            return;
        }
        JsonNode reply = ask(question, answer == null ? "" : answer);
        JsonNode content = reply.path("choices").path(0).path("message").path("content");
        String title = content.isTextual() ? Titles.fromModel(content.asText()) : null;
        JsonNode cost = reply.path("usage").path("cost");
        if (title == null) {
            LOG.warn("Session title request for session {} returned no usable text", sessionId);
        }
        store.applyModelTitle(sessionId, title, cost.isNumber() ? cost.doubleValue() : 0);
    }

    private JsonNode ask(String question, String answer) throws UpstreamException {
        ObjectNode payload = mapper.createObjectNode();
        payload.put("model", model);
        payload.put("stream", false);
        payload.put("max_tokens", 32);
        var messages = payload.putArray("messages");
        messages.addObject().put("role", "system").put("content", INSTRUCTION);
        messages.addObject().put("role", "user").put("content",
                "User message:\n" + head(question) + "\n\nAssistant answer:\n" + head(answer));
        if (upstream.flavor() == Flavor.OPENROUTER) {
            payload.putObject("usage").put("include", true); // so the response reports usage.cost
        }
        try {
            OpenRouterClient.JsonReply reply = upstream.postJson("/chat/completions", mapper.writeValueAsBytes(payload));
            return mapper.readTree(reply.body());
        } catch (IOException e) {
            throw UpstreamException.invalid("Upstream answered with invalid JSON", false);
        }
    }

    /** The first 2,000 characters, not splitting a surrogate pair. */
    static String head(String text) {
        if (text.length() <= MAX_INPUT_CHARS) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_INPUT_CHARS - 1)) ? MAX_INPUT_CHARS - 1 : MAX_INPUT_CHARS;
        return text.substring(0, end);
    }

    private String textOf(MessageRow row) {
        if (row.content() == null || "null".equals(row.contentKind())) {
            return null;
        }
        if (!"parts".equals(row.contentKind())) {
            return row.content();
        }
        try {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : mapper.readTree(row.content())) {
                if ("text".equals(part.path("type").asText()) && part.path("text").isTextual()) {
                    text.append(text.length() == 0 ? "" : " ").append(part.get("text").asText());
                }
            }
            return text.toString();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void stop() throws InterruptedException {
        if (executor == null) {
            return;
        }
        // A pending title is expendable: the truncate title stays, so shutdown does not wait for the upstream long.
        executor.shutdown();
        if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
    }
}
