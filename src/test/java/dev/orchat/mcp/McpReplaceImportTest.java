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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code PUT /api/mcp/servers} and {@code POST /api/mcp/servers/import} (docs/configuration.md §4, §6.3, §6.4), once with the
 * default policy and once with {@code mcp.allowRemoteConfiguration}. No real command is ever launched.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class McpReplaceImportTest {
    static final String FORBIDDEN = "Remote MCP configuration is disabled (mcp.allowRemoteConfiguration)";
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final Path LOCKED_DIR = prepare();
    static final Path OPEN_DIR = prepare();
    // Both apps set the key: an override of one app stays a system property while the other starts.
    static final DropwizardAppExtension<OrchatConfiguration> LOCKED = TestApp.create(FAKE, LOCKED_DIR,
            TestApp.set("mcp.allowRemoteConfiguration", "false"));
    static final DropwizardAppExtension<OrchatConfiguration> OPEN = TestApp.create(FAKE, OPEN_DIR,
            TestApp.set("mcp.allowRemoteConfiguration", "true"));
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static Path prepare() {
        Path dir = TestApp.tempDir();
        try {
            Files.writeString(dir.resolve("mcp_servers.json"), "{\"servers\":["
                    + "{\"id\":\"local-calculator\",\"transport\":\"builtin\",\"builtin\":\"calculator\"},"
                    + "{\"id\":\"housekeeping\",\"transport\":\"builtin\",\"builtin\":\"housekeeping\"},"
                    + "{\"id\":\"broken\",\"transport\":\"stdio\",\"command\":[\"/nonexistent/mcp-server\"],"
                    + "\"env\":{\"API_TOKEN\":\"s3cret-value\"}}]}");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dir;
    }

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    static HttpResponse<String> send(DropwizardAppExtension<OrchatConfiguration> app, String method, String path,
                                     String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + app.getLocalPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    static List<String> ids(JsonNode status) {
        List<String> ids = new ArrayList<>();
        status.get("servers").forEach(s -> ids.add(s.get("id").asText()));
        return ids;
    }

    static JsonNode server(JsonNode status, String id) {
        for (JsonNode s : status.get("servers")) {
            if (s.get("id").asText().equals(id)) {
                return s;
            }
        }
        throw new AssertionError("no server " + id + " in " + status);
    }

    static JsonNode file(Path dir) throws Exception {
        return JSON.readTree(Files.readString(dir.resolve("mcp_servers.json")));
    }

    static void assertForbidden(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(json(response).get("detail").asText()).isEqualTo(FORBIDDEN);
    }

    @Test
    @Order(1)
    void lockedPutAllowsRoundTripsReorderingAndToolSettingsButNoLaunchChanges() throws Exception {
        JsonNode status = json(send(LOCKED, "GET", "/api/mcp/servers", null));
        ArrayNode servers = JSON.createArrayNode();
        for (int i = status.get("servers").size() - 1; i >= 0; i--) {
            servers.add(status.get("servers").get(i).deepCopy());
        }
        ((ObjectNode) servers.get(0)).put("tool_prefix", "brk").put("enabled", false);
        ((ObjectNode) servers.get(1)).putArray("disabled_tools").add("chat_history");
        ObjectNode body = JSON.createObjectNode().set("servers", servers);
        HttpResponse<String> roundTrip = send(LOCKED, "PUT", "/api/mcp/servers", body.toString());
        assertThat(roundTrip.statusCode()).as(roundTrip.body()).isEqualTo(200);
        JsonNode after = json(roundTrip);
        assertThat(ids(after)).containsExactly("broken", "housekeeping", "local-calculator");
        assertThat(server(after, "broken").get("state").asText()).isEqualTo("disabled");
        assertThat(server(after, "broken").get("env").get("API_TOKEN").asText()).isEqualTo("***");
        assertThat(server(after, "housekeeping").get("tool_count").asInt()).isEqualTo(4);
        assertThat(roundTrip.body()).doesNotContain("s3cret-value");
        assertThat(Files.readString(LOCKED_DIR.resolve("mcp_servers.json"))).contains("s3cret-value").contains("brk");
        assertThat(file(LOCKED_DIR).get("servers").get(0).get("id").asText()).isEqualTo("broken");

        String hk = "{\"id\":\"housekeeping\",\"transport\":\"builtin\",\"builtin\":\"housekeeping\"}";
        String calc = "{\"id\":\"local-calculator\",\"transport\":\"builtin\",\"builtin\":\"calculator\"}";
        assertForbidden(send(LOCKED, "PUT", "/api/mcp/servers", "{\"servers\":[" + calc + ",{\"id\":\"broken\","
                + "\"transport\":\"stdio\",\"command\":[\"/nonexistent/other\"],\"env\":{\"API_TOKEN\":\"***\"}}]}"));
        assertForbidden(send(LOCKED, "PUT", "/api/mcp/servers", "{\"servers\":[" + calc + ",{\"id\":\"broken\","
                + "\"transport\":\"stdio\",\"command\":[\"/nonexistent/mcp-server\"],\"env\":{\"API_TOKEN\":\"new\"}}]}"));
        assertForbidden(send(LOCKED, "PUT", "/api/mcp/servers/", "{\"servers\":[" + calc + ",{\"id\":\"fresh\","
                + "\"transport\":\"streamable_http\",\"url\":\"http://127.0.0.1:9/mcp\"}]}"));
        assertForbidden(send(LOCKED, "PUT", "/api/mcp/servers", "{\"servers\":[{\"id\":\"local-calculator\","
                + "\"transport\":\"builtin\",\"builtin\":\"housekeeping\"}]}"));
        assertThat(Files.readString(LOCKED_DIR.resolve("mcp_servers.json"))).contains("s3cret-value").doesNotContain("fresh");

        HttpResponse<String> extra = send(LOCKED, "PUT", "/api/mcp/servers", "{\"servers\":[" + calc + ",{\"id\":\"x\","
                + "\"transport\":\"builtin\",\"builtin\":\"calculator\",\"surprise\":1}]}");
        assertThat(extra.statusCode()).isEqualTo(422);
        assertThat(json(extra).get("detail").get(0).get("loc").toString()).isEqualTo("[\"body\",\"servers\",1,\"surprise\"]");
        HttpResponse<String> badId = send(LOCKED, "PUT", "/api/mcp/servers", "{\"servers\":[{\"id\":\"bad id!\","
                + "\"transport\":\"builtin\",\"builtin\":\"calculator\",\"call_timeout_s\":0}]}");
        assertThat(badId.statusCode()).isEqualTo(422);
        assertThat(json(badId).get("detail").findValuesAsText("msg")).hasSize(2);
        assertThat(json(badId).get("detail").get(0).get("loc").toString()).isEqualTo("[\"body\",\"servers\",0,\"id\"]");
        assertThat(send(LOCKED, "PUT", "/api/mcp/servers", "{\"servers\":[" + calc + "],\"more\":1}").statusCode()).isEqualTo(422);
        assertThat(send(LOCKED, "PUT", "/api/mcp/servers", "{\"servers\":{}}").statusCode()).isEqualTo(422);
        assertThat(send(LOCKED, "PUT", "/api/mcp/servers", "{\"servers\":[" + calc + "," + calc + "]}").statusCode())
                .isEqualTo(409);

        HttpResponse<String> builtinAdded = send(LOCKED, "PUT", "/api/mcp/servers", "{\"servers\":[" + hk + "," + calc
                + ",{\"id\":\"calc-2\",\"transport\":\"builtin\",\"builtin\":\"calculator\",\"tool_prefix\":\"c2\"}]}");
        assertThat(builtinAdded.statusCode()).as("removing and adding built-ins is always allowed").isEqualTo(200);
        JsonNode now = json(builtinAdded);
        assertThat(ids(now)).containsExactly("housekeeping", "local-calculator", "calc-2");
        assertThat(server(now, "calc-2").get("enabled").asBoolean()).isTrue();
        assertThat(server(now, "calc-2").get("state").asText()).isEqualTo("connected");
        assertThat(server(now, "calc-2").get("tools").get(0).get("qualified_name").asText()).isEqualTo("c2__calculator_evaluate");
        assertThat(Files.readString(LOCKED_DIR.resolve("mcp_servers.json"))).doesNotContain("s3cret-value");
    }

    @Test
    @Order(2)
    void lockedImportIsRefusedUnlessNothingChanges() throws Exception {
        String before = Files.readString(LOCKED_DIR.resolve("mcp_servers.json"));
        assertForbidden(send(LOCKED, "POST", "/api/mcp/servers/import",
                "{\"mcpServers\":{\"files\":{\"command\":\"/nonexistent/files --root /tmp\"}}}"));
        HttpResponse<String> conflict = send(LOCKED, "POST", "/api/mcp/servers/import?on_conflict=fail",
                "{\"mcpServers\":{\"housekeeping\":{\"command\":\"/nonexistent/hk\"}}}");
        assertThat(conflict.statusCode()).isEqualTo(409);
        HttpResponse<String> skipped = send(LOCKED, "POST", "/api/mcp/servers/import?on_conflict=skip",
                "{\"mcpServers\":{\"housekeeping\":{\"command\":\"/nonexistent/hk\"}}}");
        assertThat(skipped.statusCode()).as(skipped.body()).isEqualTo(200);
        assertThat(json(skipped).get("imported")).isEmpty();
        assertThat(json(skipped).get("skipped").toString()).isEqualTo("[\"housekeeping\"]");
        assertThat(server(json(skipped), "housekeeping").get("transport").asText()).isEqualTo("builtin");
        assertForbidden(send(LOCKED, "POST", "/api/mcp/servers/import?on_conflict=replace",
                "{\"mcpServers\":{\"housekeeping\":{\"command\":\"/nonexistent/hk\"}}}"));
        assertThat(Files.readString(LOCKED_DIR.resolve("mcp_servers.json"))).isEqualTo(before);

        assertThat(send(LOCKED, "POST", "/api/mcp/servers/import?on_conflict=merge", "{\"mcpServers\":{}}").statusCode())
                .isEqualTo(422);
        assertThat(send(LOCKED, "POST", "/api/mcp/servers/import", "{\"servers\":[]}").statusCode()).isEqualTo(422);
        HttpResponse<String> neither = send(LOCKED, "POST", "/api/mcp/servers/import", "{\"mcpServers\":{\"odd\":{\"x\":1}}}");
        assertThat(neither.statusCode()).isEqualTo(422);
        assertThat(json(neither).get("detail").get(0).get("loc").toString()).isEqualTo("[\"body\",\"mcpServers\",\"odd\"]");
    }

    @Test
    @Order(3)
    void importMapsDesktopEntriesAndHonoursOnConflict() throws Exception {
        String longName = "a".repeat(60);
        String body = "{\"mcpServers\":{"
                + "\"My Server.v2\":{\"command\":\"/nonexistent/my\\\\ server --x 'a b'\",\"args\":[\"--y\"],"
                + "\"env\":{\"TOKEN\":\"tok-123\"},\"cwd\":\"/tmp\",\"disabledTools\":[\"write\"],\"autoApprove\":[\"x\"]},"
                + "\"events\":{\"url\":\"http://127.0.0.1:9/sse\",\"type\":\"sse\",\"headers\":{\"Authorization\":\"Bearer h\"}},"
                + "\"remote\":{\"url\":\"http://127.0.0.1:9/mcp\",\"transport\":\"http\",\"disabled\":true,"
                + "\"disabled_tools\":[\"t\"]},"
                + "\"" + longName + "\":{\"command\":[\"/nonexistent/list\",\"--flag\"],\"disabled\":true}}}";
        HttpResponse<String> imported = send(OPEN, "POST", "/api/mcp/servers/import", body);
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
        JsonNode status = json(imported);
        assertThat(status.get("allow_remote_configuration").asBoolean()).isTrue();
        assertThat(status.get("imported").toString())
                .isEqualTo("[\"My-Server-v2\",\"events\",\"remote\",\"" + "a".repeat(48) + "\"]");
        assertThat(status.get("skipped")).isEmpty();
        assertThat(ids(status)).containsExactly("local-calculator", "housekeeping", "broken", "My-Server-v2", "events",
                "remote", "a".repeat(48));
        assertThat(imported.body()).doesNotContain("tok-123").doesNotContain("Bearer h");

        JsonNode my = server(file(OPEN_DIR), "My-Server-v2");
        assertThat(my.get("transport").asText()).isEqualTo("stdio");
        assertThat(my.get("command").toString()).isEqualTo("[\"/nonexistent/my server\",\"--x\",\"a b\"]");
        assertThat(my.get("args").toString()).isEqualTo("[\"--y\"]");
        assertThat(my.get("env").get("TOKEN").asText()).isEqualTo("tok-123");
        assertThat(my.get("cwd").asText()).isEqualTo("/tmp");
        assertThat(my.get("enabled").asBoolean()).isTrue();
        assertThat(my.get("disabled_tools").toString()).isEqualTo("[\"write\"]");
        assertThat(my.has("autoApprove")).isFalse();
        JsonNode events = server(file(OPEN_DIR), "events");
        assertThat(events.get("transport").asText()).isEqualTo("sse");
        assertThat(events.get("headers").get("Authorization").asText()).isEqualTo("Bearer h");
        JsonNode remote = server(file(OPEN_DIR), "remote");
        assertThat(remote.get("transport").asText()).isEqualTo("streamable_http");
        assertThat(remote.get("enabled").asBoolean()).isFalse();
        assertThat(remote.get("disabled_tools").toString()).isEqualTo("[\"t\"]");
        assertThat(server(status, "remote").get("state").asText()).isEqualTo("disabled");
        assertThat(server(file(OPEN_DIR), "a".repeat(48)).get("command").toString())
                .isEqualTo("[\"/nonexistent/list\",\"--flag\"]");

        String again = "{\"mcpServers\":{\"remote\":{\"url\":\"http://127.0.0.1:9/other\",\"disabled\":true},"
                + "\"newcomer\":{\"command\":\"/nonexistent/new\",\"disabled\":true}}}";
        String before = Files.readString(OPEN_DIR.resolve("mcp_servers.json"));
        HttpResponse<String> failed = send(OPEN, "POST", "/api/mcp/servers/import", again);
        assertThat(failed.statusCode()).isEqualTo(409);
        assertThat(json(failed).get("detail").asText()).contains("remote");
        assertThat(Files.readString(OPEN_DIR.resolve("mcp_servers.json"))).isEqualTo(before);
        assertThat(ids(json(send(OPEN, "GET", "/api/mcp/servers", null)))).doesNotContain("newcomer");

        JsonNode skipped = json(send(OPEN, "POST", "/api/mcp/servers/import?on_conflict=skip", again));
        assertThat(skipped.get("imported").toString()).isEqualTo("[\"newcomer\"]");
        assertThat(skipped.get("skipped").toString()).isEqualTo("[\"remote\"]");
        assertThat(server(file(OPEN_DIR), "remote").get("url").asText()).isEqualTo("http://127.0.0.1:9/mcp");

        String replacement = "{\"mcpServers\":{\"remote\":{\"url\":\"http://127.0.0.1:9/other\",\"disabled\":true},"
                + "\"My Server.v2\":{\"command\":\"/nonexistent/my\",\"env\":{\"TOKEN\":\"***\"},\"disabled\":true}}}";
        HttpResponse<String> replaced = send(OPEN, "POST", "/api/mcp/servers/import?on_conflict=replace", replacement);
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        assertThat(json(replaced).get("imported").toString()).isEqualTo("[\"remote\",\"My-Server-v2\"]");
        assertThat(ids(json(replaced)).indexOf("remote")).as("replaced in place").isEqualTo(5);
        assertThat(server(file(OPEN_DIR), "remote").get("url").asText()).isEqualTo("http://127.0.0.1:9/other");
        assertThat(server(file(OPEN_DIR), "My-Server-v2").get("env").get("TOKEN").asText()).as("*** keeps the secret")
                .isEqualTo("tok-123");

        HttpResponse<String> dupes = send(OPEN, "POST", "/api/mcp/servers/import",
                "{\"mcpServers\":{\"x y\":{\"command\":\"/nonexistent/a\"},\"x-y\":{\"command\":\"/nonexistent/b\"}}}");
        assertThat(dupes.statusCode()).isEqualTo(409);
        HttpResponse<String> invalid = send(OPEN, "POST", "/api/mcp/servers/import",
                "{\"mcpServers\":{\"web\":{\"url\":\"ftp://example\"}}}");
        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(json(invalid).get("detail").get(0).get("loc").toString())
                .isEqualTo("[\"body\",\"mcpServers\",\"web\",\"url\"]");
    }

    @Test
    @Order(4)
    void openPutCreatesAndChangesLaunchFieldsInTheGivenOrder() throws Exception {
        String body = "{\"servers\":["
                + "{\"id\":\"tool\",\"transport\":\"stdio\",\"command\":\"/nonexistent/tool --verbose\",\"args\":[\"x\"]},"
                + "{\"id\":\"local-calculator\",\"transport\":\"builtin\",\"builtin\":\"calculator\",\"enabled\":false}]}";
        HttpResponse<String> put = send(OPEN, "PUT", "/api/mcp/servers", body);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        JsonNode status = json(put);
        assertThat(ids(status)).containsExactly("tool", "local-calculator");
        assertThat(server(status, "local-calculator").get("state").asText()).isEqualTo("disabled");
        JsonNode tool = server(file(OPEN_DIR), "tool");
        assertThat(tool.get("enabled").asBoolean()).isTrue();
        assertThat(tool.get("command").toString()).isEqualTo("[\"/nonexistent/tool\",\"--verbose\"]");
        long deadline = System.nanoTime() + 20_000_000_000L;
        JsonNode live = server(status, "tool");
        while (!"failed".equals(live.get("state").asText()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            live = server(json(send(OPEN, "GET", "/api/mcp/servers", null)), "tool");
        }
        assertThat(live.get("state").asText()).as("a nonexistent command simply fails").isEqualTo("failed");
        HttpResponse<String> wrongType = send(OPEN, "PUT", "/api/mcp/servers",
                "{\"servers\":[{\"id\":\"t\",\"transport\":\"stdio\",\"command\":[\"/nonexistent/t\"],\"args\":{}}]}");
        assertThat(wrongType.statusCode()).as(wrongType.body()).isEqualTo(422);
        assertThat(json(wrongType).get("detail").get(0).get("loc").toString()).isEqualTo("[\"body\",\"servers\",0,\"args\"]");
    }
}
