package dev.orchat.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.testing.ChildApp;
import dev.orchat.testing.Db;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.Scripts;
import dev.orchat.testing.SseClient;
import dev.orchat.testing.TestApp;
import dev.orchat.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Two service processes on one PostgreSQL database (docs/operations.md, "Several instances"): a turn started on A
 * is followed and cancelled from B; killing B with SIGKILL and restarting it leaves A's turn running to its end;
 * killing A leaves its turn to B, which repairs it once A's lease has ended. Only on the PostgreSQL pass: SQLite is
 * one instance by design.
 */
@Tag("database")
@EnabledIfSystemProperty(named = "orchat.test.db", matches = "postgresql")
class SeveralInstancesTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Path DIR = TestApp.tempDir();
    static final Db DB = new Db(DIR.resolve("chat.db"));

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("DATA_DIR", DIR.toString());
        env.put("DATABASE_URL", TestDatabase.urlFor(DIR));
        env.put("ATTACHMENTS_DIR", DIR.resolve("uploads").toString());
        env.put("MCP_SERVERS_PATH", DIR.resolve("mcp_servers.json").toString());
        env.put("OPENROUTER_BASE_URL", FAKE.baseUrl().toString());
        env.put("OPENROUTER_API_KEY", "child-key");
        env.put("OPENROUTER_FLAVOR", "openrouter");
        env.put("CLUSTER_LEASE", "2s");
        env.put("CLUSTER_HEARTBEAT", "500ms");
        env.put("CHAT_DETACH_GRACE", "30s");
        return env;
    }

    static String turnBody(String session) {
        return "{\"session_id\":\"" + session + "\",\"messages\":[{\"role\":\"user\",\"content\":\"tell me\"}]}";
    }

    @Test
    void turnsOnOneInstanceAreFollowedCancelledAndRepairedFromTheOther() throws Exception {
        try (ChildApp a = ChildApp.start(env()); ChildApp b = ChildApp.start(env())) {
            // 1. A turn on A, followed from B with the same event ids, then cancelled from B.
            FAKE.enqueue(Scripts.stallAfter("half an ans"));
            try (SseClient.Stream onA = SseClient.post(a.port, turnBody("s-follow"))) {
                String turnId = onA.next().json().get("turn_id").asText();
                assertThat(onA.nextNamed("message")).isNotNull();
                assertThat(DB.turn(turnId).get("owner_instance")).isNotNull();

                JsonNode session = getJson(b.port, "/api/chat/session/s-follow");
                assertThat(session.get("running_turn").get("turn_id").asText()).isEqualTo(turnId);
                try (SseClient.Stream onB = SseClient.get(b.port, "/api/chat/turns/" + turnId + "/events", "0")) {
                    assertThat(onB.status()).isEqualTo(200);
                    SseClient.Received first = onB.next();
                    assertThat(first.name()).isEqualTo("session");
                    assertThat(first.id()).isEqualTo("1");
                    assertThat(first.json().get("turn_id").asText()).isEqualTo(turnId);
                    SseClient.Received chunk = onB.nextNamed("message");
                    while (chunk != null && !chunk.data().contains("half an ans")) {
                        chunk = onB.nextNamed("message");
                    }
                    assertThat(chunk).isNotNull();

                    long asked = System.nanoTime();
                    JsonNode cancelled = postJson(b.port, "/api/chat/session/s-follow/cancel");
                    assertThat(cancelled.get("cancelled").asBoolean()).isTrue();
                    assertThat(cancelled.get("turn_id").asText()).isEqualTo(turnId);
                    List<SseClient.Received> rest = onA.readAll();
                    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked);
                    System.out.println("cross-instance cancel: A's stream ended " + tookMs + " ms after B was asked");
                    assertThat(rest.get(rest.size() - 1).data()).isEqualTo("[DONE]");
                    assertThat(onB.readAll()).extracting(SseClient.Received::data).contains("[DONE]");
                }
                Map<String, Object> turn = DB.turn(turnId);
                assertThat(turn.get("status")).isEqualTo("cancelled");
                assertThat(turn.get("cancel_reason")).isEqualTo("user_cancel");
            }

            // 2. B killed and restarted while A runs a turn: A's turn is not touched and completes.
            FAKE.enqueue(Scripts.paced(80, 100));
            try (SseClient.Stream onA = SseClient.post(a.port, turnBody("s-survive"))) {
                String turnId = onA.next().json().get("turn_id").asText();
                b.kill();
                try (ChildApp b2 = ChildApp.start(env())) {
                    // B2 started (and ran its start-up recovery) while A's turn ran: it must not have touched it.
                    assertThat(DB.turn(turnId).get("status")).isIn("running", "complete");
                    List<SseClient.Received> rest = onA.readAll();
                    assertThat(rest.get(rest.size() - 2).name()).isEqualTo("metadata");
                    assertThat(DB.turn(turnId).get("status")).isEqualTo("complete");
                    DB.assertToolPairing("s-survive");

                    // 3. A killed mid-turn: B repairs the turn once A's lease has ended, not before.
                    FAKE.enqueue(Scripts.stallAfter("cut short"));
                    String orphan;
                    try (SseClient.Stream again = SseClient.post(a.port, turnBody("s-orphan"))) {
                        orphan = again.next().json().get("turn_id").asText();
                        assertThat(again.nextNamed("message")).isNotNull();
                        a.kill();
                    }
                    assertThat(DB.turn(orphan).get("status")).isEqualTo("running");
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while ("running".equals(DB.turn(orphan).get("status")) && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                    }
                    Map<String, Object> repaired = DB.turn(orphan);
                    assertThat(repaired.get("status")).isEqualTo("failed");
                    assertThat(repaired.get("error_detail")).isEqualTo("Service restarted during the turn");
                    DB.assertToolPairing("s-orphan");
                    JsonNode history = getJson(b2.port, "/api/chat/session/s-orphan");
                    assertThat(history.path("running_turn").isNull() || history.path("running_turn").isMissingNode()).isTrue();
                    assertThat(b2.log()).doesNotContain("child-key");
                }
            } finally {
                a.kill();
            }
        }
    }

    static JsonNode getJson(int port, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static JsonNode postJson(int port, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
