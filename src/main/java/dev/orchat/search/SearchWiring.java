package dev.orchat.search;

import dev.orchat.OrchatConfiguration;
import dev.orchat.db.Database;
import dev.orchat.transfer.TransferWiring;
import dev.orchat.upload.AttachmentStorage;
import io.dropwizard.core.setup.Environment;
import java.time.Clock;

/** Finding and moving conversations (docs/api.md "Search", "Export and import"): one call from the application. */
public final class SearchWiring {
    /** How soon after upload an attachment's text becomes searchable. */
    static final long INDEX_INTERVAL_MILLIS = 2_000;
    /** How often queued messages are indexed in the background; a search indexes them first anyway. */
    static final long MESSAGE_INDEX_INTERVAL_MILLIS = 250;

    private SearchWiring() {
    }

    /** Reads take {@link Database#readSnapshot} or the plain pool; every write is a job of {@link Database#write}. */
    public static void register(Environment env, OrchatConfiguration config, Database db, Clock clock) {
        MessageIndexer messages = new MessageIndexer(db, MESSAGE_INDEX_INTERVAL_MILLIS);
        messages.registerMetrics(env.metrics());
        env.lifecycle().manage(messages);
        env.jersey().register(new SearchResource(new SearchIndex(db, messages)));
        env.lifecycle().manage(new AttachmentTextIndexer(db, new AttachmentStorage(config.getAttachments().directory()),
                INDEX_INTERVAL_MILLIS));
        TransferWiring.register(env, db, config.getAttachments().directory(), config.getImport(), clock);
    }
}
