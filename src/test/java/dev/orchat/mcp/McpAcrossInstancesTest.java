package dev.orchat.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two instances on one PostgreSQL database, each with its own MCP server file (as on two boxes): a change through
 * the API on one reaches the other within 5 s (docs/operations.md, "Several instances").
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database")
@EnabledIfSystemProperty(named = "orchat.test.db", matches = "postgresql")
class McpAcrossInstancesTest {
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> A = TestApp.create(null, DIR,
            TestApp.set("mcp.configFile", folder("a").resolve("mcp_servers.json").toString()));
    static final DropwizardAppExtension<OrchatConfiguration> B = TestApp.create(null, DIR,
            TestApp.set("mcp.configFile", folder("b").resolve("mcp_servers.json").toString()));
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static Path folder(String name) {
        try {
            return java.nio.file.Files.createDirectories(DIR.resolve(name));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aServerDisabledOnOneInstanceIsDisabledOnTheOtherWithinFiveSeconds() throws Exception {
        assertThat(state(B.getLocalPort(), "local-calculator")).isNotEqualTo("disabled");
        HttpResponse<String> off = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + A.getLocalPort()
                        + "/api/mcp/servers/local-calculator")).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"enabled\":false}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!"disabled".equals(state(B.getLocalPort(), "local-calculator")) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(state(B.getLocalPort(), "local-calculator")).isEqualTo("disabled");
        assertThat(java.nio.file.Files.readString(DIR.resolve("b/mcp_servers.json"))).contains("local-calculator");
    }

    static String state(int port, String id) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/api/mcp/servers")).build(), HttpResponse.BodyHandlers.ofString());
        for (JsonNode s : JSON.readTree(r.body()).path("servers")) {
            if (id.equals(s.path("id").asText())) {
                return s.path("state").asText();
            }
        }
        throw new AssertionError("no server " + id + " in " + r.body());
    }
}
