package dev.orchat.ops;

import dev.orchat.settings.SettingsStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /health}: public, cheap liveness with model hints (docs/api.md §2); dependencies live on the admin port. */
@Path("/health")
@Produces(MediaType.APPLICATION_JSON)
public final class HealthResource {
    private final String defaultModel;
    private final SettingsStore settings;
    private final String version;

    public HealthResource(String defaultModel, SettingsStore settings, String version) {
        this.defaultModel = defaultModel;
        this.settings = settings;
        this.version = version;
    }

    @GET
    public Response health() {
        String active = settings.snapshot().model();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "ok");
        body.put("default_model", defaultModel);
        body.put("active_model", active == null ? defaultModel : active);
        body.put("version", version);
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        noStore.setNoCache(true);
        return Response.ok(body).cacheControl(noStore).build();
    }
}
