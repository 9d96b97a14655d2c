package dev.orchat.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.conversation.SessionIds;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the orchat JSON written by {@link OrchatJson} back into rows (docs/api.md "orchat JSON"). */
final class OrchatFormat {
    private final ObjectMapper mapper;

    OrchatFormat(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    static boolean matches(JsonNode item) {
        return item.isObject() && OrchatJson.FORMAT.equals(item.path("format").asText());
    }

    ImportedSession read(JsonNode doc, int maxMessages) throws ImportException {
        if (doc.path("version").asInt(-1) != OrchatJson.VERSION) {
            throw new ImportException("Unsupported orchat export version " + doc.path("version"));
        }
        JsonNode session = doc.path("session");
        String id = session.path("id").asText(null);
        if (!session.isObject() || !SessionIds.isValid(id)) {
            throw new ImportException("The session has no valid id");
        }
        if (doc.path("messages").size() > maxMessages) {
            throw new ImportException("More than " + maxMessages + " messages");
        }
        Map<String, Object> sessionRow = row("sessions", session);
        List<Map<String, Object>> turns = rows("turns", doc.path("turns"));
        Set<Object> turnIds = new HashSet<>();
        for (Map<String, Object> turn : turns) {
            turn.put("session_id", id);
            turnIds.add(turn.get("id"));
            if ("running".equals(turn.get("status")) || "awaiting_approval".equals(turn.get("status"))) {
                // Exported mid-turn: no relay will ever finish it here, and a running turn would block the session.
                turn.put("status", "failed");
                turn.put("error_detail", "Exported while the turn was running");
            }
        }
        List<Map<String, Object>> messages = rows("messages", doc.path("messages"));
        for (Map<String, Object> m : messages) {
            m.put("session_id", id);
            if (!turnIds.contains(m.get("turn_id"))) {
                throw new ImportException("Message at position " + m.get("position") + " belongs to no exported turn");
            }
            if (!(m.get("id") instanceof Long)) {
                throw new ImportException("Message at position " + m.get("position") + " has no numeric id");
            }
        }
        List<Map<String, Object>> attachments = rows("attachments", doc.path("attachments"));
        attachments.forEach(a -> a.put("session_id", id));
        return new ImportedSession(new SessionRows(sessionRow, turns, messages, rows("generations", doc.path("generations")),
                rows("message_attachments", doc.path("message_attachments")), attachments), "orchat", null);
    }

    private List<Map<String, Object>> rows(String table, JsonNode array) throws ImportException {
        List<Map<String, Object>> out = new ArrayList<>();
        if (array.isMissingNode() || array.isNull()) {
            return out;
        }
        if (!array.isArray()) {
            throw new ImportException("'" + table + "' is not an array");
        }
        for (JsonNode item : array) {
            out.add(row(table, item));
        }
        return out;
    }

    /** JSON-valued columns go back to their stored text form; scalars to what SQLite binds. */
    private Map<String, Object> row(String table, JsonNode node) throws ImportException {
        if (!node.isObject()) {
            throw new ImportException("A row of '" + table + "' is not an object");
        }
        Map<String, Object> row = new LinkedHashMap<>();
        for (var it = node.fields(); it.hasNext(); ) {
            var field = it.next();
            row.put(field.getKey(), field.getValue());
        }
        for (Map.Entry<String, Object> e : row.entrySet()) {
            JsonNode v = (JsonNode) e.getValue();
            Object value;
            if (v.isNull()) {
                value = null;
            } else if (v.isContainerNode() || SessionRows.isJson(table, e.getKey(), Map.of("content_kind",
                    node.path("content_kind").asText("")))) {
                try {
                    value = mapper.writeValueAsString(v);
                } catch (IOException ex) {
                    throw new ImportException("Cannot re-encode " + table + "." + e.getKey());
                }
            } else if (v.isIntegralNumber()) {
                value = v.asLong();
            } else if (v.isNumber()) {
                value = v.asDouble();
            } else if (v.isBoolean()) {
                value = v.asBoolean() ? 1L : 0L;
            } else {
                value = v.asText();
            }
            e.setValue(value);
        }
        return row;
    }
}
