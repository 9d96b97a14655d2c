package dev.orchat.ops;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.testing.ChildApp;
import dev.orchat.testing.Db;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.Scripts;
import dev.orchat.testing.SseClient;
import dev.orchat.testing.TestApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The service as a process: commands, environment-only configuration, kill -9 and restart (docs/architecture.md §9, §4.15). */
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class ProcessLifecycleTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final ObjectMapper JSON = new ObjectMapper();

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    /**
     * SQLite repairs at start. On PostgreSQL the restarted process is a new instance: it repairs the killed one's
     * turns once that lease has ended (CLUSTER_LEASE below), at start or with its next heartbeat.
     */
    static void awaitRepaired(Db db, String turnId) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
        while ("running".equals(db.turn(turnId).get("status")) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    static Map<String, String> env(Path dir) {
        return Map.of("DATA_DIR", dir.toString(), "DATABASE_URL", dev.orchat.testing.TestDatabase.urlFor(dir),
                "ATTACHMENTS_DIR", dir.resolve("uploads").toString(), "MCP_SERVERS_PATH", dir.resolve("mcp_servers.json").toString(),
                "OPENROUTER_BASE_URL", FAKE.baseUrl().toString(),
                "OPENROUTER_API_KEY", "child-key", "OPENROUTER_FLAVOR", "openrouter",
                "CLUSTER_LEASE", "2s", "CLUSTER_HEARTBEAT", "500ms");
    }

    @Test
    void killDuringStreamingThenRestartLeavesNoRunningTurnAndAValidHistory() throws Exception {
        Path dir = TestApp.tempDir();
        String turnId;
        ChildApp first = ChildApp.start(env(dir));
        try {
            FAKE.enqueue(Scripts.stallAfter("half an ans"));
            try (SseClient.Stream stream = SseClient.post(first.port,
                    "{\"session_id\":\"crash\",\"messages\":[{\"role\":\"user\",\"content\":\"tell me\"}]}")) {
                turnId = stream.next().json().get("turn_id").asText();
                assertThat(stream.nextNamed("message")).isNotNull();
                first.kill();
            }
        } finally {
            first.kill();
        }
        Db db = new Db(dir.resolve("chat.db"));
        assertThat(db.turn(turnId).get("status")).isEqualTo("running");

        try (ChildApp second = ChildApp.start(env(dir))) {
            awaitRepaired(db, turnId);
            Map<String, Object> turn = db.turn(turnId);
            assertThat(turn.get("status")).isEqualTo("failed");
            assertThat(turn.get("error_detail")).isEqualTo("Service restarted during the turn");
            assertThat(db.query("SELECT id FROM turns WHERE status = 'running'")).isEmpty();
            HttpResponse<String> history = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + second.port + "/api/chat/session/crash")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(history.statusCode()).isEqualTo(200);
            JsonNode messages = JSON.readTree(history.body()).get("messages");
            assertThat(messages).extracting(m -> m.get("content").asText()).containsExactly("tell me");
            db.assertToolPairing("crash");
            FAKE.enqueue(Scripts.text("recovered"));
            try (SseClient.Stream again = SseClient.post(second.port,
                    "{\"session_id\":\"crash\",\"messages\":[{\"role\":\"user\",\"content\":\"again\"}]}")) {
                List<SseClient.Received> events = again.readAll();
                assertThat(events).noneMatch(e -> e.name().equals("error"));
            }
        }
    }

    @Test
    void aCrashDuringAToolRoundLeavesOneResultPerCallAfterRestart() throws Exception {
        Path dir = TestApp.tempDir();
        java.nio.file.Files.writeString(dir.resolve("mcp_servers.json"), "{\"servers\":[{\"id\":\"envsrv\",\"transport\":\"stdio\","
                + "\"command\":[\"node\"," + JSON.writeValueAsString(dev.orchat.testing.McpTestServers.envServer().toString())
                + "],\"default_policy\":\"allow\"}]}");
        String turnId;
        ChildApp first = ChildApp.start(env(dir));
        try {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + first.port
                    + "/api/mcp/servers")).build(), HttpResponse.BodyHandlers.ofString()).body().contains("\"state\":\"connected\"")
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            FAKE.enqueue(Scripts.toolCalls(new dev.orchat.testing.ToolCallSpec("call_stuck", "hang", "{}")));
            try (SseClient.Stream stream = SseClient.post(first.port,
                    "{\"session_id\":\"tool-crash\",\"messages\":[{\"role\":\"user\",\"content\":\"hang\"}]}")) {
                turnId = stream.next().json().get("turn_id").asText();
                SseClient.Received tool;
                do {
                    tool = stream.nextNamed("tool");
                } while (tool != null && !tool.data().contains("started"));
                assertThat(tool).isNotNull();
                first.kill();
            }
        } finally {
            first.kill();
        }
        Db db = new Db(dir.resolve("chat.db"));
        assertThat(db.query("SELECT id FROM messages WHERE tool_call_id = 'call_stuck'")).isEmpty();
        try (ChildApp second = ChildApp.start(env(dir))) {
            awaitRepaired(db, turnId);
            assertThat(db.turn(turnId).get("status")).isEqualTo("failed");
            assertThat(db.query("SELECT content, synthetic FROM messages WHERE tool_call_id = 'call_stuck'"))
                    .containsExactly(Map.of("content", "Cancelled before completion.", "synthetic", 1));
            db.assertToolPairing("tool-crash");
        }
    }

    /** Counted from the files, so the test keeps up as migrations are added. */
    @Test
    void checkAndMigrateCommandsWork() throws Exception {
        Path dir = TestApp.tempDir();
        ChildApp.Result check = ChildApp.run(env(dir), "check", "config.yml");
        assertThat(check.exitCode()).as(check.output()).isZero();
        ChildApp.Result migrate = ChildApp.run(env(dir), "db", "migrate", "config.yml");
        assertThat(migrate.exitCode()).as(migrate.output()).isZero();
        assertThat(new Db(dir.resolve("chat.db")).query("SELECT COUNT(*) AS n FROM databasechangelog").get(0).get("n")).isEqualTo(TestApp.changesetCount());
        ChildApp.Result status = ChildApp.run(env(dir), "db", "status", "config.yml");
        assertThat(status.exitCode()).as(status.output()).isZero();
    }

    @Test
    void invalidConfigurationFailsWithAReadableMessage() throws Exception {
        Path dir = TestApp.tempDir();
        java.util.HashMap<String, String> env = new java.util.HashMap<>(env(dir));
        env.put("USER_TIMEZONE", "Mars/Olympus_Mons");
        ChildApp.Result check = ChildApp.run(env, "check", "config.yml");
        assertThat(check.exitCode()).isNotZero();
        assertThat(check.output()).contains("user.timeZone must be an IANA time zone");
        env.put("USER_TIMEZONE", "UTC");
        env.put("OPENROUTER_TIMEOUT", "soon");
        ChildApp.Result bad = ChildApp.run(env, "check", "config.yml");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.output()).contains("timeoutSeconds");
    }

    @Test
    void aNonLoopbackBindWithoutTokensRefusesToStart() throws Exception {
        java.util.HashMap<String, String> env = new java.util.HashMap<>(env(TestApp.tempDir()));
        env.put("HOST", "0.0.0.0");
        env.put("PORT", "0");
        env.put("ADMIN_PORT", "0");
        ChildApp.Result refused = ChildApp.run(env, "server", "config.yml");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("Refusing to start").contains("0.0.0.0:0").contains("AUTH_TOKENS");
    }

    @Test
    void aStartThatFailsOnTheDatabaseNeverPrintsItsPassword() throws Exception {
        Path dir = TestApp.tempDir();
        for (String url : List.of("postgresql://orchat:s3cret-pw-1@127.0.0.1:1/orchat",
                "jdbc:postgresql://127.0.0.1:1/orchat?user=orchat&password=s3cret-pw-2")) {
            java.util.HashMap<String, String> env = new java.util.HashMap<>(env(dir));
            env.put("DATABASE_URL", url);
            ChildApp.Result result = ChildApp.run(env, "server", "config.yml");
            assertThat(result.exitCode()).isNotZero();
            assertThat(result.output()).contains("127.0.0.1").doesNotContain("s3cret-pw");
        }
    }

    @Test
    void startsWithoutAnApiKeyAndDotEnvIsReadButNotRequired() throws Exception {
        Path dir = TestApp.tempDir();
        java.util.HashMap<String, String> env = new java.util.HashMap<>(env(dir));
        env.put("OPENROUTER_API_KEY", "");
        try (ChildApp app = ChildApp.start(env)) {
            HttpResponse<String> chat = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + app.port + "/api/chat/stream")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(chat.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(chat.body()).get("detail").asText()).contains("OPENROUTER_API_KEY");
            assertThat(app.log()).doesNotContain("child-key");
        }
        // The store was created where DATABASE_URL points: the SQLite file, or the test's PostgreSQL database.
        assertThat(new Db(dir.resolve("chat.db")).query("SELECT COUNT(*) AS n FROM databasechangelog").get(0).get("n"))
                .isEqualTo(TestApp.changesetCount());
    }
}
