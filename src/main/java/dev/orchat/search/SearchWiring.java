package dev.orchat.search;

import dev.orchat.OrchatConfiguration;
import dev.orchat.conversation.ConversationStore;
import dev.orchat.transfer.TransferWiring;
import dev.orchat.upload.AttachmentStorage;
import io.dropwizard.core.setup.Environment;
import java.time.Clock;

/** Finding and moving conversations (docs/api.md "Search", "Export and import"): one call from the application. */
public final class SearchWiring {
    /** How soon after upload an attachment's text becomes searchable. */
    static final long INDEX_INTERVAL_MILLIS = 2_000;

    private SearchWiring() {
    }

    public static void register(Environment env, OrchatConfiguration config, ConversationStore store, Clock clock) {
        env.jersey().register(new SearchResource(new SearchIndex(store.jdbi())));
        env.lifecycle().manage(new AttachmentTextIndexer(store, new AttachmentStorage(config.getAttachments().directory()),
                INDEX_INTERVAL_MILLIS));
        TransferWiring.register(env, store, config.getAttachments().directory(), config.getImport(), clock);
    }
}
