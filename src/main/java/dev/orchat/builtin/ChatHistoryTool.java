package dev.orchat.builtin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.conversation.MessageRow;
import dev.orchat.mcp.ToolRegistry.ToolContext;
import dev.orchat.mcp.ToolRegistry.ToolResult;
import dev.orchat.mcp.ToolServer.ToolSpec;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The housekeeping {@code chat_history} tool (docs/operations.md, "MCP servers"). The session comes only from the call context, never
 * from the arguments, so a model can read the conversation it is in and nothing else.
 */
final class ChatHistoryTool {
    static final String NAME = "chat_history";
    static final int MAX_CONTENT = 2_000;
    private static final List<String> ROLES = List.of("system", "user", "assistant", "tool");

    private final SessionMessages messages;
    private final ObjectMapper mapper;

    ChatHistoryTool(SessionMessages messages, ObjectMapper mapper) {
        this.messages = messages;
        this.mapper = mapper;
    }

    static ToolSpec spec() {
        return new ToolSpec(NAME,
                "Read earlier messages of the current conversation, optionally filtered by text and role. Messages"
                        + " are ordered oldest first unless newest_first is true; the limit keeps the first messages"
                        + " of that order, so use newest_first to get the most recent ones.",
                Schemas.object()
                        .integer("limit", "How many messages to return (1-100).", 1, 100, 20)
                        .bool("newest_first", "Return the newest messages first.", false)
                        .string("query", "Only messages whose text contains this, ignoring case.")
                        .enumArray("roles", "Only messages with these roles (default: all).", ROLES)
                        .build());
    }

    ToolResult call(ObjectNode arguments, ToolContext context, ZoneId zone) throws JsonProcessingException {
        int limit = Args.optionalInt(arguments, "limit", 20, 1, 100);
        boolean newestFirst = Args.optionalBoolean(arguments, "newest_first", false);
        String query = Args.optionalString(arguments, "query");
        List<String> roles = Args.optionalEnumArray(arguments, "roles", ROLES);
        if (context == null || context.sessionId() == null) {
            return new ToolResult("No chat session is available for this call.", true);
        }
        String needle = query == null || query.isBlank() ? null : query.strip().toLowerCase(Locale.ROOT);

        String sessionId = context.sessionId();
        // Belt and braces: even a faulty source must not leak another session's rows to the model.
        List<MessageRow> rows = messages.bySession(sessionId).stream()
                .filter(row -> sessionId.equals(row.sessionId()))
                .toList();
        List<Entry> matching = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            MessageRow row = rows.get(i);
            // Stored positions can have gaps (reserved or deleted rows); the model is told the place it sees.
            Entry entry = new Entry(i + 1, row);
            if (!roles.isEmpty() && !roles.contains(row.role())) {
                continue;
            }
            if (needle != null && !searchableText(row).toLowerCase(Locale.ROOT).contains(needle)) {
                continue;
            }
            matching.add(entry);
        }
        List<Entry> ordered = new ArrayList<>(matching);
        if (newestFirst) {
            Collections.reverse(ordered);
        }
        List<Entry> selected = ordered.subList(0, Math.min(limit, ordered.size()));

        ObjectNode out = mapper.createObjectNode();
        out.put("session_id", sessionId);
        out.put("total_available", matching.size());
        out.put("applied_limit", limit);
        out.put("newest_first", newestFirst);
        out.put("query", needle == null ? null : query.strip());
        ArrayNode list = out.putArray("messages");
        List<String> summary = new ArrayList<>();
        for (int i = 0; i < selected.size(); i++) {
            Entry entry = selected.get(i);
            String full = contentText(entry.row());
            boolean truncated = full.length() > MAX_CONTENT;
            String content = truncated ? cut(full) + "…" : full;
            ObjectNode message = list.addObject();
            message.put("position", entry.position());
            message.put("role", entry.row().role());
            message.put("created_at", entry.row().createdAt());
            message.put("message_id", entry.row().id());
            message.put("content", content);
            message.put("truncated", truncated);
            message.put("index", i + 1);
            summary.add(entry.position() + ". [" + localTime(entry.row().createdAt(), zone) + "] "
                    + entry.row().role() + ": " + content.replaceAll("\\s*\\R\\s*", " "));
        }
        out.put("summary", String.join("\n", summary));
        return new ToolResult(mapper.writeValueAsString(out), false);
    }

    private record Entry(int position, MessageRow row) {
    }

    /** The content as the model reads it: strings as they are, content parts as compact JSON, trimmed. */
    private String contentText(MessageRow row) {
        String raw = row.content();
        if (raw == null) {
            return "";
        }
        if ("parts".equals(row.contentKind())) {
            try {
                return mapper.writeValueAsString(mapper.readTree(raw)).strip();
            } catch (JsonProcessingException e) {
                return raw.strip();
            }
        }
        return raw.strip();
    }

    /** What a text query matches: for content parts only their text, not the JSON around it. */
    private String searchableText(MessageRow row) {
        if (row.content() == null || !"parts".equals(row.contentKind())) {
            return row.content() == null ? "" : row.content();
        }
        try {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : mapper.readTree(row.content())) {
                if (part.path("text").isTextual()) {
                    text.append(part.path("text").textValue()).append('\n');
                }
            }
            return text.toString();
        } catch (JsonProcessingException e) {
            return row.content();
        }
    }

    /** Cuts at the limit without splitting a surrogate pair. */
    private static String cut(String text) {
        int end = MAX_CONTENT;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }

    private static String localTime(String createdAt, ZoneId zone) {
        if (createdAt == null) {
            return "unknown time";
        }
        try {
            return TimeInput.localIso(Instant.parse(createdAt).atZone(zone).withNano(0));
        } catch (DateTimeException e) {
            return createdAt;
        }
    }
}
