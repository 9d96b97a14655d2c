package dev.orchat.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.conversation.ConversationStore;
import dev.orchat.mcp.ToolRegistry;
import dev.orchat.upload.AttachmentInput;
import dev.orchat.upload.AttachmentLookup;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.function.Supplier;

/** Builds the upstream request of each hop from the stored history, the settings and the offered tools. */
final class HopPayloads {
    private final ConversationStore store;
    private final WireMessages wire;
    private final PayloadBuilder payloads;
    private final AttachmentInput attachmentInput;
    private final AttachmentLookup attachments;
    private final ToolRegistry tools;
    private final Supplier<ZonedDateTime> localTime;
    private final boolean textOnlyAttachments;

    /**
     * @param localTime the user's local time for the date/time context, or a supplier of null when it is off
     * @param textOnlyAttachments whether the upstream takes text only (a generic OpenAI-compatible server)
     */
    HopPayloads(ConversationStore store, WireMessages wire, PayloadBuilder payloads, AttachmentInput attachmentInput,
                AttachmentLookup attachments, ToolRegistry tools, Supplier<ZonedDateTime> localTime,
                boolean textOnlyAttachments) {
        this.store = store;
        this.wire = wire;
        this.payloads = payloads;
        this.attachmentInput = attachmentInput;
        this.attachments = attachments;
        this.tools = tools;
        this.localTime = localTime;
        this.textOnlyAttachments = textOnlyAttachments;
    }

    /** One hop's request body, and whether a "tools unsupported" answer may be retried without tools. */
    record HopRequest(byte[] body, boolean fallbackAllowed) {
    }

    HopRequest build(TurnState state, PayloadBuilder.ToolMode mode, boolean fallbackUsed) {
        AttachmentInput.HopInput expansion = attachmentInput.forHop(state.model(), textOnlyAttachments);
        ArrayNode messages = wire.build(store.history(state.sessionId()), state.settings().systemPrompt(),
                localTime.get(), expansion);
        attachments.touch(expansion.used()); // replaying history counts as a use (docs/api.md, "Attachments")
        List<ObjectNode> offered = mode == PayloadBuilder.ToolMode.DISABLED ? List.of() : tools.toolDefinitions();
        ObjectNode forwarded = state.request().forwarded();
        ObjectNode payload = payloads.build(forwarded, state.model(), messages, state.settings(), offered, mode,
                expansion.sentPdfAsFile());
        JsonNode choice = forwarded.has("tool_choice") ? forwarded.get("tool_choice")
                : state.settings().parameters() == null ? null : state.settings().parameters().get("tool_choice");
        boolean fallbackAllowed = !fallbackUsed && payload.has("tools") && PayloadBuilder.choiceAllowsFallback(choice);
        return new HopRequest(payloads.toBytes(payload), fallbackAllowed);
    }
}
