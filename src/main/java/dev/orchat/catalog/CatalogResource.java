package dev.orchat.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.web.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;

/** {@code GET /api/models} and {@code GET /api/models/metadata} (docs/api.md §2.16, §5.4). */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public final class CatalogResource {
    static final String STALE_HEADER = "X-Catalog-Stale";
    private final ModelCatalog catalog;
    private final ObjectMapper mapper;

    public CatalogResource(ModelCatalog catalog, ObjectMapper mapper) {
        this.catalog = catalog;
        this.mapper = mapper;
    }

    @GET
    @Path("/models{slash: /?}")
    public Response list(@QueryParam("tools_only") String toolsOnly, @QueryParam("search") String search,
                         @QueryParam("filters") String filters) {
        boolean tools = flag(toolsOnly);
        ModelFilter filter = ModelFilter.parse(filters, mapper); // a malformed filter is a 400 even when upstream is down
        ModelCatalog.View view = catalog.current();
        JsonNode body = catalog.select(view.snapshot(), tools, ModelSearch.parse(search), filter);
        return withStaleMark(Response.ok(body), view).build();
    }

    @GET
    @Path("/models/metadata")
    public Response metadata() {
        ModelCatalog.View view = catalog.current();
        return withStaleMark(Response.ok(catalog.metadata(view.snapshot())), view).build();
    }

    private static Response.ResponseBuilder withStaleMark(Response.ResponseBuilder builder, ModelCatalog.View view) {
        return view.stale() ? builder.header(STALE_HEADER, "true") : builder;
    }

    static boolean flag(String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw ApiException.badRequest("Invalid tools_only parameter: expected true or false");
        };
    }
}
