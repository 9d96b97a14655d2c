package dev.orchat.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.catalog.ModelCatalog;
import dev.orchat.chat.ChatService;
import dev.orchat.conversation.ConversationStore;
import dev.orchat.conversation.HistoryService;
import io.dropwizard.core.setup.Environment;
import java.time.Clock;

/** Registers the OpenAI-compatible API (docs/api.md, "OpenAI-compatible API"): its resource and its error shape. */
public final class OpenAiWiring {
    private OpenAiWiring() {
    }

    /** What {@code /v1} uses of the other features. */
    public record Collaborators(ChatService chat, ModelCatalog catalog, ConversationStore store,
                                HistoryService history) {
    }

    public static void register(Environment env, Collaborators with, Clock clock) {
        ObjectMapper mapper = env.getObjectMapper();
        env.jersey().register(new OpenAiResource(with.chat(), with.catalog(), with.store(), with.history(), mapper,
                clock));
        env.jersey().register(new OpenAiErrorFilter());
    }
}
