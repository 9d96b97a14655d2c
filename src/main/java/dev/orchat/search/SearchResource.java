package dev.orchat.search;

import dev.orchat.web.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /api/search} (docs/api.md "Search"). */
@Path("/api/search")
@Produces(MediaType.APPLICATION_JSON)
public final class SearchResource {
    private final SearchIndex index;

    public SearchResource(SearchIndex index) {
        this.index = index;
    }

    @GET
    public SearchPage search(@QueryParam("q") String q, @QueryParam("limit") String limitParam,
                             @QueryParam("cursor") String cursor) {
        SearchQuery query = SearchQuery.parse(q);
        return index.search(query, limit(limitParam), cursor);
    }

    private static int limit(String raw) {
        if (raw == null) {
            return 20;
        }
        try {
            int value = Integer.parseInt(raw.strip());
            if (value >= 1 && value <= 100) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.invalid(List.of("query", "limit"), "Input should be an integer between 1 and 100", "int_parsing");
    }
}
