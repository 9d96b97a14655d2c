package dev.orchat.ops;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.Db;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.SseClient;
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

/** Admin port: health checks, chat metrics and the purge-sessions task (docs/operations.md, "Admin port"). */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class AdminTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, DIR);
    static final DropwizardAppExtension<OrchatConfiguration> BAD_KEY = TestApp.create(FAKE, TestApp.tempDir(),
            TestApp.set("openrouter.apiKey", "revoked-key"));

    static {
        FAKE.setExpectedApiKey("test-key");
    }
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    static HttpResponse<String> admin(String method, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getAdminPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String turn(String sessionId) throws Exception {
        try (SseClient.Stream s = SseClient.post(APP.getLocalPort(), "{\"session_id\":\"" + sessionId
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}")) {
            s.readAll();
        }
        return sessionId;
    }

    @Test
    void healthChecksCoverDatabaseDiskAndUpstream() throws Exception {
        FAKE.setExpectedApiKey("test-key");
        HttpResponse<String> response = admin("GET", "/healthcheck");
        JsonNode checks = JSON.readTree(response.body());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(checks.get("database").get("healthy").asBoolean()).isTrue();
        assertThat(checks.get("database").get("message").asText()).contains(TestApp.changesetCount() + " changesets applied");
        assertThat(checks.get("disk-space").get("message").asText()).contains("free=");
        assertThat(checks.get("openrouter").get("healthy").asBoolean()).isTrue();
        assertThat(checks.get("openrouter").get("message").asText()).isEqualTo("Upstream reachable");
        assertThat(FAKE.requests()).anyMatch(r -> r.path().endsWith("/key") && "Bearer test-key".equals(r.header("authorization")));
        int keyCalls = (int) FAKE.requests().stream().filter(r -> r.path().endsWith("/key")).count();
        admin("GET", "/healthcheck");
        assertThat(FAKE.requests().stream().filter(r -> r.path().endsWith("/key")).count()).as("cached for 60 s").isEqualTo(keyCalls);
    }

    @Test
    void aRejectedKeyDegradesTheNonCriticalCheckWithoutFailingTheEndpoint() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + BAD_KEY.getAdminPort() + "/healthcheck")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode openrouter = JSON.readTree(response.body()).get("openrouter");
        assertThat(openrouter.get("message").asText()).isEqualTo("DEGRADED: API key rejected");
        assertThat(openrouter.get("dependency_healthy").asBoolean()).isFalse();
        assertThat(openrouter.get("critical").asBoolean()).isFalse();
    }

    @Test
    void chatMetricsAreExposed() throws Exception {
        turn("metrics-session");
        JsonNode metrics = JSON.readTree(admin("GET", "/metrics").body());
        assertThat(metrics.get("meters").get("chat.turns.started").get("count").asLong()).isPositive();
        assertThat(metrics.get("meters").get("chat.turns.completed").get("count").asLong()).isPositive();
        assertThat(metrics.get("timers").get("chat.ttft").get("count").asLong()).isPositive();
        assertThat(metrics.get("timers").get("chat.turn.duration").get("count").asLong()).isPositive();
        assertThat(metrics.get("histograms").get("chat.hops").get("count").asLong()).isPositive();
        assertThat(metrics.get("counters").get("chat.tokens.prompt").get("count").asLong()).isPositive();
        assertThat(metrics.get("counters").get("chat.cost").get("count").asLong()).isPositive();
        assertThat(metrics.get("gauges").has("chat.streams.active")).isTrue();
        assertThat(metrics.get("meters").has("chat.upstream.retries")).isTrue();
    }

    @Test
    void purgeSessionsIsADryRunByDefaultAndDeletesWhenAsked() throws Exception {
        String id = turn("purge-me");
        Files.createDirectories(DIR.resolve("uploads").resolve(id));
        Files.writeString(DIR.resolve("uploads").resolve(id).resolve("f.txt"), "12345");
        Db db = new Db(DIR.resolve("chat.db"));

        HttpResponse<String> dry = admin("POST", "/tasks/purge-sessions?session=" + id);
        assertThat(dry.statusCode()).isEqualTo(200);
        assertThat(dry.body()).contains("sessions=1 messages=2 attachments=0 files=1 bytes=5 dry_run=true");
        assertThat(db.query("SELECT id FROM sessions WHERE id = ?", id)).hasSize(1);

        HttpResponse<String> real = admin("POST", "/tasks/purge-sessions?session=" + id + "&dry_run=false");
        assertThat(real.body()).contains("sessions=1 messages=2 attachments=0 files=1 bytes=5 dry_run=false");
        assertThat(db.query("SELECT id FROM sessions WHERE id = ?", id)).isEmpty();
        assertThat(Files.exists(DIR.resolve("uploads").resolve(id))).isFalse();

        turn("recent");
        assertThat(admin("POST", "/tasks/purge-sessions?older_than=P30D&dry_run=false").body()).contains("sessions=0");
        assertThat(admin("POST", "/tasks/purge-sessions?older_than=PT0S").body()).contains("dry_run=true").doesNotContain("sessions=0 ");
        assertThat(admin("POST", "/tasks/purge-sessions").body()).contains("error: give exactly one");
        assertThat(admin("POST", "/tasks/purge-sessions?older_than=soon").body()).contains("ISO-8601");
    }
}
