package dev.orchat.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.conversation.ActiveTurns;
import dev.orchat.conversation.ConversationStore;
import dev.orchat.conversation.Titles;
import dev.orchat.settings.SettingsSnapshot;
import dev.orchat.settings.SettingsStore;
import dev.orchat.upload.AttachmentLookup;
import dev.orchat.web.ApiException;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts turns: every check of SPEC §4.2 happens here, before the stream opens; then the turn is stored and
 * handed to a {@link ChatRelay} on the relay executor (SPEC §4.3 steps 1–4).
 */
public final class ChatService implements ActiveTurns {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final ChatServices s;
    private final ChatRequestParser parser;
    private final TurnRegistry registry;
    private final SettingsStore settings;
    private final AttachmentLookup attachments;
    private final String defaultModel;
    private final ExecutorService relays;

    public ChatService(ChatServices s, ChatRequestParser parser, TurnRegistry registry, SettingsStore settings,
                       AttachmentLookup attachments, String defaultModel, ExecutorService relays) {
        this.s = s;
        this.parser = parser;
        this.registry = registry;
        this.settings = settings;
        this.attachments = attachments;
        this.defaultModel = defaultModel;
        this.relays = relays;
    }

    public void start(byte[] body, SseEventSink sink, Sse sse, String requestId) {
        ChatRequest request = parser.parse(body);
        if (!s.upstream().isConfigured()) {
            throw ApiException.unavailable("OpenRouter is not configured: set OPENROUTER_API_KEY");
        }
        String sessionId = request.sessionId() != null ? request.sessionId() : newId();
        Map<String, AttachmentLookup.Attachment> referenced = checkAttachments(request, sessionId);
        String firstAttachmentName = referenced.values().stream().findFirst()
                .map(AttachmentLookup.Attachment::filename).orElse(null);
        String turnId = newId();
        RunningTurn turn = registry.reserve(sessionId, turnId);
        ObjectNode sessionEvent;
        SettingsSnapshot snapshot;
        String model;
        try {
            snapshot = settings.snapshot();
            model = request.model() != null ? request.model()
                    : snapshot.model() != null && !snapshot.model().isBlank() ? snapshot.model() : defaultModel;
            List<ConversationStore.IncomingMessage> incoming = new ArrayList<>();
            JsonNode firstUser = null;
            for (ChatRequest.Message m : request.messages()) {
                if (firstUser == null && m.role().equals("user")) {
                    firstUser = m.content();
                }
                incoming.add(new ConversationStore.IncomingMessage(m.role(),
                        m.content().isNull() ? null : m.content().isTextual() ? m.content().asText() : m.content().toString(),
                        m.content().isNull() ? "null" : m.content().isTextual() ? "text" : "parts",
                        m.name(), m.clientMessageId(), m.extra() == null ? null : m.extra().toString(),
                        attachmentParts(m.content(), referenced)));
            }
            String title = firstUser == null ? null : Titles.fromContent(firstUser, firstAttachmentName);
            ConversationStore.StartedTurn started = s.store().startTurn(sessionId, turnId, model,
                    request.clientAssistantMessageId(), request.clientParentMessageId(), incoming, title,
                    s.config().isRequireExistingSession());
            sessionEvent = sessionEvent(sessionId, turnId, started, request);
        } catch (RuntimeException e) {
            registry.release(turn);
            throw e;
        }
        attachments.touch(referenced.keySet());
        s.metrics().started.mark();
        EventStream events = new EventStream(sink, sse);
        turn.attachEvents(events);
        String parentId = request.clientParentMessageId() != null ? request.clientParentMessageId()
                : request.lastUserClientMessageId();
        TurnState state = new TurnState(turn, events, s.mapper(), request.clientAssistantMessageId(), parentId);
        try {
            relays.execute(new ChatRelay(s, registry, state, request, model, snapshot, sessionEvent, requestId));
        } catch (RejectedExecutionException e) {
            // Shutting down: the turn is stored, so close it properly rather than leave it running.
            turn.cancel(CancelReason.SHUTDOWN);
            new ChatRelay(s, registry, state, request, model, snapshot, sessionEvent, requestId).run();
        }
    }

