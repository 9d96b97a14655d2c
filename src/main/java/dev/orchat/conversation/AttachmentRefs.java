package dev.orchat.conversation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;

/**
 * How message views show their attachments (docs/api.md §2 AttachmentRef). The uploads feature supplies it with
 * freshly signed URLs; without it refs come from the snapshot alone and are unavailable.
 */
public interface AttachmentRefs {
    /** Refs for one message's rows, in part order; {@code base} is the absolute URL base of this request. */
    ArrayNode refs(List<MessageAttachment> rows, String base);
}
