package dev.orchat.mcp.external;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.mcp.ToolRegistry.ToolResult;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolResultsTest {
    final ObjectMapper mapper = new ObjectMapper();
    final JacksonMcpJsonMapper json = new JacksonMcpJsonMapper(mapper);

    @Test
    void textItemsAreJoinedAndOtherItemsAreTheirJson() throws Exception {
        McpSchema.CallToolResult result = new McpSchema.CallToolResult(List.of(new McpSchema.TextContent("one"),
                new McpSchema.ImageContent(null, "AAAA", "image/png"), new McpSchema.TextContent("two")), false,
                null, null);
        ToolResult formatted = ToolResults.format(result, json);
        String[] lines = formatted.text().split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).isEqualTo("one");
        assertThat(mapper.readTree(lines[1]).path("type").asText()).isEqualTo("image");
        assertThat(mapper.readTree(lines[1]).path("data").asText()).isEqualTo("AAAA");
        assertThat(lines[2]).isEqualTo("two");
        assertThat(formatted.isError()).isFalse();
    }

    @Test
    void structuredContentIsUsedWhenThereIsNoContentAndIsErrorIsKept() throws Exception {
        McpSchema.CallToolResult result = new McpSchema.CallToolResult(List.of(), true, Map.of("n", 1), null);
        ToolResult formatted = ToolResults.format(result, json);
        assertThat(mapper.readTree(formatted.text())).isEqualTo(mapper.readTree("{\"n\":1}"));
        assertThat(formatted.isError()).isTrue();
    }
}