    /** Cancels the running turn of a session for the cancel route; waits for its final state (≤ 5 s). */
    public Map<String, Object> cancel(String sessionId) {
        var turn = registry.find(sessionId);
        if (turn.isEmpty()) {
            java.util.HashMap<String, Object> out = new java.util.HashMap<>();
            out.put("session_id", sessionId);
            out.put("turn_id", null);
            out.put("cancelled", false);
            return out;
        }
        turn.get().cancel(CancelReason.USER_CANCEL);
        await(turn.get(), Duration.ofSeconds(5));
        return Map.of("session_id", sessionId, "turn_id", turn.get().turnId(), "cancelled", true);
    }

    /** Shutdown (SPEC §1.2): cancel every turn, wait at most {@code wait} for all of them. */
    public void cancelAll(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        for (RunningTurn turn : registry.all()) {
            turn.cancel(CancelReason.SHUTDOWN);
        }
        for (RunningTurn turn : registry.all()) {
            await(turn, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
    }

    @Override
    public boolean isRunning(String sessionId) {
        return registry.find(sessionId).isPresent();
    }

    @Override
    public void cancelForDeletion(String sessionId, Duration wait) {
        registry.find(sessionId).ifPresent(turn -> {
            turn.cancel(CancelReason.SESSION_DELETED);
            await(turn, wait);
        });
    }

    private static void await(RunningTurn turn, Duration wait) {
        try {
            turn.finished().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            // Reported by the caller's view of the turn; nothing else to do.
        }
    }

    /** SPEC §4.2: every reference must be an available attachment of this session; in reference order. */
    private Map<String, AttachmentLookup.Attachment> checkAttachments(ChatRequest request, String sessionId) {
        Map<String, AttachmentLookup.Attachment> found = new java.util.LinkedHashMap<>();
        for (ChatRequest.Message m : request.messages()) {
            for (String id : m.attachmentIds()) {
                var attachment = attachments.find(id).filter(a -> a.sessionId().equals(sessionId));
                if (attachment.isEmpty()) {
                    throw ApiException.unprocessable("Attachment " + id + " does not belong to this session");
                }
                if (attachment.get().state() == AttachmentLookup.State.EXPIRED) {
                    throw ApiException.gone("Attachment " + id + " has expired");
                }
                found.put(id, attachment.get());
            }
        }
        return found;
    }

    /** The message_attachments snapshot rows of one canonical message content (SPEC §2.2). */
    private static List<ConversationStore.AttachmentPart> attachmentParts(
            JsonNode content, Map<String, AttachmentLookup.Attachment> referenced) {
        if (!content.isArray()) {
            return List.of();
        }
        List<ConversationStore.AttachmentPart> parts = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            if ("attachment".equals(part.path("type").asText())) {
                var a = referenced.get(part.path("attachment_id").asText());
                if (a != null) {
                    parts.add(new ConversationStore.AttachmentPart(i, a.id(), a.filename(), a.mimeType()));
                }
            }
        }
        return parts;
    }

    private ObjectNode sessionEvent(String sessionId, String turnId, ConversationStore.StartedTurn started,
                                    ChatRequest request) {
        ObjectNode event = s.mapper().createObjectNode();
        event.put("session_id", sessionId);
        event.put("turn_id", turnId);
        event.put("new_session", started.newSession());
        var users = event.putArray("user_messages");
        for (int i = 0; i < request.messages().size(); i++) {
            ObjectNode m = users.addObject();
            m.put("message_id", started.messageIds().get(i));
            m.put("client_message_id", request.messages().get(i).clientMessageId());
        }
        return event;
    }

    static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
