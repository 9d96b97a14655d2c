package dev.orchat.upload;

import java.util.Optional;

/**
 * How the chat pipeline resolves attachment references (SPEC §4.2). The uploads feature supplies the real one;
 * without it no attachment exists, so every reference is refused with 422.
 */
public interface AttachmentLookup {
    enum State { AVAILABLE, EXPIRED }

    record Attachment(String id, String sessionId, String filename, String mimeType, State state) {
    }

    Optional<Attachment> find(String attachmentId);

    static AttachmentLookup none() {
        return id -> Optional.empty();
    }
}
