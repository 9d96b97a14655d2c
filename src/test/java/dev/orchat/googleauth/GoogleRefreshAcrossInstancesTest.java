package dev.orchat.googleauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.FakeGoogle;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.GoogleClient;
import dev.orchat.testing.Scripts;
import dev.orchat.testing.SseClient;
import dev.orchat.testing.TestApp;
import dev.orchat.testing.ToolCallSpec;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two instances on one PostgreSQL database (docs/operations.md, "Several instances"): 20 concurrent Google tool
 * calls, 10 through each instance, with an access token that must be refreshed first, cause exactly one refresh.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database")
@EnabledIfSystemProperty(named = "orchat.test.db", matches = "postgresql")
class GoogleRefreshAcrossInstancesTest {
    static final FakeOpenRouter OPENROUTER = FakeOpenRouter.start();
    static final FakeGoogle GOOGLE = FakeGoogle.start();
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> A = app();
    static final DropwizardAppExtension<OrchatConfiguration> B = app();

    static DropwizardAppExtension<OrchatConfiguration> app() {
        return TestApp.create(OPENROUTER, DIR, GOOGLE.settings(DIR,
                TestApp.set("frontendUrl", "http://localhost:5173/settings"), TestApp.set("chat.toolParallelism", "20")));
    }

    @AfterAll
    static void stop() {
        OPENROUTER.close();
        GOOGLE.close();
    }

    static boolean gmailConnected(int port) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/api/mcp/servers")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        for (JsonNode server : new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("servers")) {
            if ("custom-gmail".equals(server.path("id").asText())) {
                return "connected".equals(server.path("state").asText());
            }
        }
        return false;
    }

    @Test
    void twentyConcurrentCallsOnTwoInstancesCauseOneRefresh() throws Exception {
        GOOGLE.setAccessTtlSeconds(120); // under the 5-minute margin: the first use must refresh
        new GoogleClient(A.getLocalPort(), GOOGLE).connect(false);
        GOOGLE.setAccessTtlSeconds(3600);
        // B learns of the connection made through A from the database (within about a second).
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!gmailConnected(B.getLocalPort()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(gmailConnected(B.getLocalPort())).isTrue();
        GOOGLE.setRefreshDelayMillis(300); // keeps the refresh in flight while the other calls arrive
        int before = GOOGLE.refreshCount();
        ToolCallSpec[] calls = new ToolCallSpec[10];
        for (int i = 0; i < calls.length; i++) {
            calls[i] = new ToolCallSpec("call_" + i, "list_gmail_labels", "{}");
        }
        OPENROUTER.enqueue(Scripts.toolCalls(calls), Scripts.toolCalls(calls), Scripts.text("done"), Scripts.text("done"));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<JsonNode>>> turns = new ArrayList<>();
            for (int port : new int[] {A.getLocalPort(), B.getLocalPort()}) {
                Callable<List<JsonNode>> turn = () -> {
                    try (SseClient.Stream s = SseClient.post(port, "{\"messages\":[{\"role\":\"user\",\"content\":\"labels\"}]}")) {
                        return s.readAll().stream().filter(e -> e.name().equals("tool")).map(SseClient.Received::json)
                                .filter(t -> !t.path("status").asText().equals("started")).toList();
                    }
                };
                turns.add(pool.submit(turn));
            }
            for (Future<List<JsonNode>> turn : turns) {
                assertThat(turn.get()).hasSize(10).allSatisfy(t -> {
                    assertThat(t.path("status").asText()).isEqualTo("finished");
                    assertThat(t.path("result").asText()).contains("Receipts (id: Label_42)");
                });
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(GOOGLE.refreshCount() - before).isEqualTo(1);
    }
}
