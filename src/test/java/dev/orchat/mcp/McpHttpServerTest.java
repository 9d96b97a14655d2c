package dev.orchat.mcp;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.McpTestServers;
import dev.orchat.testing.Scripts;
import dev.orchat.testing.SseClient;
import dev.orchat.testing.TestApp;
import dev.orchat.testing.ToolCallSpec;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A real MCP server over streamable HTTP, configured in the file, supervised and used in a turn (docs/architecture.md §10). */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class McpHttpServerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static volatile McpTestServers.HttpServer EVERYTHING = startServer();
    static final McpTestServers.HttpServer LEGACY = startSse();
    static final Path DIR = prepare();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, DIR);

    static McpTestServers.HttpServer startServer() {
        try {
            return McpTestServers.startEverythingHttp();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static McpTestServers.HttpServer startSse() {
        try {
            return McpTestServers.startEverythingSse();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Path prepare() {
        Path dir = TestApp.tempDir();
        try {
            Files.writeString(dir.resolve("mcp_servers.json"), "{\"servers\":[{\"id\":\"remote\",\"transport\":\"streamable_http\","
                    + "\"url\":\"" + EVERYTHING.mcpUrl() + "\",\"headers\":{\"X-Api-Key\":\"${PATH}\"},\"tool_prefix\":\"ev\"},"
                    + "{\"id\":\"legacy\",\"transport\":\"sse\",\"url\":\"http://127.0.0.1:" + LEGACY.port + "/sse\"}]}");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dir;
    }

    @AfterAll
    static void stop() throws Exception {
        EVERYTHING.close();
        LEGACY.close();
        FAKE.close();
    }

    static JsonNode remote() throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort()
                + "/api/mcp/servers")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(body).doesNotContain(System.getenv("PATH"));
        return JSON.readTree(body).get("servers").get(0);
    }

    @Test
    void connectsListsToolsAndServesACall() throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!remote().get("state").asText().equals("connected") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        JsonNode remote = remote();
        assertThat(remote.get("state").asText()).as(remote.toString()).isEqualTo("connected");
        assertThat(remote.get("headers").get("X-Api-Key").asText()).isEqualTo("***");
        assertThat(remote.get("tool_count").asInt()).isEqualTo(remote.get("tools").size()).isGreaterThan(3);
        assertThat(remote.get("tools")).anySatisfy(t -> assertThat(t.get("qualified_name").asText()).isEqualTo("ev__echo"));

        FAKE.enqueue(Scripts.toolCalls(new ToolCallSpec("call_http", "ev__echo", "{\"message\":\"over http\"}")), Scripts.text("ok"));
        List<SseClient.Received> events;
        try (SseClient.Stream stream = SseClient.post(APP.getLocalPort(), "{\"messages\":[{\"role\":\"user\",\"content\":\"echo\"}]}")) {
            events = stream.readAll();
        }
        assertThat(events).anyMatch(e -> e.name().equals("tool") && e.data().contains("\"finished\"")
                && e.data().contains("Echo: over http"));
    }

    @Test
    void aRestartedServerThatLostOurSessionStillAnswersTheNextCall() throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!remote().get("state").asText().equals("connected") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        int port = EVERYTHING.port;
        EVERYTHING.close();
        EVERYTHING = McpTestServers.startEverythingHttp(port);
        deadline = System.nanoTime() + 60_000_000_000L;
        while (!remote().get("state").asText().equals("connected") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        FAKE.enqueue(Scripts.toolCalls(new ToolCallSpec("call_again", "ev__echo", "{\"message\":\"new session\"}")), Scripts.text("ok"));
        List<SseClient.Received> events;
        try (SseClient.Stream stream = SseClient.post(APP.getLocalPort(), "{\"messages\":[{\"role\":\"user\",\"content\":\"again\"}]}")) {
            events = stream.readAll();
        }
        assertThat(events).anyMatch(e -> e.name().equals("tool") && e.data().contains("\"finished\"")
                && e.data().contains("Echo: new session"));
    }

    @Test
    void theOlderSseTransportWorksToo() throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        JsonNode legacy = null;
        while (System.nanoTime() < deadline) {
            legacy = JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:"
                    + APP.getLocalPort() + "/api/mcp/servers")).build(), HttpResponse.BodyHandlers.ofString()).body()).get("servers").get(1);
            if (legacy.get("state").asText().equals("connected")) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(legacy.get("state").asText()).as(legacy.toString()).isEqualTo("connected");
        FAKE.enqueue(Scripts.toolCalls(new ToolCallSpec("call_sse", "legacy__echo", "{\"message\":\"over sse\"}")), Scripts.text("ok"));
        List<SseClient.Received> events;
        try (SseClient.Stream stream = SseClient.post(APP.getLocalPort(), "{\"messages\":[{\"role\":\"user\",\"content\":\"sse\"}]}")) {
            events = stream.readAll();
        }
        assertThat(events).anyMatch(e -> e.name().equals("tool") && e.data().contains("\"finished\"")
                && e.data().contains("Echo: over sse"));
    }
}
