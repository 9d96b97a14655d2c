package dev.orchat.preset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.web.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The preset routes of docs/api.md §2.19 The {@code {name}} parameter is matched ignoring case. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public final class PresetResource {
    private final PresetService presets;
    private final ObjectMapper mapper;

    public PresetResource(PresetService presets, ObjectMapper mapper) {
        this.presets = presets;
        this.mapper = mapper;
    }

    @GET
    @Path("/presets{slash: /?}")
    public ArrayNode list() {
        return presets.list();
    }

    @POST
    @Path("/presets{slash: /?}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ObjectNode create(JsonNode body) {
        return presets.create(body);
    }

    /** 200 with the preset, or 200 with a JSON {@code null} (not 204) when none is the default. */
    @GET
    @Path("/presets/default")
    public Response defaultPreset() {
        return Response.ok(presets.defaultPreset().<JsonNode>map(p -> p).orElse(NullNode.getInstance())).build();
    }

    @GET
    @Path("/presets/{name}")
    public ObjectNode get(@PathParam("name") String name) {
        return presets.get(name);
    }

    /** The body is optional, so it is read raw: empty means "re-snapshot only". */
    @PUT
    @Path("/presets/{name}")
    public ObjectNode overwrite(@PathParam("name") String name, @jakarta.ws.rs.core.Context HttpHeaders headers, byte[] body) {
        JsonNode parsed = null;
        if (body != null && body.length > 0 && !new String(body, StandardCharsets.UTF_8).isBlank()) {
            MediaType type = headers.getMediaType();
            if (type == null || !type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                throw ApiException.unsupportedMediaType("Unsupported Media Type: use application/json");
            }
            try {
                parsed = mapper.readTree(body);
            } catch (JsonProcessingException e) {
                throw ApiException.badRequest("Malformed JSON: " + e.getOriginalMessage());
            } catch (java.io.IOException e) {
                throw ApiException.badRequest("Malformed JSON");
            }
        }
        return presets.overwrite(name, parsed);
    }

    @DELETE
    @Path("/presets/{name}")
    public Map<String, Boolean> delete(@PathParam("name") String name) {
        presets.delete(name);
        return Map.of("deleted", true);
    }

    @POST
    @Path("/presets/{name}/set-default")
    public ObjectNode setDefault(@PathParam("name") String name) {
        return presets.setDefault(name);
    }

    @POST
    @Path("/presets/{name}/apply")
    public ObjectNode apply(@PathParam("name") String name) {
        return presets.apply(name);
    }
}
