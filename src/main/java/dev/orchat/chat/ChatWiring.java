package dev.orchat.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.conversation.ConversationStore;
import dev.orchat.mcp.ToolRegistry;
import dev.orchat.openrouter.OpenRouterClient;
import dev.orchat.settings.SettingsStore;
import dev.orchat.upload.AttachmentInput;
import dev.orchat.upload.AttachmentLookup;
import java.time.Clock;
import java.time.ZoneId;
import java.util.concurrent.ExecutorService;

/** Assembles the chat feature's package-private parts for the application. */
public final class ChatWiring {
    private ChatWiring() {
    }

    @SuppressWarnings("checkstyle:ParameterNumber")
    public static ChatService chatService(ChatFactory config, ConversationStore store, OpenRouterClient upstream,
                                          ToolRegistry tools, ChatMetrics metrics, ObjectMapper mapper, Clock clock,
                                          ZoneId zone, ExecutorService toolExecutor, ChatRequestParser parser,
                                          TurnRegistry turns, SettingsStore settings, AttachmentLookup attachments,
                                          AttachmentInput attachmentInput, String pdfEngine, String defaultModel,
                                          ExecutorService relays) {
        ChatServices services = new ChatServices(config, store, upstream, tools,
                new PayloadBuilder(mapper, upstream.flavor(), pdfEngine),
                new WireMessages(mapper, config.isReplayReasoningDetails()),
                metrics, mapper, clock, zone, toolExecutor, attachments, attachmentInput);
        return new ChatService(services, parser, turns, settings, attachments, defaultModel, relays);
    }
}
