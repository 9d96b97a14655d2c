package dev.orchat.chat;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.Db;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.SseClient;
import dev.orchat.testing.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The default {@code chat.titles.mode: truncate} never asks a model for a title (docs/configuration.md, chat.titles). */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class TruncateTitlesTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, DIR);
    static final Db DB = new Db(DIR.resolve("chat.db"));

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    @Test
    void truncateModeNeverCallsTheUpstreamForATitle() throws Exception {
        String sessionId;
        try (SseClient.Stream stream = SseClient.post(APP.getLocalPort(),
                "{\"messages\":[{\"role\":\"user\",\"content\":\"Plan a   trip to Lisbon\"}]}")) {
            sessionId = stream.nextNamed("session").json().get("session_id").asText();
            stream.readAll();
        }
        Thread.sleep(500); // a title request would be sent right after [DONE]
        assertThat(FAKE.completions().requestCount()).isZero();
        assertThat(FAKE.chatRequestCount()).isEqualTo(1);
        assertThat(DB.query("SELECT title, title_source FROM sessions WHERE id = ?", sessionId).get(0))
                .containsEntry("title", "Plan a trip to Lisbon").containsEntry("title_source", "auto");
    }
}
