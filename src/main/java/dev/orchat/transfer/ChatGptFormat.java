package dev.orchat.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * ChatGPT's data export (docs/api.md "Import"): {@code conversations.json} is an array of conversations whose
 * messages form a tree in {@code mapping} (node id → {@code {message, parent, children}}). The conversation as
 * last shown is the path from the root to {@code current_node}; other branches are counted in the note.
 */
final class ChatGptFormat {
    private ChatGptFormat() {
    }

    static boolean matches(JsonNode item) {
        return item.isObject() && item.path("mapping").isObject();
    }

    static ImportedSession convert(JsonNode conv, Clock clock, int maxMessages) throws ImportException {
        JsonNode mapping = conv.path("mapping");
        String foreignId = text(conv, "conversation_id", text(conv, "id", null));
        if (foreignId == null || foreignId.isBlank()) {
            throw new ImportException("Conversation without an id");
        }
        String current = text(conv, "current_node", null);
        if (current == null || !mapping.has(current)) {
            current = lastLeaf(mapping);
        }
        List<JsonNode> path = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int alternatives = 0;
        for (String id = current; id != null && mapping.has(id); ) {
            if (!seen.add(id)) {
                throw new ImportException("The message tree has a cycle at node " + id);
            }
            JsonNode node = mapping.get(id);
            path.add(node);
            alternatives += Math.max(0, node.path("children").size() - 1);
            id = text(node, "parent", null);
        }
        Collections.reverse(path);
        Instant created = orNow(ImportedSession.epoch(conv.get("create_time")), clock);
        List<ImportedSession.Line> lines = new ArrayList<>();
        int skipped = 0;
        for (JsonNode node : path) {
            JsonNode message = node.path("message");
            if (!message.isObject()) {
                continue;
            }
            String role = message.path("author").path("role").asText("");
            String text = text(message.path("content"));
            boolean hidden = message.path("metadata").path("is_visually_hidden_from_conversation").asBoolean(false);
            if (!role.equals("user") && !role.equals("assistant") && !role.equals("system") || hidden || text.isBlank()) {
                if (!text.isBlank() && !hidden) {
                    skipped++; // tool output and the like: no tool call to pair it with here
                }
                continue;
            }
            String model = role.equals("assistant") ? text(message.path("metadata"), "model_slug", null) : null;
            lines.add(new ImportedSession.Line(role, text, ImportedSession.epoch(message.get("create_time")), model));
        }
        if (lines.isEmpty()) {
            throw new ImportException("No user or assistant message on the path to current_node");
        }
        if (lines.size() > maxMessages) {
            throw new ImportException("More than " + maxMessages + " messages");
        }
        List<String> notes = new ArrayList<>();
        if (alternatives > 0) {
            notes.add(alternatives + " other branch" + (alternatives == 1 ? "" : "es") + " not imported (the path to current_node was)");
        }
        if (skipped > 0) {
            notes.add(skipped + " tool message" + (skipped == 1 ? "" : "s") + " left out");
        }
        return ImportedSession.fromLines(ImportedSession.sessionId("chatgpt-", foreignId), text(conv, "title", null),
                created, ImportedSession.epoch(conv.get("update_time")), lines, "chatgpt",
                notes.isEmpty() ? null : String.join("; ", notes));
    }

    /** Text of a message's content: string parts of text/multimodal content, code as a fenced block. */
    private static String text(JsonNode content) {
        String type = content.path("content_type").asText("");
        StringBuilder out = new StringBuilder();
        switch (type) {
            case "text", "multimodal_text" -> {
                for (JsonNode part : content.path("parts")) {
                    if (part.isTextual()) {
                        append(out, part.asText());
                    } else if (part.isObject() && part.path("content_type").asText("").contains("image")) {
                        append(out, "[image]");
                    } else if (part.isObject() && part.path("text").isTextual()) {
                        append(out, part.path("text").asText());
                    }
                }
            }
            case "code" -> append(out, MarkdownExport.fenced(content.path("text").asText(""), content.path("language").asText("")));
            default -> {
                if (content.path("text").isTextual()) {
                    append(out, content.path("text").asText());
                }
            }
        }
        return out.toString();
    }

    private static void append(StringBuilder out, String text) {
        if (text.isEmpty()) {
            return;
        }
        if (!out.isEmpty()) {
            out.append("\n\n");
        }
        out.append(text);
    }

    /** Without a usable current_node: the newest leaf, so a conversation is still imported. */
    private static String lastLeaf(JsonNode mapping) {
        String best = null;
        double bestTime = Double.NEGATIVE_INFINITY;
        for (var it = mapping.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue().path("children").isEmpty()) {
                double t = e.getValue().path("message").path("create_time").asDouble(0);
                if (best == null || t > bestTime) {
                    best = e.getKey();
                    bestTime = t;
                }
            }
        }
        return best;
    }

    private static Instant orNow(Instant value, Clock clock) {
        return value == null ? clock.instant() : value;
    }

    static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node.path(field);
        return v.isTextual() ? v.asText() : fallback;
    }
}
