package dev.orchat.chat;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.Db;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.RawSse;
import dev.orchat.testing.Scripts;
import dev.orchat.testing.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With a tiny replay buffer the events a resuming client asks for are gone: it gets one {@code snapshot} of the
 * turn so far, then the live events, and together they make the whole answer (docs/api.md §3.6).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class ReplaySnapshotTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, DIR,
            TestApp.set("chat.detachGrace", "10s"),
            TestApp.set("chat.replayBufferBytes", "1KiB"),
            TestApp.set("openrouter.timeoutSeconds", "30"));
    static final Db DB = new Db(DIR.resolve("chat.db"));
    static final ObjectMapper JSON = new ObjectMapper();

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    @Test
    void aResumeFromADroppedEventStartsWithASnapshotAndLosesNothing() throws Exception {
        FAKE.enqueue(Scripts.paced(60, 15));
        String turnId;
        String lastSeen;
        try (RawSse first = RawSse.post(APP.getLocalPort(),
                "{\"session_id\":\"snap\",\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}")) {
            turnId = JSON.readTree(RawSse.data(first.next())).get("turn_id").asText();
            first.next();
            lastSeen = RawSse.id(first.next());
        }
        Thread.sleep(400); // the turn goes on; the buffer drops the early events
        List<String> rest;
        try (RawSse resumed = RawSse.attach(APP.getLocalPort(), turnId, lastSeen)) {
            rest = resumed.readAll();
        }
        assertThat(RawSse.name(rest.get(0))).isEqualTo("snapshot");
        JsonNode snapshot = JSON.readTree(RawSse.data(rest.get(0)));
        assertThat(snapshot.get("turn_id").asText()).isEqualTo(turnId);
        assertThat(RawSse.id(rest.get(0))).isEqualTo(snapshot.get("last_event_id").asText());
        assertThat(Integer.parseInt(RawSse.id(rest.get(1)))).isEqualTo(snapshot.get("last_event_id").asInt() + 1);
        StringBuilder text = new StringBuilder(snapshot.path("current").path("content").asText());
        for (String block : rest.subList(1, rest.size())) {
            if ("message".equals(RawSse.name(block)) && !"[DONE]".equals(RawSse.data(block))) {
                JsonNode delta = JSON.readTree(RawSse.data(block)).path("choices").path(0).path("delta");
                text.append(delta.path("content").asText(""));
            }
        }
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            expected.append("tok").append(i).append(' ');
        }
        assertThat(text.toString()).isEqualTo(expected.toString());
        assertThat(RawSse.data(rest.get(rest.size() - 1))).isEqualTo("[DONE]");
        assertThat(DB.query("SELECT content FROM messages WHERE role = 'assistant' AND turn_id = '" + turnId + "'")
                .get(0).get("content")).isEqualTo(expected.toString());
    }
}
