package dev.orchat.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.mcp.config.McpConfigFile;
import dev.orchat.mcp.config.McpServerConfig;
import dev.orchat.mcp.config.ShellWords;
import dev.orchat.web.ApiException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turning submitted JSON into validated server configurations (docs/configuration.md §4) and the remote configuration policy
 * (docs/architecture.md §10) shared by PUT, PATCH and import.
 */
final class McpConfigChange {
    static final String FORBIDDEN = "Remote MCP configuration is disabled (mcp.allowRemoteConfiguration)";
    static final Set<String> ALWAYS = Set.of("enabled", "disabled_tools", "tool_prefix", "call_timeout_s",
            "default_policy", "tool_policies");
    static final Set<String> LAUNCH = Set.of("transport", "builtin", "command", "args", "env", "cwd", "url", "headers");
    /** Read-only ServerStatus fields: dropped from a PUT entry so a GET → PUT round trip works (§6.3). */
    static final Set<String> STATUS = Set.of("state", "connected", "last_error", "started_at", "restarts", "tool_count", "tools");

    private McpConfigChange() {
    }

    static boolean known(String field) {
        return field.equals("id") || ALWAYS.contains(field) || LAUNCH.contains(field);
    }

    /** A submitted {@code ***} means "unchanged", so a GET → PATCH/PUT round trip never wipes a secret (§6.3). */
    static JsonNode keepRedacted(JsonNode current, JsonNode submitted) {
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

    /** Restores {@code ***} values of {@code env} and {@code headers} from the current server with the same id. */
    static void restoreSecrets(ObjectMapper mapper, ObjectNode node, McpServerConfig current) {
        if (current == null) {
            return;
        }
        ObjectNode existing = mapper.valueToTree(current);
        for (String key : List.of("env", "headers")) {
            if (node.has(key)) {
                node.set(key, keepRedacted(existing.get(key), node.get(key)));
            }
        }
    }

    /**
     * One ServerConfig object (all keys known) → a validated config, or null with its field errors added to
     * {@code errors}. {@code enabled} defaults to true; a string {@code command} is split like a shell would.
     */
    static McpServerConfig toConfig(ObjectMapper mapper, ObjectNode node, List<Object> loc, List<Map<String, Object>> errors) {
        ObjectNode copy = node.deepCopy();
        if (!copy.has("enabled")) {
            copy.put("enabled", true);
        }
        if (copy.path("command").isTextual()) {
            copy.set("command", mapper.valueToTree(ShellWords.split(copy.get("command").asText())));
        }
        McpServerConfig config;
        try {
            config = mapper.treeToValue(copy, McpServerConfig.class);
        } catch (JsonMappingException e) {
            List<Object> where = new ArrayList<>(loc);
            e.getPath().forEach(ref -> where.add(ref.getFieldName() != null ? ref.getFieldName() : ref.getIndex()));
            errors.add(error(where, "Invalid value: " + e.getOriginalMessage(), "type_error"));
            return null;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            errors.add(error(loc, "Invalid server configuration: " + e.getMessage(), "value_error"));
            return null;
        }
        List<String> problems = McpConfigFile.validate(config);
        for (String problem : problems) {
            List<Object> where = new ArrayList<>(loc);
            where.add(problem.substring(0, problem.indexOf(' ') < 0 ? problem.length() : problem.indexOf(' ')));
            errors.add(error(where, problem, "value_error"));
        }
        return problems.isEmpty() ? config : null;
    }

    static Map<String, Object> error(List<Object> loc, String msg, String type) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("loc", List.copyOf(loc));
        out.put("msg", msg);
        out.put("type", type);
        return out;
    }

    static void failIfAny(List<Map<String, Object>> errors) {
        if (!errors.isEmpty()) {
            throw new ApiException(422, List.copyOf(errors));
        }
    }

    /** Duplicate ids → 409 (§6.1). */
    static void requireUniqueIds(List<McpServerConfig> servers) {
        Set<String> seen = new HashSet<>();
        for (McpServerConfig s : servers) {
            if (!seen.add(s.id())) {
                throw ApiException.conflict("Duplicate MCP server id: " + s.id());
            }
        }
    }

    /**
     * §6.3: unless allowed, the new list may not add a non-builtin server nor change a launch field of a server
     * that keeps its id. Enablement, tool settings, order, removals and new built-ins are always fine.
     */
    static void requireAllowed(boolean allowRemote, List<McpServerConfig> current, List<McpServerConfig> next) {
        if (allowRemote) {
            return;
        }
        Map<String, McpServerConfig> byId = new HashMap<>();
        current.forEach(c -> byId.put(c.id(), c));
        for (McpServerConfig server : next) {
            McpServerConfig old = byId.get(server.id());
            boolean forbidden = old == null ? !"builtin".equals(server.transport()) : !McpConfigDiff.sameLaunch(old, server);
            if (forbidden) {
                throw new ApiException(403, FORBIDDEN);
            }
        }
    }
}
