package dev.orchat.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchat.conversation.ConversationStore;
import dev.orchat.conversation.Titles;
import dev.orchat.settings.SettingsSnapshot;
import dev.orchat.settings.SettingsStore;
import dev.orchat.upload.AttachmentLookup;
import dev.orchat.web.ApiException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Every check of a new turn, before its stream opens (docs/api.md, "POST /api/chat/stream": the 4xx answers),
 * then the turn's reservation and its stored start. What passes is an {@link Admitted} turn, ready to run.
 */
final class TurnAdmission {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final ChatRequestParser parser;
    private final TurnRegistry registry;
    private final SettingsStore settings;
    private final AttachmentLookup attachments;
    private final ConversationStore store;
    private final Defaults defaults;

    /** What a turn falls back to, and what the deployment requires of it. */
    record Defaults(String defaultModel, boolean requireExistingSession, BooleanSupplier upstreamConfigured) {
    }

    /** A reserved, stored turn and what its loop needs to run it. */
    record Admitted(RunningTurn turn, ChatRequest request, String model, SettingsSnapshot settings,
                    ChatStreamEvent.Session session) {
    }

    TurnAdmission(ChatRequestParser parser, TurnRegistry registry, SettingsStore settings,
                  AttachmentLookup attachments, ConversationStore store, Defaults defaults) {
        this.parser = parser;
        this.registry = registry;
        this.settings = settings;
        this.attachments = attachments;
        this.store = store;
        this.defaults = defaults;
    }

    Admitted admit(byte[] body) {
        ChatRequest request = parser.parse(body);
        if (!defaults.upstreamConfigured().getAsBoolean()) {
            throw ApiException.unavailable("OpenRouter is not configured: set OPENROUTER_API_KEY");
        }
        String sessionId = request.sessionId() != null ? request.sessionId() : newId();
        Map<String, AttachmentLookup.Attachment> referenced = checkAttachments(request, sessionId);
        String turnId = newId();
        RunningTurn turn = registry.reserve(sessionId, turnId);
        Admitted admitted;
        try {
            SettingsSnapshot snapshot = settings.snapshot();
            String model = request.model() != null ? request.model()
                    : snapshot.model() != null && !snapshot.model().isBlank() ? snapshot.model()
                    : defaults.defaultModel();
            ConversationStore.StartedTurn started = store.startTurn(new ConversationStore.NewTurn(sessionId, turnId,
                    model, request.clientAssistantMessageId(), request.clientParentMessageId(),
                    incoming(request, referenced), title(request, referenced), defaults.requireExistingSession()));
            admitted = new Admitted(turn, request, model, snapshot, sessionEvent(sessionId, turnId, started, request));
        } catch (RuntimeException e) {
            registry.release(turn);
            throw e;
        }
        attachments.touch(referenced.keySet());
        return admitted;
    }

    private static List<ConversationStore.IncomingMessage> incoming(
            ChatRequest request, Map<String, AttachmentLookup.Attachment> referenced) {
        List<ConversationStore.IncomingMessage> incoming = new ArrayList<>();
        for (ChatRequest.Message m : request.messages()) {
            JsonNode content = m.content();
            incoming.add(new ConversationStore.IncomingMessage(m.role(),
                    content.isNull() ? null : content.isTextual() ? content.asText() : content.toString(),
                    content.isNull() ? "null" : content.isTextual() ? "text" : "parts",
                    m.name(), m.clientMessageId(), m.extra() == null ? null : m.extra().toString(),
                    attachmentParts(content, referenced)));
        }
        return incoming;
    }

    private static String title(ChatRequest request, Map<String, AttachmentLookup.Attachment> referenced) {
        String firstAttachmentName = referenced.values().stream().findFirst()
                .map(AttachmentLookup.Attachment::filename).orElse(null);
        for (ChatRequest.Message m : request.messages()) {
            if (m.role().equals("user")) {
                return Titles.fromContent(m.content(), firstAttachmentName);
            }
        }
        return null;
    }

    /** Every reference must be an available attachment of this session; kept in reference order. */
    private Map<String, AttachmentLookup.Attachment> checkAttachments(ChatRequest request, String sessionId) {
        Map<String, AttachmentLookup.Attachment> found = new LinkedHashMap<>();
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

    /** The {@code message_attachments} snapshot rows of one canonical message content. */
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

    private static ChatStreamEvent.Session sessionEvent(String sessionId, String turnId,
                                                        ConversationStore.StartedTurn started, ChatRequest request) {
        List<ChatStreamEvent.Session.UserMessage> users = new ArrayList<>();
        for (int i = 0; i < request.messages().size(); i++) {
            users.add(new ChatStreamEvent.Session.UserMessage(started.messageIds().get(i),
                    request.messages().get(i).clientMessageId()));
        }
        return new ChatStreamEvent.Session(sessionId, turnId, started.newSession(), users);
    }

    static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
