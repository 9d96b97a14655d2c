package dev.orchat.openai;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.Scripts;
import dev.orchat.testing.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code /v1} with bearer tokens set, and its OpenAI error shape (docs/api.md, "OpenAI-compatible API"). */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class OpenAiAuthAndErrorsTest {
    static final String TOKEN = "v1-test-token";
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, DIR,
            TestApp.set("auth.tokens", TOKEN));
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    @BeforeEach
    void resetFake() {
        FAKE.reset();
    }

    OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + APP.getLocalPort() + "/v1").apiKey(key)
                .maxRetries(0).build();
    }

    @Test
    void withoutTheTokenTheSdkGetsUnauthorized() {
        assertThatThrownBy(() -> client("wrong-token").models().list()).isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() -> client("wrong-token").chat().completions().create(ChatCompletionCreateParams.builder()
                .model("openai/gpt-4o-mini").addUserMessage("hi").build())).isInstanceOf(UnauthorizedException.class);
        assertThat(FAKE.chatRequestCount()).isZero();
    }

    @Test
    void withTheTokenItAnswersAndToolsCanBeSwitchedOff() {
        assertThat(client(TOKEN).models().list().data()).isNotEmpty();
        FAKE.enqueue(Scripts.text("no tools here"));
        ChatCompletion completion = client(TOKEN).chat().completions().create(ChatCompletionCreateParams.builder()
                .model("openai/gpt-4o-mini").addUserMessage("hi").putAdditionalHeader("X-Orchat-Tools", "none")
                .build());
        assertThat(completion.choices().get(0).message().content()).contains("no tools here");
        assertThat(FAKE.lastChatRequest().json().has("tools")).isFalse();
    }

    @Test
    void errorsOnV1HaveOpenAisShapeWhileApiKeepsDetail() throws Exception {
        HttpResponse<String> unauthenticated = get("/v1/models", null);
        assertThat(unauthenticated.statusCode()).isEqualTo(401);
        JsonNode error = JSON.readTree(unauthenticated.body()).get("error");
        assertThat(error.get("message").asText()).isEqualTo("Not authenticated");
        assertThat(error.get("type").asText()).isEqualTo("authentication_error");
        assertThat(error.has("param")).isTrue();
        assertThat(error.get("code").asText()).isEqualTo("invalid_api_key");

        HttpResponse<String> api = get("/api/chat/sessions", null);
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(api.body()).get("detail").asText()).isEqualTo("Not authenticated");

        HttpResponse<String> unknown = get("/v1/nothing-here", TOKEN);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("error").get("type").asText()).isEqualTo("not_found_error");

        HttpResponse<String> noMessages = post("/v1/chat/completions", "{\"model\":\"x\",\"messages\":[]}", null);
        assertThat(noMessages.statusCode()).isEqualTo(400);
        JsonNode invalid = JSON.readTree(noMessages.body()).get("error");
        assertThat(invalid.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(invalid.get("param").asText()).isEqualTo("messages");

        HttpResponse<String> malformed = post("/v1/chat/completions", "{not json", null);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(malformed.body()).get("error").get("message").asText()).isNotBlank();

        HttpResponse<String> missingSession = post("/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "0123456789abcdef");
        assertThat(missingSession.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missingSession.body()).get("error").get("param").asText())
                .isEqualTo("X-Orchat-Session");
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body, String session) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("X-Orchat-Session", session);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + APP.getLocalPort() + path);
    }
}
