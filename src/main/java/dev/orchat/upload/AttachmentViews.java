package dev.orchat.upload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The attachment object (docs/api.md §2.21) and the AttachmentRef of message views (§3.3), with fresh content URLs. */
public final class AttachmentViews {
    private final ObjectMapper mapper;
    private final UrlSigner signer;
    private final boolean signUrls;

    /** @param signUrls whether bearer authentication is on, so that content URLs must carry a signature */
    public AttachmentViews(ObjectMapper mapper, UrlSigner signer, boolean signUrls) {
        this.mapper = mapper;
        this.signer = signer;
        this.signUrls = signUrls;
    }

    public String contentUrl(String base, String attachmentId) {
        String url = base + "/api/uploads/" + attachmentId + "/content";
        return signUrls ? url + "?" + signer.query(attachmentId) : url;
    }

    public ObjectNode attachment(AttachmentRow row, String base) {
        ObjectNode a = mapper.createObjectNode();
        String url = contentUrl(base, row.id());
        a.put("id", row.id());
        a.put("sessionId", row.sessionId());
        a.put("mimeType", row.mimeType());
        a.put("sizeBytes", row.sizeBytes());
        a.put("displayUrl", url);
        a.put("deliveryUrl", url);
        a.put("uploadedAt", row.createdAt());
        a.put("expiresAt", row.expiresAt());
        a.put("lastUsedAt", row.lastUsedAt());
        ObjectNode metadata = a.putObject("metadata");
        metadata.put("filename", row.displayName());
        metadata.put("mime_type", row.mimeType());
        metadata.put("size_bytes", row.sizeBytes());
        if (row.pageCount() != null) {
            metadata.put("page_count", row.pageCount());
        }
        ObjectNode out = mapper.createObjectNode();
        out.set("attachment", a);
        return out;
    }

    /** AttachmentRef: live data when the attachment is still there, else the message's snapshot. */
    public ObjectNode ref(String attachmentId, String snapshotFilename, String snapshotMime, AttachmentRow live,
                          String now, String base) {
        ObjectNode ref = mapper.createObjectNode();
        ref.put("id", attachmentId);
        boolean available = live != null && !live.isExpired(now);
        if (available) {
            ref.put("filename", live.displayName());
            ref.put("mimeType", live.mimeType());
            ref.put("sizeBytes", live.sizeBytes());
            ref.put("displayUrl", contentUrl(base, attachmentId));
        } else {
            ref.put("filename", snapshotFilename);
            ref.put("mimeType", snapshotMime);
            ref.putNull("sizeBytes");
            ref.putNull("displayUrl");
        }
        ref.put("available", available);
        return ref;
    }
}
