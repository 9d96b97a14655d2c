package dev.orchat.mcp;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An {@code mcp-<id>} health check exists exactly for each enabled server, through add, disable, enable, remove and
 * refresh (docs/operations.md, "Health checks"); the server objects always carry every documented key
 * (docs/api.md §2.10).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class McpHealthCheckLifecycleTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final Path DIR = prepare();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, DIR);
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static Path prepare() {
        Path dir = TestApp.tempDir();
        try {
            Files.writeString(dir.resolve("mcp_servers.json"), "{\"servers\":["
                    + "{\"id\":\"local-calculator\",\"transport\":\"builtin\",\"builtin\":\"calculator\"},"
                    + "{\"id\":\"housekeeping\",\"enabled\":false,\"transport\":\"builtin\",\"builtin\":\"housekeeping\"}]}");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dir;
    }

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(200);
        return response;
    }

    static List<String> mcpChecks() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getAdminPort()
                + "/healthcheck")).build(), HttpResponse.BodyHandlers.ofString());
        List<String> names = new ArrayList<>();
        JSON.readTree(response.body()).fieldNames().forEachRemaining(n -> {
            if (n.startsWith("mcp-")) {
                names.add(n);
            }
        });
        return names;
    }

    static ArrayNode servers() throws Exception {
        return (ArrayNode) JSON.readTree(send("GET", "/api/mcp/servers", null).body()).get("servers");
    }

    static String withServer(ArrayNode servers, String json) throws Exception {
        ArrayNode copy = servers.deepCopy();
        copy.add(JSON.readTree(json));
        return JSON.createObjectNode().set("servers", copy).toString();
    }

    @Test
    void checksFollowAddDisableEnableRemoveAndRefresh() throws Exception {
        assertThat(mcpChecks()).as("only the enabled server at start").containsExactly("mcp-local-calculator");

        send("PUT", "/api/mcp/servers", withServer(servers(),
                "{\"id\":\"second-calculator\",\"transport\":\"builtin\",\"builtin\":\"calculator\"}"));
        assertThat(mcpChecks()).as("added").containsExactlyInAnyOrder("mcp-local-calculator", "mcp-second-calculator");

        send("PATCH", "/api/mcp/servers/second-calculator", "{\"enabled\":false}");
        assertThat(mcpChecks()).as("disabled").containsExactly("mcp-local-calculator");

        send("PATCH", "/api/mcp/servers/second-calculator", "{\"enabled\":true}");
        assertThat(mcpChecks()).as("enabled again").containsExactlyInAnyOrder("mcp-local-calculator", "mcp-second-calculator");

        send("PATCH", "/api/mcp/servers/housekeeping", "{\"enabled\":true}");
        assertThat(mcpChecks()).as("a server disabled at start, enabled").containsExactlyInAnyOrder(
                "mcp-local-calculator", "mcp-second-calculator", "mcp-housekeeping");

        ArrayNode without = JSON.createArrayNode();
        StreamSupport.stream(servers().spliterator(), false)
                .filter(s -> !s.get("id").asText().equals("second-calculator")).forEach(without::add);
        send("PUT", "/api/mcp/servers", JSON.createObjectNode().set("servers", without).toString());
        assertThat(mcpChecks()).as("removed").containsExactlyInAnyOrder("mcp-local-calculator", "mcp-housekeeping");

        send("POST", "/api/mcp/servers/refresh", "{}");
        assertThat(mcpChecks()).as("a refresh of the same configuration keeps them").containsExactlyInAnyOrder(
                "mcp-local-calculator", "mcp-housekeeping");

        // An operator edits the file by hand and runs the mcp-refresh task: one server disabled, one added.
        Files.writeString(DIR.resolve("mcp_servers.json"), "{\"servers\":["
                + "{\"id\":\"local-calculator\",\"enabled\":false,\"transport\":\"builtin\",\"builtin\":\"calculator\"},"
                + "{\"id\":\"housekeeping\",\"transport\":\"builtin\",\"builtin\":\"housekeeping\"},"
                + "{\"id\":\"third-calculator\",\"transport\":\"builtin\",\"builtin\":\"calculator\"}]}");
        HttpResponse<String> task = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getAdminPort()
                + "/tasks/mcp-refresh")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(task.statusCode()).isEqualTo(200);
        assertThat(mcpChecks()).as("after the mcp-refresh task").containsExactlyInAnyOrder("mcp-housekeeping", "mcp-third-calculator");

        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getAdminPort()
                + "/healthcheck")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
    }

    @Test
    void everyServerObjectCarriesEveryDocumentedKeyWithNullWhenUnset() throws Exception {
        for (JsonNode server : servers()) {
            assertThat(server.has("call_timeout_s")).as(server.toString()).isTrue();
            for (String key : List.of("id", "enabled", "transport", "builtin", "command", "args", "env", "cwd", "url",
                    "headers", "tool_prefix", "disabled_tools", "call_timeout_s", "state", "connected", "last_error",
                    "started_at", "restarts", "tool_count", "tools")) {
                assertThat(server.has(key)).as(key + " in " + server).isTrue();
            }
        }
        JsonNode housekeeping = StreamSupport.stream(servers().spliterator(), false)
                .filter(s -> s.get("id").asText().equals("housekeeping")).findFirst().orElseThrow();
        assertThat(housekeeping.get("call_timeout_s").isNull()).isTrue();
        assertThat(housekeeping.get("command").isNull()).isTrue();

        ObjectNode patched = (ObjectNode) StreamSupport.stream(JSON.readTree(send("PATCH", "/api/mcp/servers/housekeeping",
                "{\"call_timeout_s\":20}").body()).get("servers").spliterator(), false)
                .filter(s -> s.get("id").asText().equals("housekeeping")).findFirst().orElseThrow();
        assertThat(patched.get("call_timeout_s").asInt()).isEqualTo(20);
        send("PATCH", "/api/mcp/servers/housekeeping", "{\"call_timeout_s\":null}");
        // What GET returned, nulls included, can be sent back unchanged.
        send("PUT", "/api/mcp/servers", JSON.createObjectNode().set("servers", servers()).toString());
    }
}
