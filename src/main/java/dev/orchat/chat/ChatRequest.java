package dev.orchat.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The typed view of a chat request (docs/api.md §2.2) next to the raw keys that are forwarded upstream untouched.
 *
 * @param forwarded   request keys that go upstream as they are (nulls dropped; messages, session_id, model,
 *                    metadata, tools and stream removed)
 * @param messages    the system/user messages to store, canonicalised
 */
public record ChatRequest(ObjectNode forwarded, String sessionId, String model, String clientAssistantMessageId,
                          String clientParentMessageId, List<Message> messages) {

    /** One stored message; {@code content} is the canonical JSON value (string, parts array or null). */
    public record Message(String role, JsonNode content, String name, String clientMessageId, ObjectNode extra,
                          List<String> attachmentIds) {
    }

    public String lastUserClientMessageId() {
        String id = null;
        for (Message m : messages) {
            if ("user".equals(m.role()) && m.clientMessageId() != null) {
                id = m.clientMessageId();
            }
        }
        return id;
    }
}
