package dev.orchat.stt;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** {@code POST /api/stt/deepgram/token} (docs/api.md §2.20). Any request body is ignored. */
@Path("/api/stt/deepgram/token")
@Produces(MediaType.APPLICATION_JSON)
public final class DeepgramTokenResource {
    private final DeepgramTokens tokens;

    public DeepgramTokenResource(DeepgramTokens tokens) {
        this.tokens = tokens;
    }

    @POST
    public Map<String, Object> mint() {
        return tokens.mint();
    }
}
