package dev.orchat.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.conversation.MessageRow;
import dev.orchat.conversation.ToolCallRef;
import dev.orchat.upload.AttachmentInput;
import java.io.IOException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns stored history into clean OpenAI messages for one hop (docs/api.md §2.2): no ids, timestamps or usage; the
 * system prompt and the date/time line are added at send time and never stored; damaged tool pairing is
 * repaired on the wire only.
 */
public final class WireMessages {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("xxx", Locale.ROOT);
    private final ObjectMapper mapper;
    private final boolean replayReasoningDetails;

    public WireMessages(ObjectMapper mapper, boolean replayReasoningDetails) {
        this.mapper = mapper;
        this.replayReasoningDetails = replayReasoningDetails;
    }

    /**
     * @param systemPrompt the settings prompt, or null/blank for none
     * @param now          the user's local time, or null when the date/time context is off
     * @param attachments expands attachment parts of user messages for this payload (docs/api.md §2.21) */
    public ArrayNode build(List<MessageRow> history, String systemPrompt, ZonedDateTime now,
                           AttachmentInput.HopInput attachments) {
        ArrayNode out = mapper.createArrayNode();
        Map<String, String> pending = new LinkedHashMap<>();
        boolean hasSystem = false;
        for (MessageRow row : history) {
            if (!"tool".equals(row.role())) {
                closeToolBlock(out, pending);
            }
            switch (row.role()) {
                case "system", "user" -> {
                    hasSystem |= "system".equals(row.role());
                    ObjectNode m = out.addObject();
                    m.put("role", row.role());
                    m.set("content", contentOf(row, "user".equals(row.role()) ? attachments : null));
                    if (row.name() != null) {
                        m.put("name", row.name());
                    }
                }
                case "assistant" -> addAssistant(out, row, pending);
                case "tool" -> {
                    if (row.toolCallId() != null && pending.remove(row.toolCallId()) != null) {
                        ObjectNode m = out.addObject();
                        m.put("role", "tool");
                        m.put("tool_call_id", row.toolCallId());
                        m.put("content", row.content() == null ? "" : row.content());
                    }
                    // else: a result without an earlier call would be rejected by strict providers; drop it.
                }
                default -> { }
            }
        }
        closeToolBlock(out, pending);
        if (!hasSystem && systemPrompt != null && !systemPrompt.isBlank()) {
            ObjectNode system = mapper.createObjectNode();
            system.put("role", "system");
            system.put("content", systemPrompt);
            out.insert(0, system);
            hasSystem = true;
        }
        if (now != null) {
            addDateTime(out, hasSystem, dateTimeLine(now));
        }
        return out;
    }

    public static String dateTimeLine(ZonedDateTime now) {
        String day = now.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
        return "Current date and time: " + WHEN.format(now) + " (" + day + "), time zone " + now.getZone().getId()
                + " (UTC" + OFFSET.format(now) + ").";
    }

    private void addAssistant(ArrayNode out, MessageRow row, Map<String, String> pending) {
        List<ToolCallRef> calls = row.hasToolCalls() ? ToolCallRef.parse(row.toolCalls()) : List.of();
        boolean hasText = row.content() != null && !row.content().isEmpty();
        if (!hasText && calls.isEmpty()) {
            return;
        }
        ObjectNode m = out.addObject();
        m.put("role", "assistant");
        if (hasText) {
            m.put("content", row.content());
        } else {
            m.putNull("content");
        }
        if (!calls.isEmpty()) {
            m.set("tool_calls", parse(row.toolCalls()));
            calls.forEach(c -> pending.put(c.id(), c.name()));
            if (replayReasoningDetails && row.reasoningDetails() != null) {
                JsonNode details = parse(row.reasoningDetails());
                if (details != null && details.isArray() && !details.isEmpty()) {
                    m.set("reasoning_details", details);
                }
            }
        }
    }

    private void closeToolBlock(ArrayNode out, Map<String, String> pending) {
        for (String id : pending.keySet()) {
            ObjectNode m = out.addObject();
            m.put("role", "tool");
            m.put("tool_call_id", id);
            m.put("content", "Not executed.");
        }
        pending.clear();
    }

    private JsonNode contentOf(MessageRow row, AttachmentInput.HopInput attachments) {
        if (row.content() == null || "null".equals(row.contentKind())) {
            return mapper.nullNode();
        }
        if (!"parts".equals(row.contentKind())) {
            return mapper.getNodeFactory().textNode(row.content());
        }
        JsonNode parts = parse(row.content());
        if (parts == null || !parts.isArray()) {
            return mapper.getNodeFactory().textNode(row.content());
        }
        ArrayNode expanded = mapper.createArrayNode();
        for (JsonNode part : parts) {
            if ("attachment".equals(part.path("type").asText()) && attachments != null) {
                expanded.add(attachments.expand(part.path("attachment_id").asText()));
            } else {
                expanded.add(part);
            }
        }
        return expanded;
    }

    private void addDateTime(ArrayNode out, boolean hasSystem, String line) {
        if (!hasSystem) {
            ObjectNode system = mapper.createObjectNode();
            system.put("role", "system");
            system.put("content", line);
            out.insert(0, system);
            return;
        }
        for (JsonNode node : out) {
            if ("system".equals(node.path("role").asText())) {
                ObjectNode system = (ObjectNode) node;
                JsonNode content = system.get("content");
                if (content != null && content.isArray()) {
                    ObjectNode part = ((ArrayNode) content).addObject();
                    part.put("type", "text");
                    part.put("text", line);
                } else if (content == null || content.isNull() || content.asText().isEmpty()) {
                    system.put("content", line);
                } else {
                    system.put("content", content.asText() + "\n\n" + line);
                }
                return;
            }
        }
    }

    private JsonNode parse(String json) {
        try {
            return json == null ? null : mapper.readTree(json);
        } catch (IOException e) {
            return null;
        }
    }
}
