package dev.orchat.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.conversation.SessionIds;
import dev.orchat.web.ApiException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Validates a chat request body and splits it into stored messages and forwarded keys (docs/api.md §2.2). */
public final class ChatRequestParser {
    private static final Pattern UPLOAD_URL = Pattern.compile("/api/uploads/([0-9a-f]{32})/content(?:[?#].*)?$");
    private static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");
    private static final Set<String> MESSAGE_KEYS = Set.of("role", "content", "name", "client_message_id", "tool_call_id");
    private static final Set<String> NOT_FORWARDED = Set.of("messages", "session_id", "model", "metadata", "tools", "stream");
    private final ObjectMapper mapper;
    private final int maxMessages;
    private final int maxAttachmentsPerMessage;

    public ChatRequestParser(ObjectMapper mapper, int maxMessages, int maxAttachmentsPerMessage) {
        this.mapper = mapper;
        this.maxMessages = maxMessages;
        this.maxAttachmentsPerMessage = maxAttachmentsPerMessage;
    }

    public ChatRequest parse(byte[] body) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("Malformed JSON body");
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("Request body must be a JSON object");
        }
        ObjectNode object = (ObjectNode) root;
        String sessionId = optionalString(object, "session_id");
        if (sessionId != null && !SessionIds.isValid(sessionId)) {
            throw ApiException.invalid(List.of("body", "session_id"), "String should match pattern '" + SessionIds.REGEX + "'",
                    "string_pattern_mismatch");
        }
        String model = optionalString(object, "model");
        if (model != null && (model.isBlank() || model.length() > 200)) {
            throw ApiException.invalid(List.of("body", "model"), "Model must be a non-blank string of at most 200 characters", "value_error");
        }
        String clientAssistantId = null;
        String clientParentId = null;
        JsonNode metadata = object.get("metadata");
        if (metadata != null && !metadata.isNull()) {
            if (!metadata.isObject()) {
                throw ApiException.invalid(List.of("body", "metadata"), "Input should be a valid dictionary", "dict_type");
            }
            clientAssistantId = shortString(metadata.get("client_assistant_message_id"));
            clientParentId = shortString(metadata.get("client_parent_message_id"));
        }
        List<ChatRequest.Message> messages = parseMessages(object.get("messages"));
        ObjectNode forwarded = mapper.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!NOT_FORWARDED.contains(field.getKey()) && !field.getValue().isNull()) {
                forwarded.set(field.getKey(), field.getValue());
            }
        }
        return new ChatRequest(forwarded, sessionId, model == null ? null : model.strip(), clientAssistantId,
                clientParentId, messages);
    }

    private List<ChatRequest.Message> parseMessages(JsonNode node) {
        if (node == null) {
            throw ApiException.invalid(List.of("body", "messages"), "Field required", "missing");
        }
        if (!node.isArray()) {
            throw ApiException.invalid(List.of("body", "messages"), "Input should be a valid list", "list_type");
        }
        if (node.isEmpty() || node.size() > maxMessages) {
            throw ApiException.invalid(List.of("body", "messages"),
                    "List should have between 1 and " + maxMessages + " items", "too_long");
        }
        List<ChatRequest.Message> stored = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode m = node.get(i);
            if (!m.isObject()) {
                throw ApiException.invalid(List.of("body", "messages", i), "Input should be a valid dictionary", "dict_type");
            }
            JsonNode role = m.get("role");
            if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
                throw ApiException.invalid(List.of("body", "messages", i, "role"),
                        "Input should be 'system', 'user', 'assistant' or 'tool'", "literal_error");
            }
            if (!m.has("content")) {
                throw ApiException.invalid(List.of("body", "messages", i, "content"), "Field required", "missing");
            }
            JsonNode content = m.get("content");
            validateContent(content, i);
            String name = checkedString(m, "name", i, 256);
            String clientId = checkedString(m, "client_message_id", i, 128);
            checkedString(m, "tool_call_id", i, 256);
            String r = role.asText();
            if (r.equals("assistant") || r.equals("tool")) {
                continue; // a client cannot inject model output or tool results (docs/api.md §2.2)
            }
            ObjectNode extra = mapper.createObjectNode();
            m.fields().forEachRemaining(f -> {
                if (!MESSAGE_KEYS.contains(f.getKey())) {
                    extra.set(f.getKey(), f.getValue());
                }
            });
            List<String> attachmentIds = new ArrayList<>();
            JsonNode canonical = r.equals("user") ? canonicalise(content, attachmentIds) : stripPartMetadata(content);
            if (attachmentIds.size() > maxAttachmentsPerMessage) {
                throw ApiException.unprocessable("At most " + maxAttachmentsPerMessage + " attachments per message");
            }
            stored.add(new ChatRequest.Message(r, canonical, name, clientId, extra.isEmpty() ? null : extra,
                    List.copyOf(attachmentIds)));
        }
        if (stored.isEmpty()) {
            throw ApiException.unprocessable("At least one user or system message is required");
        }
        return stored;
    }

    private static void validateContent(JsonNode content, int i) {
        if (content.isNull() || content.isTextual()) {
            return;
        }
        if (!content.isArray()) {
            throw ApiException.invalid(List.of("body", "messages", i, "content"),
                    "Input should be a string, a list of content parts or null", "type_error");
        }
        for (int p = 0; p < content.size(); p++) {
            JsonNode part = content.get(p);
            if (!part.isObject() || !part.path("type").isTextual()) {
                throw ApiException.invalid(List.of("body", "messages", i, "content", p),
                        "Content parts must be objects with a string 'type'", "type_error");
            }
        }
    }

    /** Recognises the three attachment reference forms and stores the canonical one (docs/api.md §2.2). */
    private JsonNode canonicalise(JsonNode content, List<String> attachmentIds) {
        if (!content.isArray()) {
            return content;
        }
        ArrayNode out = mapper.createArrayNode();
        for (JsonNode part : content) {
            String id = attachmentIdOf(part);
            if (id != null) {
                attachmentIds.add(id);
                ObjectNode ref = out.addObject();
                ref.put("type", "attachment");
                ref.put("attachment_id", id);
            } else {
                ObjectNode copy = part.deepCopy();
                copy.remove("metadata");
                out.add(copy);
            }
        }
        return out;
    }

    private JsonNode stripPartMetadata(JsonNode content) {
        if (!content.isArray()) {
            return content;
        }
        ArrayNode out = mapper.createArrayNode();
        for (JsonNode part : content) {
            ObjectNode copy = part.deepCopy();
            copy.remove("metadata");
            out.add(copy);
        }
        return out;
    }

    private static String attachmentIdOf(JsonNode part) {
        String type = part.path("type").asText();
        if (type.equals("attachment") && part.path("attachment_id").isTextual()) {
            return part.get("attachment_id").asText();
        }
        if (part.path("metadata").path("attachment_id").isTextual()) {
            return part.get("metadata").get("attachment_id").asText();
        }
        if (type.equals("image_url")) {
            JsonNode url = part.path("image_url");
            String text = url.isTextual() ? url.asText() : url.path("url").asText("");
            Matcher m = UPLOAD_URL.matcher(text);
            if (!text.startsWith("data:") && m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    private static String optionalString(ObjectNode object, String key) {
        JsonNode node = object.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.invalid(List.of("body", key), "Input should be a valid string", "string_type");
        }
        return node.asText();
    }

    private static String checkedString(JsonNode message, String key, int i, int maxLength) {
        JsonNode node = message.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.asText().length() > maxLength) {
            throw ApiException.invalid(List.of("body", "messages", i, key),
                    "Input should be a string of at most " + maxLength + " characters", "string_type");
        }
        return node.asText();
    }

    private static String shortString(JsonNode node) {
        return node != null && node.isTextual() && node.asText().length() <= 128 ? node.asText() : null;
    }
}
