package dev.orchat.search;

import dev.orchat.db.Database;
import org.jdbi.v3.core.Jdbi;

/** Lets the search benchmark (test code) run the route's code path without HTTP. */
public final class SearchBenchAccess {
    private final Database db;
    private final MessageIndexer indexer;
    private final SearchIndex index;

    public SearchBenchAccess(Jdbi jdbi, boolean postgres) {
        this.db = postgres ? Database.postgres(jdbi, 1, 1) : Database.sqlite(jdbi, 1, 1);
        db.start(); // the writer: a search first indexes queued messages (MessageIndexer)
        this.indexer = new MessageIndexer(db, 0);
        // BENCH_SEARCH_WINDOW: try another ranking window size than the service's (docs/performance.md "Search").
        String window = System.getenv("BENCH_SEARCH_WINDOW");
        this.index = window == null ? new SearchIndex(db, indexer) : new SearchIndex(db, Integer.parseInt(window));
    }

    /** Indexes every queued message, as the service does in the background; returns how many. */
    public int catchUp() {
        return indexer.catchUp();
    }

    public void close() throws InterruptedException {
        db.stop();
    }

    /** @return the number of hits on the first page */
    public int search(String q, int limit) {
        return index.search(SearchQuery.parse(q), limit, null).hits().size();
    }
}
