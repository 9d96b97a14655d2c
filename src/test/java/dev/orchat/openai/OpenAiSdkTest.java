package dev.orchat.openai;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.models.Model;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.Db;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.Scripts;
import dev.orchat.testing.TestApp;
import dev.orchat.testing.ToolCallSpec;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OpenAI-compatible API (docs/api.md, "OpenAI-compatible API") driven by the official OpenAI Java SDK against
 * the app and the fake upstream.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class OpenAiSdkTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, DIR);
    static final ObjectMapper JSON = new ObjectMapper();
    static final Db DB = new Db(DIR.resolve("chat.db"));

    OpenAIClient client;

    @BeforeEach
    void connect() {
        FAKE.reset();
        client = OpenAIOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + APP.getLocalPort() + "/v1")
                .apiKey("unused-without-auth-tokens")
                .maxRetries(0)
                .build();
    }

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    static ChatCompletionCreateParams.Builder ask(String text) {
        return ChatCompletionCreateParams.builder().model("openai/gpt-4o-mini").addUserMessage(text);
    }

    @Test
    void listsAndRetrievesModelsInOpenAisShape() {
        List<Model> models = client.models().list().data();
        assertThat(models).extracting(Model::id).contains("openai/gpt-4o-mini", "anthropic/claude-sonnet-4");
        assertThat(models).filteredOn(m -> m.id().equals("anthropic/claude-sonnet-4"))
                .extracting(Model::ownedBy).containsExactly("anthropic");
        assertThatThrownBy(() -> client.models().retrieve("no-such-model")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void retrievesAModelWhoseIdHasASlash() throws Exception {
        // OpenRouter ids contain '/': sent as is (Jetty refuses a percent-encoded slash in a path).
        HttpResponse<String> one = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + APP.getLocalPort() + "/v1/models/anthropic/claude-sonnet-4")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(one.statusCode()).isEqualTo(200);
        JsonNode model = JSON.readTree(one.body());
        assertThat(model.get("id").asText()).isEqualTo("anthropic/claude-sonnet-4");
        assertThat(model.get("object").asText()).isEqualTo("model");
        assertThat(model.get("owned_by").asText()).isEqualTo("anthropic");
        assertThat(model.get("created").isNumber()).isTrue();
    }

    @Test
    void nonStreamingCompletionIsStatelessByDefault() throws Exception {
        int sessionsBefore = sessionCount();
        FAKE.enqueue(Scripts.text("Hello", " world"));
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("openai/gpt-4o-mini").addSystemMessage("Be brief.").addUserMessage("hi").build());
        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().get(0).message().content()).contains("Hello world");
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.usage()).isPresent();
        assertThat(completion.usage().get().totalTokens()).isPositive();
        JsonNode upstream = FAKE.lastChatRequest().json();
        assertThat(upstream.get("model").asText()).isEqualTo("openai/gpt-4o-mini");
        assertThat(upstream.get("messages")).isEqualTo(JSON.readTree(
                "[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"hi\"}]"));
        awaitSessionCount(sessionsBefore); // the session of a stateless completion is deleted after it
    }

    @Test
    void streamingCompletionUsesOpenAisFramingAndEndsWithUsage() {
        FAKE.enqueue(Scripts.text("Hel", "lo", " there"));
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ask("hi")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunks::add);
        }
        assertThat(content(chunks)).isEqualTo("Hello there");
        assertThat(chunks).extracting(ChatCompletionChunk::id).containsOnly(chunks.get(0).id());
        assertThat(chunks.get(0).choices().get(0).delta().role()).isPresent();
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage()).isPresent();
        ChatCompletionChunk finish = chunks.get(chunks.size() - 2);
        assertThat(finish.choices().get(0).finishReason())
                .contains(ChatCompletionChunk.Choice.FinishReason.STOP);
    }

    @Test
    void serverSideCalculatorRoundIsInvisibleExceptForTheAnswer() throws Exception {
        FAKE.enqueue(Scripts.toolCalls(new ToolCallSpec("call_calc", "calculator_evaluate",
                        "{\"operation\":\"multiply\",\"a\":6,\"b\":7}")),
                Scripts.text("6 × 7 = 42"));
        ChatCompletion completion = client.chat().completions().create(ask("what is 6 times 7?").build());
        assertThat(completion.choices().get(0).message().content()).contains("6 × 7 = 42");
        assertThat(completion.choices().get(0).message().toolCalls()).isEmpty();
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        JsonNode second = FAKE.lastChatRequest().json().get("messages");
        assertThat(second.get(0)).isEqualTo(JSON.readTree("{\"role\":\"user\",\"content\":\"what is 6 times 7?\"}"));
        assertThat(second.get(second.size() - 1))
                .isEqualTo(JSON.readTree("{\"role\":\"tool\",\"tool_call_id\":\"call_calc\",\"content\":\"42\"}"));

        FAKE.enqueue(Scripts.toolCalls(new ToolCallSpec("call_calc2", "calculator_evaluate",
                        "{\"operation\":\"add\",\"a\":2,\"b\":2}")),
                Scripts.text("2 + 2 = 4"));
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                .createStreaming(ask("2+2?").build())) {
            stream.stream().forEach(chunks::add);
        }
        assertThat(content(chunks)).isEqualTo("2 + 2 = 4");
        assertThat(chunks).allSatisfy(c -> c.choices().forEach(choice ->
                assertThat(choice.delta().toolCalls().orElse(List.of())).isEmpty()));
        assertThat(chunks.get(chunks.size() - 1).choices().get(0).finishReason())
                .contains(ChatCompletionChunk.Choice.FinishReason.STOP);
    }

    @Test
    void clientToolsArePassedThroughAndTheirCallsReturned() throws Exception {
        ChatCompletionFunctionTool weather = ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
                .name("get_weather")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .build())
                .build()).build();
        FAKE.enqueue(Scripts.toolCalls(new ToolCallSpec("call_w", "get_weather", "{\"city\":\"Paris\"}")));
        ChatCompletion first = client.chat().completions().create(ask("weather in Paris?").addTool(weather).build());
        ChatCompletion.Choice choice = first.choices().get(0);
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().get(0).asFunction();
        assertThat(call.id()).isEqualTo("call_w");
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(call.function().arguments()).isEqualTo("{\"city\":\"Paris\"}");
        JsonNode offered = FAKE.lastChatRequest().json().get("tools");
        assertThat(offered).hasSize(1);
        assertThat(offered.get(0).get("function").get("name").asText()).isEqualTo("get_weather");

        FAKE.enqueue(Scripts.text("Sunny in Paris."));
        ChatCompletion second = client.chat().completions().create(ask("weather in Paris?").addTool(weather)
                .addMessage(choice.message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId("call_w").content("sunny, 24 °C").build())
                .build());
        assertThat(second.choices().get(0).message().content()).contains("Sunny in Paris.");
        JsonNode messages = FAKE.lastChatRequest().json().get("messages");
        assertThat(messages.get(1).get("tool_calls").get(0).get("id").asText()).isEqualTo("call_w");
        assertThat(messages.get(2))
                .isEqualTo(JSON.readTree("{\"role\":\"tool\",\"tool_call_id\":\"call_w\",\"content\":\"sunny, 24 °C\"}"));

        FAKE.enqueue(Scripts.toolCalls(new ToolCallSpec("call_s", "get_weather", "{\"city\":\"Oslo\"}")));
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                .createStreaming(ask("and Oslo?").addTool(weather).build())) {
            stream.stream().forEach(chunks::add);
        }
        StringBuilder arguments = new StringBuilder();
        chunks.forEach(c -> c.choices().forEach(ch -> ch.delta().toolCalls().orElse(List.of())
                .forEach(tc -> tc.function().flatMap(ChatCompletionChunk.Choice.Delta.ToolCall.Function::arguments)
                        .ifPresent(arguments::append))));
        assertThat(arguments.toString()).isEqualTo("{\"city\":\"Oslo\"}");
        assertThat(chunks.get(chunks.size() - 1).choices().get(0).finishReason())
                .contains(ChatCompletionChunk.Choice.FinishReason.TOOL_CALLS);
    }

    @Test
    void aStoredSessionIsVisibleInTheChatApi() throws Exception {
        FAKE.enqueue(Scripts.text("Stored answer."));
        HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(
                ask("remember this").putAdditionalHeader("X-Orchat-Session", "new").build());
        String sessionId = raw.headers().values("X-Orchat-Session").get(0);
        ChatCompletion first = raw.parse();
        assertThat(first.choices().get(0).message().content()).contains("Stored answer.");

        FAKE.enqueue(Scripts.text("Second answer."));
        client.chat().completions().create(ask("remember this")
                .addMessage(first.choices().get(0).message())
                .addUserMessage("and this")
                .putAdditionalHeader("X-Orchat-Session", sessionId).build());

        HttpResponse<String> session = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + APP.getLocalPort() + "/api/chat/session/" + sessionId)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(session.statusCode()).isEqualTo(200);
        List<String> stored = new ArrayList<>();
        JSON.readTree(session.body()).get("messages").forEach(m ->
                stored.add(m.get("role").asText() + ":" + m.get("content").asText()));
        assertThat(stored).containsExactly("user:remember this", "assistant:Stored answer.", "user:and this",
                "assistant:Second answer.");
    }

    @Test
    void aStreamedCompletionCanBeStoredToo() throws Exception {
        FAKE.enqueue(Scripts.text("Streamed", " and stored."));
        String sessionId;
        StringBuilder text = new StringBuilder();
        try (HttpResponseFor<StreamResponse<ChatCompletionChunk>> raw = client.chat().completions().withRawResponse()
                .createStreaming(ask("stream and keep").putAdditionalHeader("X-Orchat-Session", "new").build())) {
            sessionId = raw.headers().values("X-Orchat-Session").get(0);
            try (StreamResponse<ChatCompletionChunk> stream = raw.parse()) {
                stream.stream().forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
            }
        }
        assertThat(text.toString()).isEqualTo("Streamed and stored.");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<Map<String, Object>> rows;
        while (true) {
            rows = DB.query("SELECT role, content FROM messages WHERE session_id = ? ORDER BY position", sessionId);
            if (rows.size() >= 2 || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(20);
        }
        assertThat(rows).containsExactly(Map.of("role", "user", "content", "stream and keep"),
                Map.of("role", "assistant", "content", "Streamed and stored."));
    }

    @Test
    void upstreamRateLimitSurfacesAsTheSdksRateLimitException() {
        FAKE.enqueue(Scripts.rateLimited(60));
        assertThatThrownBy(() -> client.chat().completions().create(ask("hi").build()))
                .isInstanceOf(RateLimitException.class);
        FAKE.enqueue(Scripts.rateLimited(60));
        assertThatThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                    .createStreaming(ask("hi").build())) {
                stream.stream().forEach(c -> { });
            }
        }).isInstanceOf(RateLimitException.class);
    }

    @Test
    void clientAbortingMidStreamCancelsTheUpstreamWithinOneSecond() {
        int cancelledBefore = FAKE.cancelledStreams();
        FAKE.enqueue(Scripts.stallAfter("partial"));
        Instant closed;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                .createStreaming(ask("talk slowly").build())) {
            Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
            String seen = "";
            while (!seen.contains("partial")) {
                seen += chunks.next().choices().get(0).delta().content().orElse("");
            }
            closed = Instant.now();
        }
        assertThat(FAKE.awaitCancelled(cancelledBefore + 1, Duration.ofSeconds(5))).isTrue();
        Instant cancelled = FAKE.cancellationTimes().get(FAKE.cancellationTimes().size() - 1);
        assertThat(Duration.between(closed, cancelled)).isLessThan(Duration.ofSeconds(1));
    }

    private static String content(List<ChatCompletionChunk> chunks) {
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
        return text.toString();
    }

    private static int sessionCount() {
        return ((Number) DB.query("SELECT count(*) AS n FROM sessions").get(0).get("n")).intValue();
    }

    private static void awaitSessionCount(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (sessionCount() != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(sessionCount()).isEqualTo(expected);
    }
}
