package dev.orchat.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.mcp.config.McpServerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Comparisons of server configurations: what an audit line may say, and whether a change needs a restart. */
final class McpConfigDiff {
    private McpConfigDiff() {
    }

    /** Which servers and which fields changed, never the values (docs/operations.md, "Logging": env and headers are secrets). */
    static String describe(ObjectMapper mapper, List<McpServerConfig> before, List<McpServerConfig> after) {
        Map<String, McpServerConfig> old = new LinkedHashMap<>();
        before.forEach(c -> old.put(c.id(), c));
        List<String> added = new ArrayList<>();
        Map<String, List<String>> changed = new LinkedHashMap<>();
        for (McpServerConfig c : after) {
            McpServerConfig previous = old.remove(c.id());
            if (previous == null) {
                added.add(c.id());
                continue;
            }
            var a = mapper.valueToTree(previous);
            var b = mapper.valueToTree(c);
            List<String> fields = new ArrayList<>();
            java.util.Set<String> names = new java.util.TreeSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                if (!Objects.equals(a.get(name), b.get(name))) {
                    fields.add(name);
                }
            }
            if (!fields.isEmpty()) {
                changed.put(c.id(), fields);
            }
        }
        return "added=" + added + " removed=" + old.keySet() + " changed=" + changed;
    }

    static boolean sameLaunch(McpServerConfig a, McpServerConfig b) {
        return Objects.equals(a.transport(), b.transport()) && Objects.equals(a.builtin(), b.builtin())
                && Objects.equals(a.command(), b.command()) && Objects.equals(a.args(), b.args())
                && Objects.equals(a.env(), b.env()) && Objects.equals(a.cwd(), b.cwd())
                && Objects.equals(a.url(), b.url()) && Objects.equals(a.headers(), b.headers());
    }
}
