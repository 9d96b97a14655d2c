package dev.orchat.upload;

import java.util.Collection;
import java.util.Optional;

/**
 * How the chat pipeline resolves attachment references (docs/api.md §2.2) and records their use (§8.7). Without the
 * uploads feature no attachment exists, so every reference is refused with 422.
 */
public interface AttachmentLookup {
    enum State { AVAILABLE, EXPIRED }

    record Attachment(String id, String sessionId, String filename, String mimeType, State state) {
    }

    Optional<Attachment> find(String attachmentId);

    /** Marks attachments as used now, extending their retention. */
    default void touch(Collection<String> attachmentIds) {
    }

    static AttachmentLookup none() {
        return id -> Optional.empty();
    }
}
