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
 * Open WebUI's chat export (docs/api.md "Import"): an array of {@code {id, title, chat, created_at, updated_at}}
 * where {@code chat.history.messages} is a tree (id → {@code {parentId, childrenIds, role, content, timestamp,
 * model}}) shown from {@code chat.history.currentId}; older exports carry only the linear {@code chat.messages}.
 */
final class OpenWebUiFormat {
    private OpenWebUiFormat() {
    }

    static boolean matches(JsonNode item) {
        return item.isObject() && item.path("chat").isObject()
                && (item.path("chat").path("history").isObject() || item.path("chat").path("messages").isArray());
    }

    static ImportedSession convert(JsonNode item, Clock clock, int maxMessages) throws ImportException {
        JsonNode chat = item.path("chat");
        String foreignId = ChatGptFormat.text(item, "id", ChatGptFormat.text(chat, "id", null));
        if (foreignId == null || foreignId.isBlank()) {
            throw new ImportException("Chat without an id");
        }
        JsonNode tree = chat.path("history").path("messages");
        List<JsonNode> path = new ArrayList<>();
        int alternatives = 0;
        String current = ChatGptFormat.text(chat.path("history"), "currentId", null);
        if (tree.isObject() && current != null && tree.has(current)) {
            Set<String> seen = new HashSet<>();
            for (String id = current; id != null && tree.has(id); ) {
                if (!seen.add(id)) {
                    throw new ImportException("The message tree has a cycle at message " + id);
                }
                JsonNode node = tree.get(id);
                path.add(node);
                id = ChatGptFormat.text(node, "parentId", null);
                if (id != null && tree.has(id)) {
                    alternatives += Math.max(0, tree.get(id).path("childrenIds").size() - 1);
                }
            }
            Collections.reverse(path);
        } else {
            chat.path("messages").forEach(path::add);
        }
        List<ImportedSession.Line> lines = new ArrayList<>();
        for (JsonNode m : path) {
            String role = m.path("role").asText("");
            String content = content(m.path("content"));
            if ((role.equals("user") || role.equals("assistant") || role.equals("system")) && !content.isBlank()) {
                String model = role.equals("assistant") ? ChatGptFormat.text(m, "model", null) : null;
                lines.add(new ImportedSession.Line(role, content, ImportedSession.epoch(m.get("timestamp")), model));
            }
        }
        if (lines.isEmpty()) {
            throw new ImportException("No user or assistant message");
        }
        if (lines.size() > maxMessages) {
            throw new ImportException("More than " + maxMessages + " messages");
        }
        Instant created = ImportedSession.epoch(item.get("created_at"));
        if (created == null) {
            created = ImportedSession.epoch(chat.get("timestamp"));
        }
        if (created == null) {
            created = lines.get(0).createdAt() != null ? lines.get(0).createdAt() : clock.instant();
        }
        String title = ChatGptFormat.text(item, "title", ChatGptFormat.text(chat, "title", null));
        return ImportedSession.fromLines(ImportedSession.sessionId("openwebui-", foreignId), title, created,
                ImportedSession.epoch(item.get("updated_at")), lines, "open-webui",
                alternatives == 0 ? null : alternatives + " other branch" + (alternatives == 1 ? "" : "es")
                        + " not imported (the path to currentId was)");
    }

    /** A string, or an OpenAI-style parts array whose text parts are joined. */
    private static String content(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder out = new StringBuilder();
        for (JsonNode part : content) {
            if (part.path("text").isTextual()) {
                out.append(out.isEmpty() ? "" : "\n\n").append(part.path("text").asText());
            }
        }
        return out.toString();
    }
}
