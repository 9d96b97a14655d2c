package dev.orchat.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.mcp.config.McpServerConfig;
import dev.orchat.web.ApiException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The desktop-client {@code {"mcpServers": {...}}} import of docs/api.md §2.10: entry mapping and conflict handling. */
final class McpImport {
    static final List<String> ON_CONFLICT = List.of("fail", "skip", "replace");
    private static final Pattern ILLEGAL = Pattern.compile("[^A-Za-z0-9_-]");
    private static final int MAX_ID = 48;

    /** The new server list and what happened to each imported id. */
    record Plan(List<McpServerConfig> servers, List<String> imported, List<String> skipped) {
    }

    private McpImport() {
    }

    static String id(String name) {
        String id = ILLEGAL.matcher(name).replaceAll("-");
        return id.length() > MAX_ID ? id.substring(0, MAX_ID) : id;
    }

    /**
     * Maps one entry to a ServerConfig object: {@code command} (string or list) + {@code args} → stdio; {@code url}
     * → sse when {@code type}/{@code transport} says so, else streamable_http; env, headers, cwd copied;
     * {@code disabled: true} → disabled; {@code disabledTools}/{@code disabled_tools}; anything else ignored.
     * Null with an error added when the entry has neither command nor url.
     */
    static ObjectNode map(ObjectMapper mapper, String name, JsonNode entry, List<Object> loc,
                          List<Map<String, Object>> errors) {
        if (entry == null || !entry.isObject()) {
            errors.add(McpConfigChange.error(loc, "Input should be a valid dictionary", "dict_type"));
            return null;
        }
        ObjectNode out = mapper.createObjectNode();
        out.put("id", id(name));
        JsonNode command = entry.get("command");
        JsonNode url = entry.get("url");
        if (command != null && !command.isNull()) {
            out.put("transport", "stdio");
            out.set("command", command);
            copy(entry, out, "args", "args");
        } else if (url != null && !url.isNull()) {
            boolean sse = "sse".equals(entry.path("type").asText()) || "sse".equals(entry.path("transport").asText());
            out.put("transport", sse ? "sse" : "streamable_http");
            out.set("url", url);
        } else {
            errors.add(McpConfigChange.error(loc, "command or url is required", "value_error"));
            return null;
        }
        copy(entry, out, "env", "env");
        copy(entry, out, "headers", "headers");
        copy(entry, out, "cwd", "cwd");
        copy(entry, out, "disabledTools", "disabled_tools");
        copy(entry, out, "disabled_tools", "disabled_tools");
        out.put("enabled", !entry.path("disabled").asBoolean(false));
        return out;
    }

    private static void copy(JsonNode from, ObjectNode to, String source, String target) {
        JsonNode value = from.get(source);
        if (value != null && !value.isNull()) {
            to.set(target, value);
        }
    }

    /** Ordered entries of {@code body.mcpServers}; 422 when it is missing or not an object. */
    static Map<String, JsonNode> entries(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalid(List.of("body"), "Input should be a valid dictionary", "dict_type");
        }
        JsonNode servers = body.get("mcpServers");
        if (servers == null || !servers.isObject()) {
            throw ApiException.invalid(List.of("body", "mcpServers"), "mcpServers must be an object of servers by name",
                    servers == null ? "missing" : "dict_type");
        }
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = servers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    /** Existing ids: {@code fail} → 409 with nothing imported, {@code skip} keeps them, {@code replace} overwrites in place. */
    static Plan plan(List<McpServerConfig> current, List<McpServerConfig> incoming, String onConflict) {
        Map<String, McpServerConfig> byId = new LinkedHashMap<>();
        current.forEach(c -> byId.put(c.id(), c));
        List<String> conflicts = incoming.stream().map(McpServerConfig::id).filter(byId::containsKey).toList();
        if (!conflicts.isEmpty() && onConflict.equals("fail")) {
            throw ApiException.conflict("MCP server already exists: " + String.join(", ", conflicts));
        }
        List<String> imported = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (McpServerConfig server : incoming) {
            if (byId.containsKey(server.id()) && onConflict.equals("skip")) {
                skipped.add(server.id());
            } else {
                byId.put(server.id(), server);
                imported.add(server.id());
            }
        }
        return new Plan(List.copyOf(byId.values()), imported, skipped);
    }
}
