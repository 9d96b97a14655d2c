package dev.orchat.chat;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orchat.OrchatApplication;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.Db;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.Scripts;
import dev.orchat.testing.SseClient;
import dev.orchat.testing.TestApp;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shutdown cancels running turns first, so an open stream never holds Jetty's graceful stop (docs/architecture.md §9). */
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class ShutdownTest {
    @Test
    void stoppingTheServiceEndsOpenStreamsPromptlyAsCancelled() throws Exception {
        try (FakeOpenRouter fake = FakeOpenRouter.start()) {
            Path dir = TestApp.tempDir();
            DropwizardTestSupport<OrchatConfiguration> support = new DropwizardTestSupport<>(OrchatApplication.class, "config.yml",
                    ConfigOverride.config("server.applicationConnectors[0].port", "0"),
                    ConfigOverride.config("server.adminConnectors[0].port", "0"),
                    ConfigOverride.config("dataDir", dir.toString()),
                    ConfigOverride.config("attachments.dir", dir.resolve("uploads").toString()),
                    ConfigOverride.config("mcp.configFile", dir.resolve("mcp_servers.json").toString()),
                    ConfigOverride.config("database.url", dev.orchat.testing.TestDatabase.urlFor(dir)),
                    ConfigOverride.config("openrouter.baseUrl", fake.baseUrl().toString()),
                    ConfigOverride.config("openrouter.apiKey", "k"),
                    ConfigOverride.config("openrouter.timeoutSeconds", "60"),
                    ConfigOverride.config("logging.level", "WARN"));
            support.before();
            fake.enqueue(Scripts.stallAfter("never finished"));
            SseClient.Stream stream = SseClient.post(support.getLocalPort(),
                    "{\"session_id\":\"shut\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            String turnId = stream.next().json().get("turn_id").asText();
            assertThat(stream.nextNamed("message")).isNotNull();

            long t0 = System.nanoTime();
            support.after();
            Duration stopTook = Duration.ofNanos(System.nanoTime() - t0);

            List<SseClient.Received> rest = stream.readAll();
            assertThat(rest.get(rest.size() - 1).data()).isEqualTo("[DONE]");
            assertThat(rest).anyMatch(e -> e.name().equals("metadata") && e.json().get("status").asText().equals("cancelled"));
            assertThat(stopTook).as("stop must not wait for the 15 s grace period").isLessThan(Duration.ofSeconds(12));
            Db db = new Db(dir.resolve("chat.db"));
            assertThat(db.turn(turnId).get("status")).isEqualTo("cancelled");
            assertThat(db.turn(turnId).get("cancel_reason")).isEqualTo("shutdown");
            assertThat(fake.awaitCancelled(1, Duration.ofSeconds(2))).isTrue();
        }
    }
}
