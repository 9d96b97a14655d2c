package dev.orchat.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;

/** Automatic session titles (docs/configuration.md, chat.titles): the {@code truncate} rule and the clean-up of a model's answer. */
public final class Titles {
    private static final int MAX = 80;
    private static final String QUOTES = "\"'`\u201c\u201d\u2018\u2019\u00ab\u00bb";
    /** Compiled once; each turn's title passes through here (docs/performance.md, turn engine). */
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private Titles() {
    }

    /**
     * @param firstAttachmentName filename of the first attachment, when the message has one
     */
    public static String fromContent(JsonNode content, String firstAttachmentName) {
        StringBuilder text = new StringBuilder();
        boolean hasAttachment = false;
        if (content != null && content.isTextual()) {
            text.append(content.asText());
        } else if (content != null && content.isArray()) {
            for (JsonNode part : content) {
                String type = part.path("type").asText();
                if (type.equals("text") && part.path("text").isTextual()) {
                    text.append(' ').append(part.get("text").asText());
                } else if (type.equals("attachment")) {
                    hasAttachment = true;
                }
            }
        }
        String collapsed = WHITESPACE.matcher(text).replaceAll(" ").strip();
        if (!collapsed.isEmpty()) {
            return cut(collapsed);
        }
        if (hasAttachment) {
            return cut("Attachment: " + (firstAttachmentName == null ? "file" : firstAttachmentName));
        }
        return "New chat";
    }

    /**
     * A model's title answer made fit for storage: whitespace collapsed, surrounding quotes removed, at most 80
     * characters; {@code null} when nothing is left.
     */
    public static String fromModel(String raw) {
        if (raw == null) {
            return null;
        }
        String text = WHITESPACE.matcher(raw).replaceAll(" ").strip();
        while (text.length() >= 2 && QUOTES.indexOf(text.charAt(0)) >= 0
                && QUOTES.indexOf(text.charAt(text.length() - 1)) >= 0) {
            text = text.substring(1, text.length() - 1).strip();
        }
        return text.isEmpty() ? null : cut(text);
    }

    static String cut(String text) {
        if (text.codePointCount(0, text.length()) <= MAX) {
            return text;
        }
        int limit = text.offsetByCodePoints(0, MAX - 1);
        String head = text.substring(0, limit);
        int space = head.lastIndexOf(' ');
        if (space > MAX / 2) {
            head = head.substring(0, space);
        }
        return head.stripTrailing() + "…";
    }
}
