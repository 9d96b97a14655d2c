package dev.orchat.upload;

/** What the uploads feature hands to chat, history and the {@code pdf} built-in. */
public record Uploads(AttachmentService service, ModelInputBuilder modelInput, AttachmentRefViews refs, PdfText pdf) {
}
