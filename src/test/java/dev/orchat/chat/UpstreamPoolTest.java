package dev.orchat.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.Db;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.Scripts;
import dev.orchat.testing.SseClient;
import dev.orchat.testing.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With every pooled upstream connection busy, a turn's call waits for one at most {@code openrouter.connectTimeout},
 * then fails as a retryable 504; the turn that holds the connection is unaffected (docs/configuration.md,
 * {@code openrouter.*}).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class UpstreamPoolTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, DIR,
            TestApp.set("openrouter.maxConnections", "1"),
            TestApp.set("openrouter.connectTimeout", "500ms"),
            TestApp.set("openrouter.maxRetries", "0"));
    static final Db DB = new Db(DIR.resolve("chat.db"));

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    @Test
    void aTurnThatFindsNoFreeConnectionFailsAsATimeoutAndTheOtherGoesOn() throws Exception {
        FAKE.enqueue(Scripts.stallAfter("holding"), Scripts.text("never sent"));
        SseClient.Stream first = SseClient.post(APP.getLocalPort(),
                "{\"session_id\":\"holder\",\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}");
        first.next();
        assertThat(first.nextNamed("message")).isNotNull();

        SseClient.Stream second = SseClient.post(APP.getLocalPort(),
                "{\"session_id\":\"queued\",\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}");
        String turnId = second.next().json().get("turn_id").asText();
        JsonNode error = second.nextNamed("error").json();
        assertThat(error.get("status").asInt()).isEqualTo(504);
        assertThat(error.get("retryable").asBoolean()).isTrue();
        assertThat(DB.turn(turnId).get("status")).isEqualTo("failed");
        assertThat(FAKE.chatRequestCount()).isEqualTo(1);
        assertThat(DB.query("SELECT id FROM turns WHERE session_id = 'holder' AND status = 'running'")).hasSize(1);
        first.close();
    }
}
