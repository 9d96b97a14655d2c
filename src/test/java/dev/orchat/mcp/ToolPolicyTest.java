package dev.orchat.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchat.mcp.config.McpConfigFile;
import dev.orchat.mcp.config.McpServerConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The effective approval policy of a tool (docs/api.md §3.7): the file wins, then the built-in's nature or the hint. */
class ToolPolicyTest {
    static final ToolServer.ToolSpec READS = new ToolServer.ToolSpec("read", null, null, true);
    static final ToolServer.ToolSpec WRITES = new ToolServer.ToolSpec("write", null, null, false);
    static final ToolServer.ToolSpec UNKNOWN = new ToolServer.ToolSpec("other", null, null);

    static McpServerConfig stdio(String defaultPolicy, Map<String, String> policies) {
        return new McpServerConfig("s", true, "stdio", null, List.of("node"), null, null, null, null, null, null, null,
                null, defaultPolicy, policies);
    }

    @Test
    void externalToolsRunOnlyWhenMarkedReadOnly() {
        assertThat(ToolPolicy.of(stdio(null, null), READS)).isEqualTo(new ToolPolicy.Effective(ToolPolicy.ALLOW,
                ToolPolicy.Source.ANNOTATION));
        assertThat(ToolPolicy.of(stdio(null, null), WRITES).policy()).isEqualTo(ToolPolicy.ASK);
        assertThat(ToolPolicy.of(stdio(null, null), UNKNOWN).policy()).isEqualTo(ToolPolicy.ASK);
    }

    @Test
    void builtInsAskOnlyForTheirWrites() {
        McpServerConfig gmail = McpServerConfig.builtin("custom-gmail", "gmail");
        assertThat(ToolPolicy.of(gmail, WRITES)).isEqualTo(new ToolPolicy.Effective(ToolPolicy.ASK, ToolPolicy.Source.BUILTIN));
        assertThat(ToolPolicy.of(gmail, READS).policy()).isEqualTo(ToolPolicy.ALLOW);
        assertThat(ToolPolicy.of(gmail, UNKNOWN).policy()).isEqualTo(ToolPolicy.ALLOW);
    }

    @Test
    void theFileWinsToolFirstThenTheServerDefault() {
        McpServerConfig config = stdio("deny", Map.of("read", "ask"));
        assertThat(ToolPolicy.of(config, READS)).isEqualTo(new ToolPolicy.Effective(ToolPolicy.ASK,
                ToolPolicy.Source.TOOL_POLICIES));
        assertThat(ToolPolicy.of(config, WRITES)).isEqualTo(new ToolPolicy.Effective(ToolPolicy.DENY,
                ToolPolicy.Source.DEFAULT_POLICY));
        assertThat(ToolPolicy.of(stdio("allow", null), WRITES).policy()).isEqualTo(ToolPolicy.ALLOW);
    }

    @Test
    void unknownPolicyValuesAreFieldErrors() {
        assertThat(McpConfigFile.validate(stdio("sometimes", Map.of("x", "never"))))
                .anyMatch(e -> e.startsWith("default_policy")).anyMatch(e -> e.startsWith("tool_policies"));
        assertThat(McpConfigFile.validate(stdio("ask", Map.of("x", "deny")))).isEmpty();
    }
}
