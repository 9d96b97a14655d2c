package dev.orchat.chat;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.ApiClient;
import dev.orchat.testing.Db;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.RawSse;
import dev.orchat.testing.Scripts;
import dev.orchat.testing.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Runs that survive the browser (docs/api.md §3.6): detach grace, resume by event id, several clients, retention. */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class ResumableRunsTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, DIR,
            TestApp.set("chat.detachGrace", "1500ms"),
            TestApp.set("chat.replayRetention", "2s"),
            TestApp.set("chat.maxConcurrentTurns", "64"),
            TestApp.set("openrouter.timeoutSeconds", "30"));
    static final Db DB = new Db(DIR.resolve("chat.db"));
    static final ObjectMapper JSON = new ObjectMapper();

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    @BeforeEach
    void resetFake() {
        FAKE.reset();
    }

    static String body(String session) {
        return "{\"session_id\":\"" + session + "\",\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";
    }

    static int port() {
        return APP.getLocalPort();
    }

    @Test
    void resumingAfterADropAtAnyPointGivesTheUninterruptedBytes() throws Exception {
        Random random = new Random(11);
        for (int i = 0; i < 200; i++) {
            FAKE.enqueue(Scripts.paced(12, 2));
            List<String> got = new ArrayList<>();
            String turnId;
            try (RawSse first = RawSse.post(port(), body("resume-" + i))) {
                assertThat(first.status()).isEqualTo(200);
                String session = first.next();
                got.add(session);
                turnId = JSON.readTree(RawSse.data(session)).get("turn_id").asText();
                int keep = random.nextInt(14);
                for (int k = 0; k < keep; k++) {
                    String block = first.next();
                    if (block == null) {
                        break;
                    }
                    got.add(block);
                }
            }
            String last = RawSse.id(got.get(got.size() - 1));
            if (!RawSse.data(got.get(got.size() - 1)).equals("[DONE]")) {
                try (RawSse resumed = RawSse.attach(port(), turnId, last)) {
                    assertThat(resumed.status()).isEqualTo(200);
                    got.addAll(resumed.readAll());
                }
            }
            List<String> whole;
            try (RawSse replay = RawSse.attach(port(), turnId, null)) {
                whole = replay.readAll();
            }
            assertThat(got).as("turn %d", i).isEqualTo(whole);
            assertThat(RawSse.data(whole.get(whole.size() - 1))).isEqualTo("[DONE]");
            for (int k = 0; k < whole.size(); k++) {
                assertThat(RawSse.id(whole.get(k))).isEqualTo(Integer.toString(k + 1));
            }
            awaitStatus(turnId, "complete");
        }
    }

    @Test
    void aTurnWithoutClientsIsCancelledAfterTheGraceNotBefore() throws Exception {
        FAKE.enqueue(Scripts.stallAfter("thinking"));
        String turnId;
        try (RawSse stream = RawSse.post(port(), body("grace"))) {
            turnId = JSON.readTree(RawSse.data(stream.next())).get("turn_id").asText();
            String block = stream.next();
            while (block != null && !block.contains("thinking")) {
                block = stream.next();
            }
            assertThat(block).contains("thinking");
        }
        java.time.Instant closed = java.time.Instant.now();
        Thread.sleep(700);
        assertThat(FAKE.cancellationTimes()).as("still running within the grace").isEmpty();
        assertThat(FAKE.awaitCancelled(1, Duration.ofSeconds(10))).isTrue();
        Duration cancelledAfter = Duration.between(closed, FAKE.cancellationTimes().get(0));
        // Grace 1.5 s: not before it, and the upstream closed within a second after it.
        assertThat(cancelledAfter).isBetween(Duration.ofMillis(1400), Duration.ofMillis(2500));
        awaitStatus(turnId, "cancelled");
        assertThat(DB.turn(turnId).get("cancel_reason")).isEqualTo("detached");
    }

    @Test
    void aClientThatComesBackWithinTheGraceKeepsTheTurnAlive() throws Exception {
        FAKE.enqueue(Scripts.paced(40, 60));
        String turnId;
        String lastId;
        try (RawSse stream = RawSse.post(port(), body("back"))) {
            turnId = JSON.readTree(RawSse.data(stream.next())).get("turn_id").asText();
            lastId = RawSse.id(stream.next());
        }
        Thread.sleep(600);
        try (RawSse resumed = RawSse.attach(port(), turnId, lastId)) {
            List<String> rest = resumed.readAll();
            assertThat(RawSse.data(rest.get(rest.size() - 1))).isEqualTo("[DONE]");
            assertThat(RawSse.id(rest.get(0))).isEqualTo(Integer.toString(Integer.parseInt(lastId) + 1));
        }
        awaitStatus(turnId, "complete");
        assertThat(FAKE.cancellationTimes()).isEmpty();
    }

    @Test
    void twoClientsGetEveryEventAndACancelEndsItForBoth() throws Exception {
        FAKE.enqueue(Scripts.paced(200, 20));
        try (RawSse a = RawSse.post(port(), body("two"))) {
            String turnId = JSON.readTree(RawSse.data(a.next())).get("turn_id").asText();
            try (RawSse b = RawSse.attach(port(), turnId, null)) {
                JsonNode session = new ApiClient(port()).get("/api/chat/session/two").json();
                assertThat(session.path("running_turn").path("turn_id").asText()).isEqualTo(turnId);
                assertThat(session.path("running_turn").path("status").asText()).isEqualTo("running");
                new ApiClient(port()).post("/api/chat/session/two/cancel", "{}");
                List<String> fromA = new ArrayList<>();
                for (String block = a.next(); block != null; block = a.next()) {
                    fromA.add(block);
                }
                List<String> fromB = b.readAll();
                assertThat(RawSse.data(fromA.get(fromA.size() - 1))).isEqualTo("[DONE]");
                assertThat(fromB.get(fromB.size() - 1)).isEqualTo(fromA.get(fromA.size() - 1));
                // B attached after A read the session event: B's copy is A's events from id 1 on.
                assertThat(fromB.subList(fromB.size() - fromA.size(), fromB.size())).isEqualTo(fromA);
            }
        }
        assertThat(new ApiClient(port()).get("/api/chat/session/two").json().path("running_turn").isNull()).isTrue();
    }

    @Test
    void finishedTurnsAreReplayableForTheRetentionThenGone() throws Exception {
        FAKE.enqueue(Scripts.text("short"));
        String turnId;
        try (RawSse stream = RawSse.post(port(), body("retained"))) {
            turnId = JSON.readTree(RawSse.data(stream.next())).get("turn_id").asText();
            stream.readAll();
        }
        try (RawSse replay = RawSse.attach(port(), turnId, "1")) {
            assertThat(replay.status()).isEqualTo(200);
            assertThat(RawSse.id(replay.next())).isEqualTo("2");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int status = 200;
        while (status != 410 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            try (RawSse replay = RawSse.attach(port(), turnId, null)) {
                status = replay.status();
            }
        }
        assertThat(status).isEqualTo(410);
        try (RawSse unknown = RawSse.attach(port(), "0123456789abcdef0123456789abcdef", null)) {
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.bodyText()).contains("\"detail\"");
        }
        try (RawSse bad = RawSse.attach(port(), turnId, "x")) {
            assertThat(bad.status()).isEqualTo(400);
        }
    }

    private static void awaitStatus(String turnId, String status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!status.equals(DB.turn(turnId).get("status")) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(DB.turn(turnId).get("status")).isEqualTo(status);
    }
}
