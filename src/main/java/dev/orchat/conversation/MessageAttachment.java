package dev.orchat.conversation;

/**
 * One {@code message_attachments} row: which attachment a user message's part {@code partIndex} refers to, with
 * the filename and type as they were, so the message still reads sensibly after the attachment is gone.
 */
public record MessageAttachment(long messageId, int partIndex, String attachmentId, String filename, String mimeType) {
}
