package dev.orchat.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerToolRegistryTest {
    static final ObjectMapper JSON = new ObjectMapper();

    record FixedServer(String id, List<ToolSpec> tools, String answer) implements ToolServer {
        @Override
        public ToolRegistry.ToolResult call(String tool, ObjectNode arguments, ToolRegistry.ToolContext context) {
            if (tool.equals("boom")) {
                throw new IllegalStateException("exploded");
            }
            return new ToolRegistry.ToolResult(id + ":" + tool + ":" + arguments + ":" + context.sessionId(), false);
        }
    }

    static ToolServer.ToolSpec spec(String name, String description) {
        ObjectNode schema = JSON.createObjectNode().put("type", "object");
        return new ToolServer.ToolSpec(name, description, name.equals("bare") ? null : schema);
    }

    @Test
    void exposesOpenAiDefinitionsAndRoutesByExposedName() throws Exception {
        MetricRegistry metrics = new MetricRegistry();
        ServerToolRegistry registry = new ServerToolRegistry(List.of(
                new FixedServer("one", List.of(spec("search", "Find things"), spec("bare", null), spec("boom", "[one] Fails")), "1"),
                new FixedServer("two", List.of(spec("search", "Other search")), "2")), JSON, metrics);
        List<ObjectNode> defs = registry.toolDefinitions();
        assertThat(defs).extracting(d -> d.get("function").get("name").asText()).containsExactly("one__search", "bare", "boom", "two__search");
        assertThat(defs.get(0).get("type").asText()).isEqualTo("function");
        assertThat(defs.get(0).get("function").get("description").asText()).isEqualTo("[one] Find things");
        assertThat(defs.get(2).get("function").get("description").asText()).isEqualTo("[one] Fails");
        assertThat(defs.get(1).get("function").get("parameters").toString()).isEqualTo("{\"type\":\"object\",\"properties\":{}}");

        ToolRegistry.ToolContext ctx = new ToolRegistry.ToolContext("sess", "turn", ZoneId.of("UTC"));
        assertThat(registry.call("two__search", JSON.readTree("{\"q\":1}"), ctx).text()).isEqualTo("two:search:{\"q\":1}:sess");
        assertThat(registry.call("nope", JSON.createObjectNode(), ctx)).isEqualTo(new ToolRegistry.ToolResult("Unknown tool: nope", true));
        ToolRegistry.ToolResult failed = registry.call("boom", JSON.createObjectNode(), ctx);
        assertThat(failed.isError()).isTrue();
        assertThat(failed.text()).isEqualTo("Tool error: exploded");
        assertThat(metrics.timer("mcp.one.calls").getCount()).isEqualTo(1);
        assertThat(metrics.meter("mcp.one.errors").getCount()).isEqualTo(1);
        assertThat(metrics.getGauges().get("mcp.tools.exposed").getValue()).isEqualTo(4);
        defs.get(0).put("mutated", true);
        assertThat(registry.toolDefinitions().get(0).has("mutated")).isFalse();
    }

    @Test
    void rebuildAppliesPrefixesAndDisabledTools() {
        ServerToolRegistry registry = new ServerToolRegistry(List.of(), JSON, new MetricRegistry());
        assertThat(registry.toolDefinitions()).isEmpty();
        ToolServer one = new FixedServer("one", List.of(spec("search", "a"), spec("fetch", "b")), "1");
        ToolServer two = new FixedServer("two", List.of(spec("search", "c")), "2");
        registry.rebuild(List.of(new ServerToolRegistry.Member(one, "o", java.util.Set.of("fetch")),
                new ServerToolRegistry.Member(two, null, null)));
        assertThat(registry.toolDefinitions()).extracting(d -> d.get("function").get("name").asText())
                .containsExactly("o__search", "two__search"); // "search" is listed twice, so neither is bare
        assertThat(registry.decisions()).extracting(ToolNaming.Named::exposedName).containsExactly("o__search", "two__search");
    }
}
