package dev.orchat.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A session as readable Markdown (docs/api.md "Export"): one heading per message, tool calls with their
 * arguments and results in fenced blocks, attachments named. Not meant to be imported again; orchat JSON is.
 */
final class MarkdownExport {
    private final ObjectMapper mapper;

    MarkdownExport(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void write(SessionRows rows, Writer out) throws IOException {
        Map<String, Object> s = rows.session();
        String title = s.get("title") == null ? "Untitled session" : s.get("title").toString();
        out.write("# " + inline(title) + "\n\n");
        out.write("- Session: `" + s.get("id") + "`\n");
        out.write("- Created: " + s.get("created_at") + " · Updated: " + s.get("updated_at") + "\n");
        if (s.get("last_model") != null) {
            out.write("- Model: " + inline(s.get("last_model").toString()) + "\n");
        }
        if (s.get("total_cost") instanceof Number cost && cost.doubleValue() > 0) {
            out.write(String.format(java.util.Locale.ROOT, "- Cost: $%.6f (%s prompt + %s completion tokens)%n",
                    cost.doubleValue(), s.get("total_prompt_tokens"), s.get("total_completion_tokens")));
        }
        Map<Object, List<Map<String, Object>>> attached = rows.messageAttachments().stream()
                .collect(Collectors.groupingBy(a -> ((Number) a.get("message_id")).longValue()));
        for (Map<String, Object> m : rows.messages()) {
            out.write("\n---\n\n");
            writeMessage(m, attached.getOrDefault(((Number) m.get("id")).longValue(), List.of()), out);
        }
    }

    private void writeMessage(Map<String, Object> m, List<Map<String, Object>> attachments, Writer out) throws IOException {
        String role = String.valueOf(m.get("role"));
        StringBuilder heading = new StringBuilder("### ").append(switch (role) {
            case "user" -> "User";
            case "assistant" -> "Assistant";
            case "system" -> "System";
            case "tool" -> "Tool result";
            default -> inline(role);
        });
        if ("tool".equals(role) && m.get("tool_name") != null) {
            heading.append(" · `").append(inline(m.get("tool_name").toString())).append('`');
        }
        if ("assistant".equals(role) && m.get("model") != null) {
            heading.append(" · ").append(inline(m.get("model").toString()));
        }
        heading.append(" · ").append(m.get("created_at"));
        if (isTrue(m.get("is_error"))) {
            heading.append(" · error");
        }
        if (!"complete".equals(m.get("status")) && m.get("status") != null) {
            heading.append(" · ").append(m.get("status"));
        }
        out.write(heading + "\n\n");
        String text = text(m);
        if ("tool".equals(role)) {
            out.write(fenced(text, ""));
        } else if (!text.isBlank()) {
            out.write(text.strip() + "\n");
        }
        for (Map<String, Object> a : attachments) {
            out.write("\n- Attachment: `" + inline(String.valueOf(a.get("filename"))) + "` (" + a.get("mime_type") + ")\n");
        }
        if (m.get("tool_calls") instanceof String calls && !calls.isBlank()) {
            for (JsonNode call : parse(calls)) {
                JsonNode fn = call.path("function");
                out.write("\n**Tool call** `" + inline(fn.path("name").asText()) + "` (" + inline(call.path("id").asText()) + ")\n\n");
                out.write(fenced(pretty(fn.path("arguments").asText()), "json"));
            }
        }
    }

    /** Text of a message: a plain string, or the text parts of a parts array with images and files named. */
    private String text(Map<String, Object> m) {
        Object content = m.get("content");
        if (content == null) {
            return "";
        }
        if (!"parts".equals(m.get("content_kind"))) {
            return content.toString();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : parse(content.toString())) {
            if (part.path("text").isTextual()) {
                text.append(part.path("text").asText()).append("\n\n");
            } else if (part.has("type") && !part.path("type").asText().equals("text")) {
                text.append("*[").append(inline(part.path("type").asText())).append("]*\n\n");
            }
        }
        return text.toString();
    }

    private JsonNode parse(String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            return mapper.createArrayNode();
        }
    }

    private String pretty(String json) {
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(mapper.readTree(json));
        } catch (IOException e) {
            return json;
        }
    }

    /** A fence longer than any run of backticks inside, so stored text cannot close it early. */
    static String fenced(String text, String language) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            run = text.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String fence = "`".repeat(Math.max(3, longest + 1));
        return fence + language + "\n" + text + (text.endsWith("\n") ? "" : "\n") + fence + "\n";
    }

    /** Single-line values in headings and lists: line breaks would end the heading. */
    private static String inline(String value) {
        return value.replaceAll("[\\r\\n]+", " ");
    }

    private static boolean isTrue(Object value) {
        return value instanceof Number n ? n.intValue() != 0 : Boolean.TRUE.equals(value);
    }
}
