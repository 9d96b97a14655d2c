package dev.orchat.mcp;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** MCP status and partial updates (docs/architecture.md §10) over the seeded configuration plus one stdio entry. */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class McpRoutesTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final com.sun.net.httpserver.HttpServer LOCKED = lockedServer();
    static final Path DIR = prepare();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, DIR);
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static Path prepare() {
        Path dir = TestApp.tempDir();
        try {
            Files.writeString(dir.resolve("mcp_servers.json"), "{\"servers\":["
                    + "{\"id\":\"local-calculator\",\"transport\":\"builtin\",\"builtin\":\"calculator\"},"
                    + "{\"id\":\"housekeeping\",\"transport\":\"builtin\",\"builtin\":\"housekeeping\"},"
                    + "{\"id\":\"custom-gmail\",\"transport\":\"builtin\",\"builtin\":\"gmail\"},"
                    + "{\"id\":\"broken\",\"transport\":\"stdio\",\"command\":[\"/nonexistent/mcp-server\"],"
                    + "\"env\":{\"API_TOKEN\":\"s3cret-value\"}},"
                    + "{\"id\":\"locked\",\"transport\":\"streamable_http\",\"url\":\"http://127.0.0.1:"
                    + LOCKED.getAddress().getPort() + "/mcp\"}]}");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dir;
    }

    /** An MCP endpoint that refuses every request with 401, like a server whose token was revoked. */
    static com.sun.net.httpserver.HttpServer lockedServer() {
        try {
            var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                byte[] body = "{\"error\":\"unauthorized\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(401, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopFake() {
        FAKE.close();
        LOCKED.stop(0);
    }

    @Test
    void anHttpServerRefusingCredentialsNeedsAuthAndTheRefreshTaskReports() throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        JsonNode locked = server(JSON.readTree(send("GET", "/api/mcp/servers", null).body()), "locked");
        while (!"needs_auth".equals(locked.get("state").asText()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            locked = server(JSON.readTree(send("GET", "/api/mcp/servers", null).body()), "locked");
        }
        assertThat(locked.get("state").asText()).as(locked.toString()).isEqualTo("needs_auth");
        assertThat(locked.get("restarts").asInt()).as("no automatic retries in needs_auth").isZero();
        HttpResponse<String> task = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getAdminPort()
                + "/tasks/mcp-refresh")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(task.statusCode()).isEqualTo(200);
        assertThat(task.body()).contains("local-calculator state=connected tools=1").contains("custom-gmail state=needs_auth");
    }

    static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode server(JsonNode status, String id) {
        for (JsonNode s : status.get("servers")) {
            if (s.get("id").asText().equals(id)) {
                return s;
            }
        }
        throw new AssertionError("no server " + id + " in " + status);
    }

    @Test
    void statusShowsStatesToolsAndNeverASecret() throws Exception {
        HttpResponse<String> response = send("GET", "/api/mcp/servers", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).doesNotContain("s3cret-value");
        JsonNode status = JSON.readTree(response.body());
        assertThat(status.get("allow_remote_configuration").asBoolean()).isFalse();
        JsonNode calc = server(status, "local-calculator");
        assertThat(calc.get("state").asText()).isEqualTo("connected");
        assertThat(calc.get("connected").asBoolean()).isTrue();
        assertThat(calc.get("tool_count").asInt()).isEqualTo(1);
        assertThat(calc.get("tools").get(0).get("qualified_name").asText()).isEqualTo("calculator_evaluate");
        assertThat(server(status, "housekeeping").get("tools")).hasSize(5);
        // Without an OAuth client and key the Google built-ins wait for credentials with no tools (docs/operations.md, "MCP servers", §11.1).
        assertThat(server(status, "custom-gmail").get("state").asText()).isEqualTo("needs_auth");
        assertThat(server(status, "custom-gmail").get("last_error").asText()).startsWith("Google integration is not configured");
        assertThat(server(status, "custom-gmail").get("tools")).isEmpty();
        JsonNode broken = server(status, "broken");
        assertThat(broken.get("env").get("API_TOKEN").asText()).isEqualTo("***");
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!"failed".equals(broken.get("state").asText()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            broken = server(JSON.readTree(send("GET", "/api/mcp/servers/", null).body()), "broken");
        }
        assertThat(broken.get("state").asText()).isEqualTo("failed");
        assertThat(broken.get("last_error").isNull()).isFalse();
    }

    @Test
    void enablementAndDisabledToolsAlwaysChangeLaunchFieldsOnlyWhenAllowed() throws Exception {
        // Start from the servers' first state, so that Surefire's re-run after a dropped connection is a fair retry.
        send("PATCH", "/api/mcp/servers/housekeeping", "{\"disabled_tools\":[]}");
        send("PATCH", "/api/mcp/servers/local-calculator", "{\"enabled\":true}");
        HttpResponse<String> disabled = send("PATCH", "/api/mcp/servers/housekeeping", "{\"disabled_tools\":[\"chat_history\"]}");
        assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
        JsonNode hk = server(JSON.readTree(disabled.body()), "housekeeping");
        assertThat(hk.get("tool_count").asInt()).isEqualTo(4);
        assertThat(hk.get("tools")).anySatisfy(t -> {
            assertThat(t.get("name").asText()).isEqualTo("chat_history");
            assertThat(t.get("enabled").asBoolean()).isFalse();
            assertThat(t.get("reason").asText()).isEqualTo("disabled");
        });
        assertThat(JSON.readTree(Files.readString(DIR.resolve("mcp_servers.json"))).toString()).contains("chat_history");

        HttpResponse<String> off = send("PATCH", "/api/mcp/servers/local-calculator", "{\"enabled\":false}");
        assertThat(server(JSON.readTree(off.body()), "local-calculator").get("state").asText()).isEqualTo("disabled");
        send("PATCH", "/api/mcp/servers/local-calculator", "{\"enabled\":true}");

        HttpResponse<String> launch = send("PATCH", "/api/mcp/servers/broken", "{\"command\":[\"/bin/sh\"]}");
        assertThat(launch.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(launch.body()).get("detail").asText())
                .isEqualTo("Remote MCP configuration is disabled (mcp.allowRemoteConfiguration)");
        HttpResponse<String> roundTrip = send("PATCH", "/api/mcp/servers/broken", "{\"env\":{\"API_TOKEN\":\"***\"},\"tool_prefix\":\"b\"}");
        assertThat(roundTrip.statusCode()).as("*** means unchanged, so this is no launch change").isEqualTo(200);
        assertThat(Files.readString(DIR.resolve("mcp_servers.json"))).contains("s3cret-value");
        assertThat(send("PATCH", "/api/mcp/servers/broken", "{\"surprise\":1}").statusCode()).isEqualTo(422);
        assertThat(send("PATCH", "/api/mcp/servers/broken", "{\"tool_prefix\":\"bad prefix!\"}").statusCode()).isEqualTo(422);
        assertThat(send("PATCH", "/api/mcp/servers/nobody", "{\"enabled\":false}").statusCode()).isEqualTo(404);
        assertThat(send("POST", "/api/mcp/servers/refresh", "{}").statusCode()).isEqualTo(200);
        HttpResponse<String> restored = send("PATCH", "/api/mcp/servers/housekeeping", "{\"disabled_tools\":[]}");
        assertThat(server(JSON.readTree(restored.body()), "housekeeping").get("tool_count").asInt()).isEqualTo(5);
    }
}
