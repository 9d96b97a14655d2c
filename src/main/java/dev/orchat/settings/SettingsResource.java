package dev.orchat.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Collections;
import java.util.Map;

/** The settings routes of docs/api.md §2.18 */
@Path("/api/settings")
@Produces(MediaType.APPLICATION_JSON)
public final class SettingsResource {
    private final SettingsService settings;
    private final ActiveProviderExplainer explainer;

    public SettingsResource(SettingsService settings, ActiveProviderExplainer explainer) {
        this.settings = settings;
        this.explainer = explainer;
    }

    @GET
    @Path("/model")
    public ModelSettings model() {
        return settings.modelSettings();
    }

    @PUT
    @Path("/model")
    @Consumes(MediaType.APPLICATION_JSON)
    public ModelSettings putModel(JsonNode body) {
        return settings.putModelSettings(settings.parseModelBody(body));
    }

    @GET
    @Path("/model/active-provider")
    public ObjectNode activeProvider() {
        return explainer.explain(settings.modelSettings());
    }

    @GET
    @Path("/system-prompt")
    public Map<String, String> systemPrompt() {
        return Collections.singletonMap("system_prompt", settings.systemPrompt());
    }

    @PUT
    @Path("/system-prompt")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, String> putSystemPrompt(JsonNode body) {
        return Collections.singletonMap("system_prompt", settings.putSystemPrompt(settings.parsePromptBody(body)).value());
    }
}
