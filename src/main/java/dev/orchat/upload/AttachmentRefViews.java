package dev.orchat.upload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.orchat.conversation.AttachmentRefs;
import dev.orchat.conversation.MessageAttachment;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** AttachmentRefs for history views (docs/api.md §2), live where the attachment still exists, else the snapshot. */
public final class AttachmentRefViews implements AttachmentRefs {
    private final AttachmentService attachments;
    private final AttachmentViews views;
    private final ObjectMapper mapper;

    public AttachmentRefViews(AttachmentService attachments, AttachmentViews views, ObjectMapper mapper) {
        this.attachments = attachments;
        this.views = views;
        this.mapper = mapper;
    }

    @Override
    public ArrayNode refs(List<MessageAttachment> rows, String base) {
        ArrayNode out = mapper.createArrayNode();
        if (rows.isEmpty()) {
            return out;
        }
        Map<String, AttachmentRow> live = attachments.rows(rows.stream().map(MessageAttachment::attachmentId)
                .collect(Collectors.toSet())).stream().collect(Collectors.toMap(AttachmentRow::id, Function.identity()));
        String now = attachments.now();
        for (MessageAttachment row : rows) {
            out.add(views.ref(row.attachmentId(), row.filename(), row.mimeType(), live.get(row.attachmentId()), now, base));
        }
        return out;
    }
}
