package dev.orchat.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.db.Timestamps;
import dev.orchat.mcp.config.McpServerConfig;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The {@code {"servers": [ServerStatus], …}} answer of every MCP route (docs/api.md §2.10); secrets show as {@code ***}. */
final class McpStatusView {
    static final String REDACTED = "***";
    static final List<String> OPTIONAL_KEYS = List.of("builtin", "command", "cwd", "url", "tool_prefix", "call_timeout_s",
            "default_policy");
    private final ObjectMapper mapper;

    McpStatusView(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ObjectNode render(McpSupervisor supervisor) {
        Map<String, ToolNaming.Named> decisions = new HashMap<>();
        for (ToolNaming.Named n : supervisor.registry().decisions()) {
            decisions.put(n.candidate().serverId() + "\u0000" + n.candidate().originalName(), n);
        }
        ObjectNode root = mapper.createObjectNode();
        ArrayNode servers = root.putArray("servers");
        for (McpRuntime rt : supervisor.runtimes()) {
            servers.add(server(rt, decisions));
        }
        root.put("updated_at", supervisor.updatedAt());
        root.put("allow_remote_configuration", supervisor.allowRemoteConfiguration());
        return root;
    }

    private ObjectNode server(McpRuntime rt, Map<String, ToolNaming.Named> decisions) {
        McpServerConfig c = rt.config();
        ObjectNode s = mapper.valueToTree(c);
        // The file leaves unset fields out; the API always shows every documented key, null when unset (docs/api.md §2.10).
        for (String key : OPTIONAL_KEYS) {
            if (!s.has(key)) {
                s.putNull(key);
            }
        }
        s.set("env", redact(c.env()));
        s.set("headers", redact(c.headers()));
        s.put("enabled", c.enabled());
        s.put("state", rt.state());
        s.put("connected", rt.isConnected());
        s.put("last_error", rt.lastError());
        s.put("started_at", Timestamps.format(rt.startedAt()));
        s.put("restarts", rt.restarts());
        ArrayNode tools = mapper.createArrayNode();
        int exposed = 0;
        List<ToolServer.ToolSpec> listed = rt.server() == null ? List.of() : rt.server().tools();
        Map<String, String> withheld = new HashMap<>();
        if (rt.server() instanceof AuthGatedServer gated && rt.isConnected()) {
            listed = new java.util.ArrayList<>(listed);
            for (AuthGatedServer.Withheld w : gated.withheld()) {
                listed.add(w.spec());
                withheld.put(w.spec().name(), w.reason());
            }
        }
        for (ToolServer.ToolSpec spec : listed.stream().sorted(Comparator.comparing(ToolServer.ToolSpec::name)).toList()) {
            ObjectNode t = tools.addObject();
            if (withheld.containsKey(spec.name())) {
                String prefix = c.toolPrefix() == null ? c.id() : c.toolPrefix();
                t.put("name", spec.name());
                t.put("qualified_name", ToolNaming.legal(prefix + "__" + spec.name()));
                t.put("enabled", false);
                t.put("description", spec.description());
                t.put("reason", withheld.get(spec.name()));
                policy(t, c, spec);
                continue;
            }
            t.put("name", spec.name());
            ToolNaming.Named decision = decisions.get(c.id() + "\u0000" + spec.name());
            String prefix = c.toolPrefix() == null ? c.id() : c.toolPrefix();
            t.put("qualified_name", decision != null ? decision.exposedName() : ToolNaming.legal(prefix + "__" + spec.name()));
            boolean enabled = decision != null && decision.exposed() && rt.isConnected();
            t.put("enabled", enabled);
            t.put("description", spec.description());
            if (c.disabledTools().contains(spec.name())) {
                t.put("reason", "disabled");
            } else if (decision != null && !decision.exposed()) {
                t.put("reason", decision.skippedReason());
            }
            policy(t, c, spec);
            if (enabled) {
                exposed++;
            }
        }
        s.put("tool_count", exposed);
        s.set("tools", tools);
        return s;
    }

    /** The tool's effective approval policy and where it came from (docs/api.md §2.10). */
    private static void policy(ObjectNode tool, McpServerConfig server, ToolServer.ToolSpec spec) {
        ToolPolicy.Effective effective = ToolPolicy.of(server, spec);
        tool.put("policy", effective.policy().wire());
        tool.put("policy_source", effective.source().wire());
    }

    private ObjectNode redact(Map<String, String> values) {
        ObjectNode out = mapper.createObjectNode();
        values.keySet().forEach(k -> out.put(k, REDACTED));
        return out;
    }
}
