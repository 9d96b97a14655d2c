package dev.orchat.transfer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Import fixtures written from the published structure of each format: ChatGPT's {@code conversations.json}
 * (conversation → {@code mapping} of nodes {@code {id, message, parent, children}}, {@code current_node}) and
 * Open WebUI's chat export ({@code [{id, title, chat: {history: {messages, currentId}, messages}, created_at}]}).
 */
final class ForeignExports {
    private ForeignExports() {
    }

    static ObjectNode chatGptConversation(String id, String title, double createTime, String currentNode) {
        ObjectNode c = TransferClient.JSON.createObjectNode();
        c.put("title", title);
        c.put("create_time", createTime);
        c.put("update_time", createTime + 60);
        c.putObject("mapping");
        if (currentNode != null) {
            c.put("current_node", currentNode);
        }
        c.put("conversation_id", id);
        c.put("id", id);
        c.put("is_archived", false);
        c.putArray("moderation_results");
        return c;
    }

    /** Adds a node; {@code parts} are strings or objects, as ChatGPT's content parts are. */
    static ObjectNode chatGptNode(ObjectNode conversation, String id, String parent, String role, String contentType,
                                  double createTime, Object... parts) {
        ObjectNode mapping = (ObjectNode) conversation.get("mapping");
        ObjectNode node = mapping.putObject(id);
        node.put("id", id);
        if (role == null) {
            node.putNull("message");
        } else {
            ObjectNode message = node.putObject("message");
            message.put("id", id);
            ObjectNode author = message.putObject("author");
            author.put("role", role);
            author.putNull("name");
            author.putObject("metadata");
            message.put("create_time", createTime);
            ObjectNode content = message.putObject("content");
            content.put("content_type", contentType);
            ArrayNode array = content.putArray("parts");
            for (Object part : parts) {
                if (part instanceof String s) {
                    array.add(s);
                } else {
                    array.add((ObjectNode) part);
                }
            }
            message.put("status", "finished_successfully");
            message.putObject("metadata");
            message.put("recipient", "all");
        }
        if (parent == null) {
            node.putNull("parent");
        } else {
            node.put("parent", parent);
            ((ArrayNode) mapping.get(parent).get("children")).add(id);
        }
        node.putArray("children");
        return node;
    }

    /**
     * A conversation with a hidden system message, a regenerated answer (two branches), an image part and a tool
     * message; current_node is the newest answer.
     */
    static ObjectNode chatGptWithBranches(String id) {
        ObjectNode c = chatGptConversation(id, "Kiwi birds", 1_700_000_000.5, "a2");
        chatGptNode(c, "root", null, null, null, 0);
        ObjectNode sys = chatGptNode(c, "sys", "root", "system", "text", 1_700_000_000.6, "");
        ((ObjectNode) sys.get("message").get("metadata")).put("is_visually_hidden_from_conversation", true);
        chatGptNode(c, "u1", "sys", "user", "text", 1_700_000_001, "What is a kiwi bird?");
        chatGptNode(c, "a1-old", "u1", "assistant", "text", 1_700_000_002, "An older answer");
        ObjectNode a1 = chatGptNode(c, "a1", "u1", "assistant", "text", 1_700_000_003, "A flightless bird from New Zealand.");
        ((ObjectNode) a1.get("message").get("metadata")).put("model_slug", "gpt-4o");
        ObjectNode image = TransferClient.JSON.createObjectNode().put("content_type", "image_asset_pointer")
                .put("asset_pointer", "file-service://file-abc").put("width", 10).put("height", 10);
        chatGptNode(c, "u2", "a1", "user", "multimodal_text", 1_700_000_004, image, "And this picture?");
        chatGptNode(c, "t1", "u2", "tool", "text", 1_700_000_005, "search results: kiwi");
        chatGptNode(c, "a2", "t1", "assistant", "text", 1_700_000_006, "It is a kiwi.");
        return c;
    }

    static ObjectNode openWebUiChat(String id) {
        ObjectNode item = TransferClient.JSON.createObjectNode();
        item.put("id", id);
        item.put("user_id", "user-1");
        item.put("title", "Tea brewing");
        ObjectNode chat = item.putObject("chat");
        chat.put("id", "");
        chat.put("title", "Tea brewing");
        chat.putArray("models").add("llama3:8b");
        ObjectNode history = chat.putObject("history");
        ObjectNode messages = history.putObject("messages");
        openWebUiMessage(messages, "m1", null, "user", "How long to steep green tea?", 1_700_000_000L, null, "m2-old", "m2");
        openWebUiMessage(messages, "m2-old", "m1", "assistant", "Five minutes.", 1_700_000_005L, "llama3:8b");
        openWebUiMessage(messages, "m2", "m1", "assistant", "Two to three minutes at 80 °C.", 1_700_000_009L, "llama3:8b", "m3");
        openWebUiMessage(messages, "m3", "m2", "user", "Thanks!", 1_700_000_020L, null);
        history.put("currentId", "m3");
        ArrayNode linear = chat.putArray("messages");
        linear.add(messages.get("m1")).add(messages.get("m2")).add(messages.get("m3"));
        chat.putArray("tags");
        chat.put("timestamp", 1_700_000_000_000L);
        item.put("updated_at", 1_700_000_100L);
        item.put("created_at", 1_700_000_000L);
        item.putNull("share_id");
        item.put("archived", false);
        return item;
    }

    private static void openWebUiMessage(ObjectNode messages, String id, String parent, String role, String content,
                                         long timestamp, String model, String... children) {
        ObjectNode m = messages.putObject(id);
        m.put("id", id);
        if (parent == null) {
            m.putNull("parentId");
        } else {
            m.put("parentId", parent);
        }
        ArrayNode ids = m.putArray("childrenIds");
        for (String c : children) {
            ids.add(c);
        }
        m.put("role", role);
        m.put("content", content);
        m.put("timestamp", timestamp);
        if (model != null) {
            m.put("model", model);
        }
    }

    /** An older Open WebUI export: only the linear {@code chat.messages}. */
    static ObjectNode openWebUiLinear(String id) {
        ObjectNode item = TransferClient.JSON.createObjectNode();
        item.put("id", id);
        item.put("title", "Linear chat");
        ObjectNode chat = item.putObject("chat");
        ArrayNode messages = chat.putArray("messages");
        messages.addObject().put("role", "user").put("content", "ping").put("timestamp", 1_690_000_000L);
        messages.addObject().put("role", "assistant").put("content", "pong").put("timestamp", 1_690_000_001L);
        return item;
    }
}
