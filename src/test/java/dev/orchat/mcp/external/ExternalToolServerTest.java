package dev.orchat.mcp.external;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.mcp.ToolRegistry.ToolContext;
import dev.orchat.mcp.ToolRegistry.ToolResult;
import dev.orchat.mcp.ToolServer.ToolSpec;
import dev.orchat.testing.McpTestServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Against the real npm MCP servers and our scripted child, over real stdio and streamable HTTP. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ExternalToolServerTest {
    static final List<String> INHERIT = List.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR",
            "TEMP", "TMP", "SYSTEMROOT", "COMSPEC", "PATHEXT", "APPDATA", "LOCALAPPDATA");
    // Generous for a loaded 2-core box: node start-up plus the handshake.
    static final Duration STARTUP = Duration.ofSeconds(60);
    static final ToolContext CTX = new ToolContext("s1", "t1", ZoneId.of("UTC"));

    final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path tmp;

    ExternalToolServer stdio(String id, List<String> args, Map<String, String> env, Path cwd, Duration timeout) {
        ExternalServerSpec spec = ExternalServerSpec.stdio(id, List.of(McpTestServers.node()), args, env, cwd, timeout);
        return new ExternalToolServer(spec, INHERIT, mapper);
    }

    ExternalToolServer envServer(Map<String, String> env, Path cwd, Duration timeout) {
        return stdio("env", List.of(McpTestServers.envServer().toString()), env, cwd, timeout);
    }

    ObjectNode args(String json) throws IOException {
        return (ObjectNode) mapper.readTree(json);
    }

    @Test
    void everythingOverStdioListsAndCallsTools() throws Exception {
        try (ExternalToolServer server = stdio("everything", List.of(McpTestServers.everything().toString()), Map.of(),
                null, Duration.ofSeconds(30))) {
            assertThat(server.state()).isEqualTo("connecting");
            server.connect(STARTUP);
            assertThat(server.state()).isEqualTo("connected");
            assertThat(server.isConnected()).isTrue();
            assertThat(server.tools()).extracting(ToolSpec::name).contains("echo", "get-sum");
            ToolSpec echo = server.tools().stream().filter(t -> t.name().equals("echo")).findFirst().orElseThrow();
            assertThat(echo.description()).isNotBlank();
            assertThat(echo.inputSchema().path("properties").has("message")).isTrue();

            assertThat(server.call("echo", args("{\"message\":\"hello\"}"), CTX))
                    .isEqualTo(new ToolResult("Echo: hello", false));
            assertThat(server.call("get-sum", args("{\"a\":2,\"b\":3}"), CTX))
                    .isEqualTo(new ToolResult("The sum of 2 and 3 is 5.", false));
            assertThat(server.ping(Duration.ofSeconds(10))).isTrue();

            Process child = server.stdioProcess().orElseThrow();
            server.close();
            assertThat(child.isAlive()).isFalse();
            assertThat(server.isConnected()).isFalse();
            assertThat(server.call("echo", args("{\"message\":\"x\"}"), CTX))
                    .isEqualTo(new ToolResult("Tool error: server everything was stopped", true));
        }
    }

    @Test
    void filesystemOverStdioListsAFileInTheAllowedDirectory() throws Exception {
        Path dir = tmp.toRealPath();
        Files.writeString(dir.resolve("notes.txt"), "hi");
        try (ExternalToolServer server = stdio("fs", List.of(McpTestServers.filesystem().toString(), dir.toString()),
                Map.of(), null, Duration.ofSeconds(30))) {
            server.connect(STARTUP);
            assertThat(server.tools()).extracting(ToolSpec::name).contains("list_directory");
            ToolResult listing = server.call("list_directory", args("{\"path\":\"" + dir + "\"}"), CTX);
            assertThat(listing.isError()).isFalse();
            assertThat(listing.text()).contains("[FILE] notes.txt");
        }
    }

    @Test
    void everythingOverStreamableHttp() throws Exception {
        try (McpTestServers.HttpServer http = McpTestServers.startEverythingHttp();
                ExternalToolServer server = new ExternalToolServer(ExternalServerSpec.http("everything-http",
                        http.mcpUrl(), Map.of("X-Test", "1"), Duration.ofSeconds(30)), INHERIT, mapper)) {
            server.connect(STARTUP);
            assertThat(server.tools()).extracting(ToolSpec::name).contains("echo", "get-sum");
            assertThat(server.call("echo", args("{\"message\":\"over http\"}"), CTX))
                    .isEqualTo(new ToolResult("Echo: over http", false));
            assertThat(server.call("get-sum", args("{\"a\":40,\"b\":2}"), CTX).text())
                    .isEqualTo("The sum of 40 and 2 is 42.");
        }
    }

    @Test
    void childSeesOnlyAllowListedVariablesPlusItsOwnAndRunsInCwd() throws Exception {
        Map<String, String> own = Map.of("ORCHAT_TEST_OWN", "own-value", "PATH_EXTRA", "x");
        try (ExternalToolServer server = envServer(own, tmp, Duration.ofSeconds(30))) {
            server.connect(STARTUP);
            Map<String, String> seen = mapper.readValue(server.call("print_env", args("{}"), CTX).text(),
                    new TypeReference<>() { });

            Map<String, String> expected = AllowListedStdioTransport.childEnvironment(INHERIT, System.getenv(), own);
            assertThat(seen).isEqualTo(expected);
            assertThat(seen).containsEntry("ORCHAT_TEST_OWN", "own-value");
            Set<String> notAllowed = new HashSet<>(System.getenv().keySet());
            notAllowed.removeAll(INHERIT);
            notAllowed.removeAll(own.keySet());
            assertThat(notAllowed).as("the test JVM must have some variable outside the allow-list").isNotEmpty();
            assertThat(seen.keySet()).doesNotContainAnyElementsOf(notAllowed);
            // The SDK's own defaults (SHELL, TERM, LOGNAME) would otherwise be added on top.
            assertThat(seen).doesNotContainKeys("SHELL", "TERM", "LOGNAME", "JAVA_HOME", "MAVEN_OPTS");

            assertThat(server.call("print_cwd", args("{}"), CTX).text()).isEqualTo(tmp.toRealPath().toString());
        }
    }

    @Test
    void aToolThatNeverAnswersTimesOutAndIsCancelled() throws Exception {
        try (ExternalToolServer server = envServer(Map.of(), null, Duration.ofSeconds(1))) {
            server.connect(STARTUP);
            assertThat(server.call("hang", args("{}"), CTX))
                    .isEqualTo(new ToolResult("Tool hang timed out after 1 s.", true));
            // The cancellation is sent asynchronously; poll the server's record of it.
            String cancelled = "[]";
            for (int i = 0; i < 50 && cancelled.equals("[]"); i++) {
                cancelled = server.call("cancelled", args("{}"), CTX).text();
                Thread.sleep(100);
            }
            assertThat(cancelled).isNotEqualTo("[]");
            assertThat(server.isConnected()).isTrue();
        }
    }

    @Test
    void aCallOnAKilledChildIsAnErrorResultNotAHang() throws Exception {
        try (ExternalToolServer server = envServer(Map.of(), null, Duration.ofSeconds(60))) {
            server.connect(STARTUP);
            Process child = server.stdioProcess().orElseThrow();
            child.destroyForcibly().waitFor();
            long started = System.nanoTime();
            ToolResult result = null;
            // The exit is noticed asynchronously; either way the answer is an error, well before the 60 s timeout.
            for (int i = 0; i < 100 && (result == null || !server.state().equals("failed")); i++) {
                result = server.call("print_cwd", args("{}"), CTX);
                Thread.sleep(50);
            }
            assertThat(result.isError()).isTrue();
            assertThat(result.text()).startsWith("Tool error: ");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
            assertThat(server.state()).isEqualTo("failed");
            assertThat(server.lastError()).contains("exited").contains("env-server started");
        }
    }

    @Test
    void aCommandThatCannotStartFailsTheConnect() throws Exception {
        ExternalServerSpec spec = ExternalServerSpec.stdio("missing", List.of("/nonexistent/mcp-server"), List.of(),
                Map.of(), null, Duration.ofSeconds(5));
        try (ExternalToolServer server = new ExternalToolServer(spec, INHERIT, mapper)) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> server.connect(Duration.ofSeconds(60))).isInstanceOf(IOException.class);
            // Fails on the spawn error itself, not by waiting out the startup timeout.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
            assertThat(server.state()).isEqualTo("failed");
            assertThat(server.lastError()).contains("No such file");
            assertThat(server.call("x", null, CTX).isError()).isTrue();
        }
    }

    @Test
    void aChildThatExitsDuringTheHandshakeFailsTheConnectAtOnce() throws Exception {
        try (ExternalToolServer server = stdio("crash", List.of("-e", "process.exit(3)"), Map.of(), null,
                Duration.ofSeconds(5))) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> server.connect(Duration.ofSeconds(60))).isInstanceOf(IOException.class)
                    .hasMessageContaining("exited with code 3");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
            assertThat(server.state()).isEqualTo("failed");
        }
    }
}
