package dev.orchat.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.chat.TurnOptions;
import dev.orchat.conversation.SessionIds;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An OpenAI chat-completions request turned into a turn of the chat engine (docs/api.md, "OpenAI-compatible API"):
 * the client's messages are the upstream context as sent; the system and user messages among them are what the
 * turn stores (in a session deleted afterwards, unless {@code X-Orchat-Session} asks to keep it).
 *
 * @param chatBody  the chat-stream body given to the engine's admission (stored messages, model, session, and the
 *                  keys forwarded upstream)
 * @param sessionId the session to continue or create; null for a stateless request (the engine picks an id)
 */
record CompletionRequest(boolean stream, boolean includeUsage, String model, byte[] chatBody, TurnOptions options,
                         Session session, String sessionId) {
    /** What {@code X-Orchat-Session} asked for. */
    enum Session { NONE, NEW, EXISTING }

    /** Keys of the OpenAI request that orchat handles itself and does not forward upstream. */
    private static final Set<String> NOT_FORWARDED = Set.of("messages", "model", "stream", "stream_options", "tools",
            "n", "store", "metadata", "session_id");

    static final class Invalid extends RuntimeException {
        final String param;

        Invalid(String message, String param) {
            super(message, null, false, false);
            this.param = param;
        }
    }

    /**
     * @param sessionHeader the {@code X-Orchat-Session} header: absent, {@code new} or a session id
     * @param toolsHeader   the {@code X-Orchat-Tools} header: absent or {@code none}
     * @param newSessionId  the id a new stored session gets
     */
    static CompletionRequest parse(ObjectMapper mapper, byte[] body, String sessionHeader, String toolsHeader,
                                   String newSessionId) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (IOException e) {
            throw new Invalid("We could not parse the JSON body of your request.", null);
        }
        if (root == null || !root.isObject()) {
            throw new Invalid("The request body must be a JSON object.", null);
        }
        JsonNode messages = root.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new Invalid("'messages' must be a non-empty array.", "messages");
        }
        for (int i = 0; i < messages.size(); i++) {
            if (!messages.get(i).isObject() || !messages.get(i).path("role").isTextual()) {
                throw new Invalid("Each message must be an object with a 'role'.", "messages[" + i + "]");
            }
        }
        JsonNode model = root.get("model");
        if (model != null && !model.isNull() && !model.isTextual()) {
            throw new Invalid("'model' must be a string.", "model");
        }
        JsonNode n = root.get("n");
        if (n != null && !n.isNull() && n.asInt(1) != 1) {
            throw new Invalid("Only n=1 is supported.", "n");
        }
        boolean stream = root.path("stream").asBoolean(false);
        boolean includeUsage = root.path("stream_options").path("include_usage").asBoolean(false);
        List<ObjectNode> clientTools = clientTools(root.get("tools"));

        Session session = Session.NONE;
        String sessionId = null;
        if (sessionHeader != null && !sessionHeader.isBlank()) {
            String value = sessionHeader.strip();
            if (value.toLowerCase(Locale.ROOT).equals("new")) {
                session = Session.NEW;
                sessionId = newSessionId;
            } else if (SessionIds.isValid(value)) {
                session = Session.EXISTING;
                sessionId = value;
            } else {
                throw new Invalid("X-Orchat-Session must be 'new' or a session id.", "X-Orchat-Session");
            }
            if (clientTools != null) {
                throw new Invalid("Requests with their own 'tools' cannot use X-Orchat-Session; send them "
                        + "without it (stateless).", "tools");
            }
        }
        boolean serverTools = toolsHeader == null || !toolsHeader.strip().equalsIgnoreCase("none");

        ObjectNode chat = mapper.createObjectNode();
        root.fields().forEachRemaining(f -> {
            if (!NOT_FORWARDED.contains(f.getKey())) {
                chat.set(f.getKey(), f.getValue());
            }
        });
        if (model != null && model.isTextual()) {
            chat.put("model", model.asText());
        }
        if (sessionId != null) {
            chat.put("session_id", sessionId);
        }
        chat.set("messages", stored(mapper, (ArrayNode) messages, session == Session.EXISTING));
        if (chat.get("messages").isEmpty()) {
            throw new Invalid(session == Session.EXISTING
                    ? "With X-Orchat-Session: <id>, the request must end with a new user or system message."
                    : "'messages' must contain a user or system message.", "messages");
        }
        TurnOptions options = new TurnOptions(((ArrayNode) messages).deepCopy(), clientTools, serverTools,
                session == Session.NONE);
        byte[] chatBody;
        try {
            chatBody = mapper.writeValueAsBytes(chat);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new CompletionRequest(stream, includeUsage, model != null && model.isTextual() ? model.asText() : null,
                chatBody, options, session, sessionId);
    }

    /** The client's tool definitions, or null when it sent none (the MCP tools are then offered). */
    private static List<ObjectNode> clientTools(JsonNode tools) {
        if (tools == null || tools.isNull() || (tools.isArray() && tools.isEmpty())) {
            return null;
        }
        if (!tools.isArray()) {
            throw new Invalid("'tools' must be an array.", "tools");
        }
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode tool : tools) {
            if (!tool.isObject()) {
                throw new Invalid("Each tool must be an object.", "tools");
            }
            out.add((ObjectNode) tool);
        }
        return out;
    }

    /**
     * The messages the turn stores: the system and user messages of the request, or, continuing a stored
     * session, only those after the client's last assistant or tool message (the earlier ones are stored already).
     */
    private static ArrayNode stored(ObjectMapper mapper, ArrayNode messages, boolean onlyNew) {
        int from = 0;
        if (onlyNew) {
            for (int i = 0; i < messages.size(); i++) {
                String role = messages.get(i).path("role").asText();
                if (role.equals("assistant") || role.equals("tool")) {
                    from = i + 1;
                }
            }
        }
        ArrayNode out = mapper.createArrayNode();
        for (int i = from; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String role = m.path("role").asText();
            if (role.equals("developer")) {
                ObjectNode copy = ((ObjectNode) m).deepCopy();
                copy.put("role", "system");
                out.add(copy);
            } else if (role.equals("system") || role.equals("user")) {
                out.add(m);
            }
        }
        return out;
    }
}
