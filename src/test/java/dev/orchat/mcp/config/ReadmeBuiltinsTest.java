package dev.orchat.mcp.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.testing.TestApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's table of built-in MCP servers lists exactly what a missing {@code mcp_servers.json} is seeded with
 * (issue 18), and neither the README nor docs/configuration.md still calls a built-in "not available".
 */
class ReadmeBuiltinsTest {
    private static final Pattern ROW = Pattern.compile("^\\| `([A-Za-z0-9_-]+)` \\| `([a-z]+)` \\|");

    @Test
    void theReadmeListsTheSeededBuiltins() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int table = readme.indexOf("<!-- built-ins:");
        assertThat(table).as("README marks its table of built-ins").isPositive();
        List<String> listed = new ArrayList<>();
        for (String line : readme.substring(table).lines().skip(1).takeWhile(l -> l.startsWith("|")).toList()) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                listed.add(m.group(1) + "=" + m.group(2));
            }
        }
        Path path = TestApp.tempDir().resolve("mcp_servers.json");
        List<String> seeded = new McpConfigFile(path, new ObjectMapper(), Clock.systemUTC()).load().servers().stream()
                .map(s -> s.id() + "=" + s.builtin()).toList();
        assertThat(listed).isEqualTo(seeded);
    }

    @Test
    void noDocumentCallsABuiltinMissing() throws Exception {
        for (String doc : List.of("README.md", "docs/configuration.md")) {
            assertThat(Files.readString(Path.of(doc))).as(doc).doesNotContain("not available in this version");
        }
    }
}
