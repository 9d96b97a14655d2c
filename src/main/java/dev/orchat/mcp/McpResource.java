package dev.orchat.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.mcp.config.McpServerConfig;
import dev.orchat.web.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The MCP routes of docs/api.md §2.10: status, replace, partial update, refresh and import. */
@Path("/api/mcp")
@Produces(MediaType.APPLICATION_JSON)
public final class McpResource {
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

    @PUT
    @Path("/servers{slash: /?}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ObjectNode replace(JsonNode body) throws IOException {
        if (body == null || !body.isObject()) {
            throw ApiException.invalid(List.of("body"), "Input should be a valid dictionary", "dict_type");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!key.equals("servers")) {
                throw ApiException.invalid(List.of("body", key), "Extra inputs are not permitted", "extra_forbidden");
            }
        }
        JsonNode list = body.get("servers");
        if (list == null || !list.isArray()) {
            throw ApiException.invalid(List.of("body", "servers"), "Input should be a valid list",
                    list == null ? "missing" : "list_type");
        }
        synchronized (supervisor) {
            List<McpServerConfig> current = supervisor.configs();
            List<Map<String, Object>> errors = new ArrayList<>();
            List<McpServerConfig> next = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                McpServerConfig server = putEntry(list.get(i), List.of("body", "servers", i), current, errors);
                if (server != null) {
                    next.add(server);
                }
            }
            McpConfigChange.failIfAny(errors);
            McpConfigChange.requireUniqueIds(next);
            McpConfigChange.requireAllowed(supervisor.allowRemoteConfiguration(), current, next);
            supervisor.replace(next);
        }
        return view.render(supervisor);
    }

    private McpServerConfig putEntry(JsonNode entry, List<Object> loc, List<McpServerConfig> current,
                                     List<Map<String, Object>> errors) {
        if (!entry.isObject()) {
            errors.add(McpConfigChange.error(loc, "Input should be a valid dictionary", "dict_type"));
            return null;
        }
        ObjectNode node = ((ObjectNode) entry).deepCopy();
        node.remove(McpConfigChange.STATUS);
        boolean ok = true;
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!McpConfigChange.known(key)) {
                List<Object> where = new ArrayList<>(loc);
                where.add(key);
                errors.add(McpConfigChange.error(where, "Extra inputs are not permitted", "extra_forbidden"));
                ok = false;
            }
        }
        if (!ok) {
            return null;
        }
        String id = node.path("id").asText(null);
        McpConfigChange.restoreSecrets(mapper, node, current.stream().filter(c -> c.id().equals(id)).findFirst().orElse(null));
        return McpConfigChange.toConfig(mapper, node, loc, errors);
    }

    @POST
    @Path("/servers/import")
    @Consumes(MediaType.APPLICATION_JSON)
    public ObjectNode importServers(@QueryParam("on_conflict") String onConflictParam, JsonNode body) throws IOException {
        String onConflict = onConflictParam == null ? "fail" : onConflictParam;
        if (!McpImport.ON_CONFLICT.contains(onConflict)) {
            throw ApiException.invalid(List.of("query", "on_conflict"), "Input should be 'fail', 'skip' or 'replace'",
                    "enum");
        }
        Map<String, JsonNode> entries = McpImport.entries(body);
        McpImport.Plan plan;
        synchronized (supervisor) {
            List<McpServerConfig> current = supervisor.configs();
            List<Map<String, Object>> errors = new ArrayList<>();
            List<McpServerConfig> incoming = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : entries.entrySet()) {
                List<Object> loc = List.of("body", "mcpServers", e.getKey());
                ObjectNode node = McpImport.map(mapper, e.getKey(), e.getValue(), loc, errors);
                if (node == null) {
                    continue;
                }
                String id = node.get("id").asText();
                if (onConflict.equals("replace")) {
                    McpConfigChange.restoreSecrets(mapper, node,
                            current.stream().filter(c -> c.id().equals(id)).findFirst().orElse(null));
                }
                McpServerConfig server = McpConfigChange.toConfig(mapper, node, loc, errors);
                if (server != null) {
                    incoming.add(server);
                }
            }
            McpConfigChange.failIfAny(errors);
            McpConfigChange.requireUniqueIds(incoming);
            plan = McpImport.plan(current, incoming, onConflict);
            McpConfigChange.requireAllowed(supervisor.allowRemoteConfiguration(), current, plan.servers());
            if (!plan.imported().isEmpty()) {
                supervisor.replace(plan.servers());
            }
        }
        ObjectNode out = view.render(supervisor);
        plan.imported().forEach(out.putArray("imported")::add);
        plan.skipped().forEach(out.putArray("skipped")::add);
        return out;
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
            if (!McpConfigChange.ALWAYS.contains(key) && !McpConfigChange.LAUNCH.contains(key)) {
                throw ApiException.invalid(List.of("body", key), "Extra inputs are not permitted", "extra_forbidden");
            }
            JsonNode value = key.equals("env") || key.equals("headers")
                    ? McpConfigChange.keepRedacted(merged.get(key), field.getValue()) : field.getValue();
            if (McpConfigChange.LAUNCH.contains(key) && !value.equals(merged.path(key))) {
                launchChanged = true;
            }
            if (value.isNull()) {
                merged.remove(key);
            } else {
                merged.set(key, value);
            }
        }
        if (launchChanged && !supervisor.allowRemoteConfiguration()) {
            throw new ApiException(403, McpConfigChange.FORBIDDEN);
        }
        List<Map<String, Object>> errors = new ArrayList<>();
        McpServerConfig next = McpConfigChange.toConfig(mapper, merged, List.of("body"), errors);
        McpConfigChange.failIfAny(errors);
        synchronized (supervisor) {
            List<McpServerConfig> servers = new ArrayList<>();
            for (McpServerConfig c : supervisor.configs()) {
                servers.add(c.id().equals(id) ? next : c);
            }
            supervisor.replace(servers);
        }
        return view.render(supervisor);
    }
}
