package dev.orchat.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Reading Gmail API message resources (users.messages, {@code format=full|metadata}): headers, body, attachments. */
final class GmailMessages {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx", Locale.ROOT);
    private static final Pattern DROP = Pattern.compile("(?is)<(script|style|head)[^>]*>.*?</\\1>");
    private static final Pattern BREAKS = Pattern.compile("(?i)<br\\s*/?>|</(p|div|li|tr|h[1-6])>");
    private static final Pattern TAGS = Pattern.compile("<[^>]+>");

    private GmailMessages() {
    }

    /** An attachment part: filename, MIME type, size and Gmail's attachment id (null when the data is inline). */
    record Attachment(String filename, String mimeType, long size, String attachmentId, String inlineData) {
    }

    static String header(JsonNode message, String name) {
        for (JsonNode h : message.path("payload").path("headers")) {
            if (name.equalsIgnoreCase(h.path("name").asText())) {
                return h.path("value").asText();
            }
        }
        return "";
    }

    /** {@code internalDate} (epoch ms) in the user's zone with its offset (docs/operations.md, "MCP servers"). */
    static String localDate(JsonNode message, ZoneId zone) {
        String ms = message.path("internalDate").asText("");
        if (ms.isEmpty()) {
            return header(message, "Date");
        }
        try {
            return LOCAL.format(Instant.ofEpochMilli(Long.parseLong(ms)).atZone(zone));
        } catch (NumberFormatException e) {
            return header(message, "Date");
        }
    }

    static List<Attachment> attachments(JsonNode message) {
        List<Attachment> out = new ArrayList<>();
        collect(message.path("payload"), out);
        return out;
    }

    private static void collect(JsonNode part, List<Attachment> out) {
        String filename = part.path("filename").asText("");
        if (!filename.isEmpty()) {
            JsonNode body = part.path("body");
            out.add(new Attachment(filename, part.path("mimeType").asText("application/octet-stream"),
                    body.path("size").asLong(0), body.path("attachmentId").asText(null), body.path("data").asText(null)));
        }
        for (JsonNode child : part.path("parts")) {
            collect(child, out);
        }
    }

    /** The first {@code text/plain} part that is not an attachment, else the first HTML part as text. */
    static String body(JsonNode message) {
        String plain = firstBody(message.path("payload"), "text/plain");
        if (plain != null) {
            return plain.strip();
        }
        String html = firstBody(message.path("payload"), "text/html");
        return html == null ? "" : htmlToText(html);
    }

    private static String firstBody(JsonNode part, String mime) {
        if (part.path("filename").asText("").isEmpty() && mime.equalsIgnoreCase(part.path("mimeType").asText())
                && part.path("body").hasNonNull("data")) {
            return decode(part.path("body").path("data").asText());
        }
        for (JsonNode child : part.path("parts")) {
            String found = firstBody(child, mime);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    static String decode(String base64url) {
        return new String(bytes(base64url), StandardCharsets.UTF_8);
    }

    /** Gmail uses the URL alphabet, sometimes with padding. */
    static byte[] bytes(String base64url) {
        return Base64.getUrlDecoder().decode(base64url.replace('+', '-').replace('/', '_').replaceAll("\\s", ""));
    }

    static String htmlToText(String html) {
        String text = DROP.matcher(html).replaceAll("");
        text = BREAKS.matcher(text).replaceAll("\n");
        text = TAGS.matcher(text).replaceAll("");
        text = text.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&");
        return text.replaceAll("[ \\t]+\\n", "\n").replaceAll("\\n{3,}", "\n\n").strip();
    }

    static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "\n[… truncated: " + (text.length() - max) + " more characters]";
    }

    static String webLink(String id) {
        return "https://mail.google.com/mail/u/0/#all/" + id;
    }
}
