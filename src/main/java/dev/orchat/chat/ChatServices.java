package dev.orchat.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.conversation.ConversationStore;
import dev.orchat.mcp.ToolRegistry;
import dev.orchat.openrouter.OpenRouterClient;
import dev.orchat.upload.AttachmentInput;
import dev.orchat.upload.AttachmentLookup;
import java.time.Clock;
import java.time.ZoneId;
import java.util.concurrent.ExecutorService;

/** What every turn needs, built once by the application. */
record ChatServices(ChatFactory config, ConversationStore store, OpenRouterClient upstream, ToolRegistry tools,
                    PayloadBuilder payloads, WireMessages wire, ChatMetrics metrics, ObjectMapper mapper,
                    Clock clock, ZoneId zone, ExecutorService toolExecutor, AttachmentLookup attachments,
                    AttachmentInput attachmentInput, SessionTitler titles) {
}
