package dev.orchat.chat;

import dev.orchat.openrouter.Flavor;
import dev.orchat.openrouter.OpenRouterClient;
import dev.orchat.openrouter.UpstreamException;
import dev.orchat.web.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.regex.Pattern;

/** {@code GET /api/chat/generation/{id}}: upstream generation statistics, passed through (docs/api.md §2). */
@Path("/api/chat/generation")
@Produces(MediaType.APPLICATION_JSON)
public final class GenerationResource {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private final OpenRouterClient upstream;

    public GenerationResource(OpenRouterClient upstream) {
        this.upstream = upstream;
    }

    @GET
    @Path("/{generationId}")
    public Response get(@PathParam("generationId") String id) {
        if (!ID.matcher(id).matches()) {
            throw ApiException.invalid(List.of("path", "generation_id"), "String should match pattern '^[A-Za-z0-9_-]{1,128}$'",
                    "string_pattern_mismatch");
        }
        if (upstream.flavor() == Flavor.GENERIC) {
            throw ApiException.notFound("Generation statistics are not available for this upstream");
        }
        if (!upstream.isConfigured()) {
            throw ApiException.unavailable("OpenRouter is not configured: set OPENROUTER_API_KEY");
        }
        try {
            return Response.ok(upstream.getJson("/generation?id=" + id).body(), MediaType.APPLICATION_JSON_TYPE).build();
        } catch (UpstreamException e) {
            throw new ApiException(e.status(), e.detail());
        }
    }
}
