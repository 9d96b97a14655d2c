package dev.orchat.transfer;

import dev.orchat.db.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A session read from an import file, as rows to store, with where it came from and what was left out
 * ({@code note}, e.g. other ChatGPT branches). Foreign formats are linearised into {@link Line}s first.
 */
record ImportedSession(SessionRows rows, String source, String note) {

    /** One message of a foreign export, already reduced to text. */
    record Line(String role, String text, Instant createdAt, String model) {
    }

    String sessionId() {
        return String.valueOf(rows.session().get("id"));
    }

    String title() {
        Object title = rows.session().get("title");
        return title == null ? null : title.toString();
    }

    /**
     * Rows for a foreign conversation: a turn starts at every user message, the title counts as set by the user
     * (automatic titling leaves it alone), usage and cost are unknown (0).
     */
    static ImportedSession fromLines(String sessionId, String title, Instant created, Instant updated, List<Line> lines,
                                     String source, String note) {
        List<Map<String, Object>> turns = new ArrayList<>();
        List<Map<String, Object>> messages = new ArrayList<>();
        String turnId = null;
        int position = 0;
        int counted = 0;
        String lastModel = null;
        for (Line line : lines) {
            String at = Timestamps.format(line.createdAt() == null ? created : line.createdAt());
            if (turnId == null || "user".equals(line.role())) {
                turnId = UUID.randomUUID().toString().replace("-", "");
                Map<String, Object> turn = new LinkedHashMap<>();
                turn.put("id", turnId);
                turn.put("session_id", sessionId);
                turn.put("seq", turns.size() + 1);
                turn.put("status", "complete");
                turn.put("started_at", at);
                turn.put("finished_at", at);
                turns.add(turn);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", (long) position + 1);
            m.put("session_id", sessionId);
            m.put("turn_id", turnId);
            m.put("position", ++position);
            m.put("role", line.role());
            m.put("content", line.text());
            m.put("content_kind", "text");
            m.put("status", "complete");
            m.put("model", line.model());
            m.put("created_at", at);
            messages.add(m);
            if ("user".equals(line.role()) || "assistant".equals(line.role())) {
                counted++;
            }
            if (line.model() != null) {
                lastModel = line.model();
            }
        }
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("id", sessionId);
        session.put("title", title == null || title.isBlank() ? null : title.strip());
        session.put("title_source", "user");
        session.put("created_at", Timestamps.format(created));
        session.put("updated_at", Timestamps.format(updated == null ? created : updated));
        session.put("last_model", lastModel);
        session.put("message_count", counted);
        session.put("next_position", position + 1);
        return new ImportedSession(new SessionRows(session, turns, messages, List.of(), List.of(), List.of()), source, note);
    }

    /** A session id from a foreign id: kept readable, made valid (docs/api.md "Import"). */
    static String sessionId(String prefix, String foreignId) {
        String clean = foreignId.replaceAll("[^A-Za-z0-9_-]", "-");
        String id = prefix + clean;
        return id.length() <= 64 ? id : id.substring(0, 64);
    }

    /** Epoch seconds (ChatGPT, Open WebUI) or milliseconds, whichever the magnitude says. */
    static Instant epoch(com.fasterxml.jackson.databind.JsonNode value) {
        if (value == null || !value.isNumber()) {
            return null;
        }
        double v = value.asDouble();
        if (v > 1e14) {
            return Instant.ofEpochMilli((long) (v / 1_000_000)); // nanoseconds
        }
        return v > 1e11 ? Instant.ofEpochMilli((long) v) : Instant.ofEpochMilli((long) (v * 1000));
    }
}
