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

    /** Registers {@code /v1} over the chat engine, the catalogue and the history (stateless sessions are deleted). */
    public static void register(Environment env, ChatService chat, ModelCatalog catalog, ConversationStore store,
                                HistoryService history, Clock clock) {
        ObjectMapper mapper = env.getObjectMapper();
        env.jersey().register(new OpenAiResource(chat, catalog, store, history, mapper, clock));
        env.jersey().register(new OpenAiErrorFilter());
    }
}
