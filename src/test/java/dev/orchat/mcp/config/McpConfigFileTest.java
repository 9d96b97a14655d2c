package dev.orchat.mcp.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.testing.TestApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/configuration.md §4: seeding, legacy conversion, invalid files, atomic writes. */
class McpConfigFileTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static McpConfigFile file(Path path) {
        return new McpConfigFile(path, JSON, Clock.systemUTC());
    }

    @Test
    void aMissingFileIsSeededWithTheSixBuiltins() throws Exception {
        Path path = TestApp.tempDir().resolve("mcp_servers.json");
        McpConfigFile.Loaded loaded = file(path).load();
        assertThat(loaded.valid()).isTrue();
        assertThat(loaded.servers()).extracting(McpServerConfig::id)
                .containsExactly("local-calculator", "housekeeping", "custom-pdf", "custom-gmail", "custom-gdrive", "custom-calendar");
        assertThat(loaded.servers()).allMatch(s -> s.enabled() && s.transport().equals("builtin"));
        assertThat(JSON.readTree(path.toFile()).get("servers")).hasSize(6);
        // A built-in the operator removes stays removed: no merging of defaults on later loads.
        Files.writeString(path, "{\"servers\":[{\"id\":\"housekeeping\",\"transport\":\"builtin\",\"builtin\":\"housekeeping\"}]}");
        assertThat(file(path).load().servers()).extracting(McpServerConfig::id).containsExactly("housekeeping");
    }

    @Test
    void legacyEntriesAreConvertedAndTheOriginalIsKeptOnTheFirstRewrite() throws Exception {
        Path path = TestApp.tempDir().resolve("mcp_servers.json");
        String legacy = "[{\"id\":\"calc\",\"module\":\"backend.mcp_servers.calculator_server\"},"
                + "{\"id\":\"old\",\"module\":\"backend.mcp_servers.weather_server\"},"
                + "{\"id\":\"fs\",\"command\":\"npx -y '@scope/server fs' /tmp\",\"env\":{\"TOKEN\":\"${FS_TOKEN}\"}}]";
        Files.writeString(path, legacy);
        McpConfigFile config = file(path);
        McpConfigFile.Loaded loaded = config.load();
        assertThat(loaded.valid()).isTrue();
        assertThat(loaded.servers()).extracting(McpServerConfig::id).containsExactly("calc", "fs");
        assertThat(loaded.servers().get(0).transport()).isEqualTo("builtin");
        assertThat(loaded.servers().get(0).builtin()).isEqualTo("calculator");
        assertThat(loaded.servers().get(1).transport()).isEqualTo("stdio");
        assertThat(loaded.servers().get(1).command()).containsExactly("npx", "-y", "@scope/server fs", "/tmp");
        assertThat(loaded.servers().get(1).env()).containsEntry("TOKEN", "${FS_TOKEN}");
        config.write(loaded.servers());
        assertThat(Files.readString(path.resolveSibling("mcp_servers.json.bak"))).isEqualTo(legacy);
        assertThat(file(path).load().servers()).isEqualTo(loaded.servers());
    }

    @Test
    void anInvalidFileGivesNoServersAndIsLeftAlone() throws Exception {
        Path path = TestApp.tempDir().resolve("mcp_servers.json");
        Files.writeString(path, "{\"servers\":[{\"id\":\"bad id!\",\"transport\":\"builtin\",\"builtin\":\"calculator\"}]}");
        McpConfigFile config = file(path);
        McpConfigFile.Loaded loaded = config.load();
        assertThat(loaded.valid()).isFalse();
        assertThat(loaded.servers()).isEmpty();
        assertThat(config.isWritable()).isFalse();
        assertThat(Files.readString(path)).contains("bad id!");
        Files.writeString(path, "{nope");
        assertThat(file(path).load().valid()).isFalse();
        Files.writeString(path, "{\"servers\":[{\"id\":\"a\",\"transport\":\"builtin\",\"builtin\":\"calculator\"},"
                + "{\"id\":\"a\",\"transport\":\"builtin\",\"builtin\":\"housekeeping\"}]}");
        assertThat(file(path).load().valid()).as("duplicate ids").isFalse();
    }

    @Test
    void validationFollowsTheFieldRules() {
        assertThat(McpConfigFile.validate(McpServerConfig.builtin("ok", "calculator"))).isEmpty();
        assertThat(McpConfigFile.validate(McpServerConfig.builtin("ok", "nope"))).anyMatch(e -> e.startsWith("builtin"));
        McpServerConfig http = new McpServerConfig("h", true, "streamable_http", null, null, null, null, null, "ftp://x",
                null, "bad prefix", null, 601, null, null);
        assertThat(McpConfigFile.validate(http)).hasSize(3);
        McpServerConfig stdio = new McpServerConfig("s", true, "stdio", null, List.of(), null, null, null, null, null, null, null, null, null, null);
        assertThat(McpConfigFile.validate(stdio)).containsExactly("command is required for stdio");
    }

    @Test
    void commandStringsSplitLikeAShellWithoutRunningOne() {
        assertThat(CommandLine.split("node 'my server.js' --flag=\"a b\" x\\ y")).containsExactly("node", "my server.js", "--flag=a b", "x y");
        assertThat(CommandLine.split("  ")).isEmpty();
        assertThat(CommandLine.split("echo $(rm -rf /)")).containsExactly("echo", "$(rm", "-rf", "/)");
    }
}
