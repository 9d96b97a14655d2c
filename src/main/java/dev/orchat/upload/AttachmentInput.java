package dev.orchat.upload;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/** How the chat pipeline turns attachment parts into model input, one upstream payload at a time (docs/api.md §2.21). */
public interface AttachmentInput {
    HopInput forHop(String model, boolean textOnly);

    /** One payload's expansion; remembers which attachments it used and whether a PDF went as a file part. */
    interface HopInput {
        ObjectNode expand(String attachmentId);

        Set<String> used();

        boolean sentPdfAsFile();
    }

    /** Without the uploads feature every reference reads as unavailable. */
    static AttachmentInput none() {
        return (model, textOnly) -> new HopInput() {
            @Override
            public ObjectNode expand(String attachmentId) {
                ObjectNode part = JsonNodeFactory.instance.objectNode();
                part.put("type", "text");
                part.put("text", "[Attachment " + attachmentId + " is no longer available]");
                return part;
            }

            @Override
            public Set<String> used() {
                return Set.of();
            }

            @Override
            public boolean sentPdfAsFile() {
                return false;
            }
        };
    }
}
