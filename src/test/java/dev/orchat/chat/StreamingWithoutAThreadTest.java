package dev.orchat.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.Db;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.Scripts;
import dev.orchat.testing.SseClient;
import dev.orchat.testing.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * While a hop's body streams, the turn holds no thread: no thread sits in the turn loop or the hop waiting for the
 * upstream (docs/architecture.md §5, "Upstream"). A cancel still reaches the upstream at once, and the turn still
 * stores its end.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class StreamingWithoutAThreadTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, DIR,
            TestApp.set("chat.detachGrace", "0s"));
    static final Db DB = new Db(DIR.resolve("chat.db"));

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    @Test
    void aQuietUpstreamHoldsNoThreadAndACancelStillEndsTheTurn() throws Exception {
        FAKE.enqueue(Scripts.stallAfter("thinking"));
        SseClient.Stream stream = SseClient.post(APP.getLocalPort(),
                "{\"session_id\":\"quiet\",\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}");
        String turnId = stream.next().json().get("turn_id").asText();
        assertThat(stream.nextNamed("message")).isNotNull();

        // The thread that relayed "thinking" may still be returning from it; give it a moment.
        List<String> holders = threadsInTheTurn();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!holders.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            holders = threadsInTheTurn();
        }
        assertThat(holders).as("threads inside the turn while its upstream is quiet").isEmpty();

        stream.close();
        assertThat(FAKE.awaitCancelled(1, Duration.ofSeconds(20))).isTrue();
        deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!DB.query("SELECT id FROM turns WHERE status = 'running'").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(DB.turn(turnId).get("status")).isEqualTo("cancelled");
        assertThat(DB.turn(turnId).get("cancel_reason")).isEqualTo("client_disconnect");
    }

    @Test
    void aCancelEndsTheWaitBeforeARetryAtOnceAndNoThreadWaitsInIt() throws Exception {
        FAKE.reset();
        FAKE.enqueue(Scripts.rateLimited(10), Scripts.text("never sent"));
        SseClient.Stream stream = SseClient.post(APP.getLocalPort(),
                "{\"session_id\":\"waiting\",\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}");
        String turnId = stream.next().json().get("turn_id").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (FAKE.chatRequestCount() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(200); // the 429 is read and the 10 s wait before the retry has begun
        assertThat(threadsInTheTurn()).as("threads inside the turn while it waits to retry").isEmpty();

        stream.close();
        deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!DB.query("SELECT id FROM turns WHERE status = 'running'").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        // Ended within 5 s of a 10 s Retry-After: the cancel ended the wait, and the retry was never sent.
        assertThat(DB.turn(turnId).get("status")).isEqualTo("cancelled");
        assertThat(DB.turn(turnId).get("cancel_reason")).isEqualTo("client_disconnect");
        Thread.sleep(100);
        assertThat(FAKE.chatRequestCount()).isEqualTo(1);
    }

    /** Names of the threads whose stack is inside the turn loop, a hop, or an upstream body. */
    private static List<String> threadsInTheTurn() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().startsWith(TurnLoop.class.getName())
                        || f.getClassName().startsWith(HopRunner.class.getName())
                        || f.getClassName().startsWith("dev.orchat.openrouter.CompletionStream")))
                .map(Map.Entry::getKey).map(Thread::getName).toList();
    }
}
