package dev.orchat.chat;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.Db;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.RawHttp;
import dev.orchat.testing.Scripts;
import dev.orchat.testing.SseClient;
import dev.orchat.testing.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client that leaves while nothing is being written to it is noticed from the connection itself, not from a
 * failed write: the write probe is pushed out to a minute here, so only Jetty's close notice can cancel the
 * upstream in time (docs/architecture.md, "Keep-alive and disconnect detection").
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class DisconnectWithoutWriteTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, DIR,
            TestApp.set("chat.detachGrace", "0s"), // today's behaviour: a client leaving cancels the turn
            TestApp.set("chat.disconnectProbeInterval", "60s"),
            TestApp.set("chat.keepAliveInterval", "60s"),
            TestApp.set("openrouter.timeoutSeconds", "120"));
    static final Db DB = new Db(DIR.resolve("chat.db"));

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    @Test
    void aSilentStreamWhoseClientLeftIsCancelledWithoutAProbe() throws Exception {
        FAKE.enqueue(Scripts.stallAfter("thinking"));
        SseClient.Stream stream = SseClient.post(APP.getLocalPort(),
                "{\"session_id\":\"quiet\",\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}");
        String turnId = stream.next().json().get("turn_id").asText();
        assertThat(stream.nextNamed("message")).isNotNull();
        stream.close();
        // Far less than the 60 s probe interval: only the connection's own close notice can explain a cancel.
        assertThat(FAKE.awaitCancelled(1, Duration.ofSeconds(20))).isTrue();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!DB.query("SELECT id FROM turns WHERE status = 'running'").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(DB.turn(turnId).get("cancel_reason")).isEqualTo("client_disconnect");
    }

    /** The watch is withdrawn before each stream ends, so a kept-alive connection serves the next turn. */
    @Test
    void aKeptAliveConnectionCarriesOneStreamAfterAnother() throws Exception {
        try (RawHttp http = new RawHttp(APP.getLocalPort())) {
            for (int i = 0; i < 3; i++) {
                String json = "{\"session_id\":\"reuse\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
                http.send("POST /api/chat/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + "\r\n\r\n"
                        + json);
                RawHttp.Response response = http.read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.complete()).isTrue();
                assertThat(response.body()).endsWith("data: [DONE]\n\n");
            }
        }
    }
}
