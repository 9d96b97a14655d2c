package dev.orchat.conversation;

import com.fasterxml.jackson.databind.JsonNode;

/** Automatic session titles, {@code truncate} mode (SPEC §4.16). */
public final class Titles {
    private static final int MAX = 80;

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
        String collapsed = text.toString().replaceAll("\\s+", " ").strip();
        if (!collapsed.isEmpty()) {
            return cut(collapsed);
        }
        if (hasAttachment) {
            return cut("Attachment: " + (firstAttachmentName == null ? "file" : firstAttachmentName));
        }
        return "New chat";
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
