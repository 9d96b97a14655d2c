package dev.orchat.upload;

/** One {@code attachments} row (docs/architecture.md §7); {@code storagePath} is relative to the uploads root. */
public record AttachmentRow(String id, String sessionId, String storagePath, String mimeType, long sizeBytes,
                            String filename, String sha256, Integer pageCount, String createdAt, String lastUsedAt,
                            String expiresAt) {

    /** Whether {@code expiresAt} has passed at {@code now} (both in the contract's sortable UTC form). */
    public boolean isExpired(String now) {
        return expiresAt != null && expiresAt.compareTo(now) <= 0;
    }

    /** The name shown to people and models: the client's filename, else the id. */
    public String displayName() {
        return filename == null || filename.isBlank() ? id : filename;
    }
}
