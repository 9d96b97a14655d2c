package dev.orchat.chat;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.Scripts;
import dev.orchat.testing.SseClient;
import dev.orchat.testing.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Any OpenAI-compatible upstream (flavor generic, docs/api.md §2.2 step 6, §3.6), without an API key. */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class GenericFlavorTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, TestApp.tempDir(),
            TestApp.set("openrouter.flavor", "auto"),
            TestApp.set("openrouter.apiKey", ""),
            TestApp.set("chat.dateTimeContext", "false"),
            TestApp.set("chat.defaultSystemPrompt", "Be brief."));
    static final ObjectMapper JSON = new ObjectMapper();

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    @Test
    void loopbackUpstreamIsGenericAndGetsAPlainOpenAiPayload() throws Exception {
        FAKE.enqueue(Scripts.reasoningThenText("Let me think.", "Short answer."));
        List<SseClient.Received> events;
        try (SseClient.Stream stream = SseClient.post(APP.getLocalPort(),
                "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"}],\"usage\":{\"include\":true},\"provider\":{\"order\":[\"x\"]}}")) {
            assertThat(stream.status()).isEqualTo(200);
            events = stream.readAll();
        }
        JsonNode sent = FAKE.lastChatRequest().json();
        assertThat(FAKE.lastChatRequest().header("authorization")).isNull();
        assertThat(sent.has("usage")).isFalse();
        assertThat(sent.get("stream_options").toString()).isEqualTo("{\"include_usage\":true}");
        assertThat(sent.get("provider").toString()).isEqualTo("{\"order\":[\"x\"]}");
        assertThat(sent.get("messages").get(0).toString()).isEqualTo("{\"role\":\"system\",\"content\":\"Be brief.\"}");
        JsonNode metadata = events.stream().filter(e -> e.name().equals("metadata")).findFirst().orElseThrow().json();
        assertThat(metadata.get("reasoning").get(0).get("text").asText()).isEqualTo("Let me think.");
        assertThat(metadata.get("reasoning_details").isArray()).isTrue();

        HttpResponse<String> generation = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + APP.getLocalPort() + "/api/chat/generation/gen-1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(generation.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(generation.body()).get("detail").asText())
                .isEqualTo("Generation statistics are not available for this upstream");
    }
}
