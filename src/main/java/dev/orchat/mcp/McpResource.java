package dev.orchat.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.mcp.config.McpConfigFile;
import dev.orchat.mcp.config.McpServerConfig;
import dev.orchat.web.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The MCP routes of SPEC §6.4 that exist so far: status, partial update and refresh. */
@Path("/api/mcp")
@Produces(MediaType.APPLICATION_JSON)
public final class McpResource {
    private static final Set<String> ALWAYS = Set.of("enabled", "disabled_tools", "tool_prefix", "call_timeout_s");
    private static final Set<String> LAUNCH = Set.of("transport", "builtin", "command", "args", "env", "cwd", "url", "headers");
    private final McpSupervisor supervisor;
    private final ObjectMapper mapper;
    private final McpStatusView view;

    public McpResource(McpSupervisor supervisor, ObjectMapper mapper) {
        this.supervisor = supervisor;
        this.mapper = mapper;
        this.view = new McpStatusView(mapper);
    }

    @GET
    @Path("/servers{slash: /?}")
    public ObjectNode list() {
        return view.render(supervisor);
    }

    @POST
    @Path("/servers/refresh")
    public ObjectNode refresh() {
        supervisor.refresh();
        return view.render(supervisor);
    }

    @PATCH
    @Path("/servers/{serverId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ObjectNode patch(@PathParam("serverId") String id, JsonNode body) throws IOException {
        McpRuntime rt = supervisor.runtime(id);
        if (rt == null) {
            throw ApiException.notFound("MCP server not found");
        }
        if (body == null || !body.isObject()) {
            throw ApiException.invalid(List.of("body"), "Input should be a valid dictionary", "dict_type");
        }
        ObjectNode merged = mapper.valueToTree(rt.config());
        boolean launchChanged = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            if (!ALWAYS.contains(key) && !LAUNCH.contains(key)) {
                throw ApiException.invalid(List.of("body", key), "Extra inputs are not permitted", "extra_forbidden");
            }
            JsonNode value = key.equals("env") || key.equals("headers") ? keepRedacted(merged.get(key), field.getValue())
                    : field.getValue();
            if (LAUNCH.contains(key) && !value.equals(merged.path(key))) {
                launchChanged = true;
            }
            if (value.isNull()) {
                merged.remove(key);
            } else {
                merged.set(key, value);
            }
        }
        if (launchChanged && !supervisor.allowRemoteConfiguration()) {
            throw new ApiException(403, "Remote MCP configuration is disabled (mcp.allowRemoteConfiguration)");
        }
        McpServerConfig next;
        try {
            next = mapper.treeToValue(merged, McpServerConfig.class);
        } catch (IOException e) {
            throw ApiException.invalid(List.of("body"), "Invalid server configuration: " + e.getMessage(), "value_error");
        }
        List<String> errors = McpConfigFile.validate(next);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(List.of("body"), String.join("; ", errors), "value_error");
        }
        List<McpServerConfig> servers = new ArrayList<>();
        for (McpServerConfig c : supervisor.configs()) {
            servers.add(c.id().equals(id) ? next : c);
        }
        supervisor.replace(servers);
        return view.render(supervisor);
    }

    /** A submitted {@code ***} means "unchanged", so a GET → PATCH round trip never wipes a secret (§6.3). */
    private JsonNode keepRedacted(JsonNode current, JsonNode submitted) {
        if (submitted == null || !submitted.isObject()) {
            return submitted;
        }
        ObjectNode out = submitted.deepCopy();
        submitted.fields().forEachRemaining(e -> {
            if (McpStatusView.REDACTED.equals(e.getValue().asText()) && current != null && current.has(e.getKey())) {
                out.set(e.getKey(), current.get(e.getKey()));
            }
        });
        return out;
    }
}
