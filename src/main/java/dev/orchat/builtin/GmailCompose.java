package dev.orchat.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/** Builds the RFC 5322 message that Gmail's {@code raw} field carries (base64url), for drafts and sends. */
final class GmailCompose {
    private GmailCompose() {
    }

    /** The encoded message plus the thread it belongs to (may be null). */
    record Message(String raw, String threadId) {
    }

    static Message fromArgs(ObjectNode args, boolean needsRecipient) {
        List<String> to = Args.optionalStringList(args, "to");
        if (needsRecipient && to.isEmpty()) {
            throw new Args.Invalid("Argument 'to' is required.");
        }
        String subject = Args.requiredString(args, "subject");
        String body = Args.optionalString(args, "body");
        if (body == null) {
            throw new Args.Invalid("Argument 'body' is required.");
        }
        List<String> cc = Args.optionalStringList(args, "cc");
        List<String> bcc = Args.optionalStringList(args, "bcc");
        String format = Args.optionalEnum(args, "body_format", "plain", List.of("plain", "html"));
        String inReplyTo = Args.optionalString(args, "in_reply_to");
        String references = Args.optionalString(args, "references");
        String threadId = Args.optionalString(args, "thread_id");
        StringBuilder m = new StringBuilder();
        addresses(m, "To", to);
        addresses(m, "Cc", cc);
        addresses(m, "Bcc", bcc);
        if (inReplyTo != null && !inReplyTo.isBlank()) {
            if (!subject.toLowerCase(Locale.ROOT).startsWith("re:")) {
                subject = "Re: " + subject;
            }
            header(m, "In-Reply-To", inReplyTo.strip());
            header(m, "References", references == null || references.isBlank() ? inReplyTo.strip() : references.strip());
        } else if (references != null && !references.isBlank()) {
            header(m, "References", references.strip());
        }
        header(m, "Subject", encodeWord(subject));
        header(m, "MIME-Version", "1.0");
        header(m, "Content-Type", ("html".equals(format) ? "text/html" : "text/plain") + "; charset=UTF-8");
        header(m, "Content-Transfer-Encoding", "base64");
        m.append("\r\n").append(Base64.getMimeEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8))).append("\r\n");
        String raw = Base64.getUrlEncoder().withoutPadding().encodeToString(m.toString().getBytes(StandardCharsets.UTF_8));
        return new Message(raw, threadId == null || threadId.isBlank() ? null : threadId.strip());
    }

    private static void addresses(StringBuilder m, String name, List<String> list) {
        if (!list.isEmpty()) {
            header(m, name, String.join(", ", list));
        }
    }

    /** Header values from the model must not smuggle extra header lines. */
    private static void header(StringBuilder m, String name, String value) {
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new Args.Invalid("Header " + name + " must not contain line breaks.");
        }
        m.append(name).append(": ").append(value).append("\r\n");
    }

    /** RFC 2047 for non-ASCII subjects. */
    static String encodeWord(String text) {
        if (StandardCharsets.US_ASCII.newEncoder().canEncode(text)) {
            return text;
        }
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "?=";
    }
}
