package dev.orchat.search;

import dev.orchat.db.Database;
import org.jdbi.v3.core.Jdbi;

/** Lets the search benchmark (test code) run the route's code path without HTTP. */
public final class SearchBenchAccess {
    private final SearchIndex index;

    public SearchBenchAccess(Jdbi jdbi, boolean postgres) {
        // The writer is never started: reads only.
        this.index = new SearchIndex(postgres ? Database.postgres(jdbi, 1, 1) : Database.sqlite(jdbi, 1, 1));
    }

    /** @return the number of hits on the first page */
    public int search(String q, int limit) {
        return index.search(SearchQuery.parse(q), limit, null).hits().size();
    }
}
