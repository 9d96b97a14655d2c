package dev.orchat.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeOpenRouterTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CHAT_BODY = "{\"model\":\"openai/gpt-4o-mini\",\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private FakeOpenRouter fake;
    private HttpClient http;

    @BeforeEach
    void setUp() {
        fake = FakeOpenRouter.start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void tearDown() {
        fake.close();
    }

    @Test
    void textStreamIsWellFormedSseEndingInDone() throws Exception {
        fake.enqueue(Scripts.text("Hel", "lo"));

        HttpResponse<String> response = postChat();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
        assertThat(response.headers().firstValue("transfer-encoding")).hasValue("chunked");
        assertThat(response.headers().firstValue("x-request-id")).isPresent();
        assertThat(response.headers().firstValue("openrouter-provider")).hasValue("OpenAI");
        List<String> events = events(response.body());
        assertThat(events.get(0)).isEqualTo(": OPENROUTER PROCESSING");
        assertThat(events.get(events.size() - 1)).isEqualTo("data: [DONE]");
        StringBuilder text = new StringBuilder();
        String id = null;
        for (String event : events.subList(1, events.size() - 1)) {
            JsonNode chunk = MAPPER.readTree(event.substring("data: ".length()));
            assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(chunk.path("id").asText()).startsWith("gen-");
            id = id == null ? chunk.path("id").asText() : id;
            assertThat(chunk.path("id").asText()).isEqualTo(id);
            for (JsonNode choice : chunk.path("choices")) {
                text.append(choice.path("delta").path("content").asText(""));
            }
        }
        assertThat(text).hasToString("Hello");
        JsonNode usage = MAPPER.readTree(events.get(events.size() - 2).substring(6));
        assertThat(usage.path("choices")).isEmpty();
        assertThat(usage.path("usage").path("total_tokens").asInt()).isPositive();
        JsonNode finish = MAPPER.readTree(events.get(events.size() - 3).substring(6));
        assertThat(finish.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(fake.awaitCompleted(1, Duration.ofSeconds(1))).isTrue();
        assertThat(fake.openStreams()).isZero();
    }

    @Test
    void keepAliveServesTwoRequestsOnOneConnection() throws Exception {
        fake.enqueue(Scripts.text("one"), Scripts.httpError(500, "boom"));
        try (RawHttp raw = new RawHttp(fake.port())) {
            raw.postChat(CHAT_BODY);
            RawHttp.Response first = raw.read();
            raw.postChat(CHAT_BODY);
            RawHttp.Response second = raw.read();
            raw.send("GET /api/v1/models HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response third = raw.read();

            assertThat(first.complete()).isTrue();
            assertThat(first.body()).endsWith("data: [DONE]\n\n");
            assertThat(second.status()).isEqualTo(500);
            assertThat(MAPPER.readTree(second.body()).at("/error/code").asInt()).isEqualTo(500);
            assertThat(third.status()).isEqualTo(200);
        }
        assertThat(fake.chatRequestCount()).isEqualTo(2);
    }

    @Test
    void chunkedRequestBodyIsAccepted() throws Exception {
        String a = CHAT_BODY.substring(0, 20);
        String b = CHAT_BODY.substring(20);
        try (RawHttp raw = new RawHttp(fake.port())) {
            raw.send("POST /api/v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                    + "Content-Type: application/json\r\n\r\n"
                    + Integer.toHexString(a.length()) + "\r\n" + a + "\r\n"
                    + Integer.toHexString(b.length()) + ";ext=1\r\n" + b + "\r\n0\r\n\r\n");
            RawHttp.Response response = raw.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.complete()).isTrue();
        }
        assertThat(fake.lastChatRequest().body()).isEqualTo(CHAT_BODY);
    }

    @Test
    void errorStatusCarriesRetryAfter() throws Exception {
        fake.enqueue(Script.builder().header("Retry-After", "7")
                .status(429, "{\"error\":{\"message\":\"Rate limited\",\"code\":429}}").build());

        HttpResponse<String> response = postChat();

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("retry-after")).hasValue("7");
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(MAPPER.readTree(response.body()).at("/error/message").asText()).isEqualTo("Rate limited");
        // The next request falls back to the default script on the same pooled client.
        assertThat(postChat().statusCode()).isEqualTo(200);
    }

    @Test
    void clientCloseDuringStallIsDetectedPromptly() throws Exception {
        fake.enqueue(Scripts.stallAfter("Hel"));
        Instant closedAt;
        try (RawHttp raw = new RawHttp(fake.port())) {
            raw.postChat(CHAT_BODY);
            assertThat(raw.readHeadAndFirstChunk()).contains(Scripts.PROCESSING);
            assertThat(fake.awaitChatRequests(1, Duration.ofSeconds(1))).isTrue();
            assertThat(fake.openStreams()).isEqualTo(1);
            closedAt = Instant.now();
        }

        assertThat(fake.awaitCancelled(1, Duration.ofSeconds(1))).isTrue();
        assertThat(fake.cancelledStreams()).isEqualTo(1);
        assertThat(fake.completedStreams()).isZero();
        assertThat(fake.openStreams()).isZero();
        assertThat(Duration.between(closedAt, fake.cancellationTimes().get(0))).isLessThan(Duration.ofMillis(200));
    }

    @Test
    void clientCloseDuringDelayIsDetectedBeforeTheDelayEnds() throws Exception {
        fake.enqueue(Script.builder().comment("x").delay(30_000).done().build());
        try (RawHttp raw = new RawHttp(fake.port())) {
            raw.postChat(CHAT_BODY);
            raw.readHeadAndFirstChunk();
        }
        assertThat(fake.awaitCancelled(1, Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void clientCloseWhileWritingIsCountedAsCancelled() throws Exception {
        fake.enqueue(Scripts.paced(20_000, 0));
        try (RawHttp raw = new RawHttp(fake.port())) {
            raw.postChat(CHAT_BODY);
            raw.readHeadAndFirstChunk();
        }
        assertThat(fake.awaitCancelled(1, Duration.ofSeconds(2))).isTrue();
        assertThat(fake.completedStreams()).isZero();
    }

    @Test
    void dropCutsTheChunkedBodyShort() throws Exception {
        fake.enqueue(Scripts.dropAfter("Hel"), Scripts.dropAfter("Hel"));

        assertThatThrownBy(this::postChat).isInstanceOf(IOException.class);

        try (RawHttp raw = new RawHttp(fake.port())) {
            raw.postChat(CHAT_BODY);
            RawHttp.Response response = raw.read();
            assertThat(response.complete()).isFalse();
            assertThat(response.body()).contains("Hel").doesNotContain("[DONE]");
        }
        assertThat(fake.completedStreams()).isEqualTo(2);
        assertThat(fake.cancelledStreams()).isZero();
    }

    @Test
    void endWithoutDoneTerminatesBodyCleanly() throws Exception {
        fake.enqueue(Scripts.endWithoutDone("a", "b"));
        HttpResponse<String> response = postChat();
        assertThat(response.body()).contains("\"content\":\"b\"").doesNotContain("[DONE]", "finish_reason\":\"stop");
    }

    @Test
    void scriptsAreServedFifoThenDefault() throws Exception {
        fake.enqueue(Scripts.text("first"), Scripts.text("second"));
        fake.setDefaultScript(Scripts.text("default"));
        assertThat(postChat().body()).contains("first");
        assertThat(postChat().body()).contains("second");
        assertThat(postChat().body()).contains("default");
        assertThat(postChat().body()).contains("default");
    }

    @Test
    void toolCallArgumentsReassemble() throws Exception {
        fake.enqueue(Scripts.toolCalls(new ToolCallSpec("call_1", "get_weather", "{\"city\":\"Paris\"}"),
                new ToolCallSpec("call_2", "now", "{}")));
        List<String> events = events(postChat().body());
        StringBuilder[] args = {new StringBuilder(), new StringBuilder()};
        List<String> names = new ArrayList<>();
        for (String event : events) {
            if (!event.startsWith("data: {")) {
                continue;
            }
            for (JsonNode call : MAPPER.readTree(event.substring(6)).at("/choices/0/delta/tool_calls")) {
                if (call.has("id")) {
                    names.add(call.at("/function/name").asText());
                }
                args[call.path("index").asInt()].append(call.at("/function/arguments").asText());
            }
        }
        assertThat(names).containsExactly("get_weather", "now");
        assertThat(args[0]).hasToString("{\"city\":\"Paris\"}");
        assertThat(args[1]).hasToString("{}");
        assertThat(events).anyMatch(e -> e.contains("\"finish_reason\":\"tool_calls\""));
    }

    @Test
    void recordedRequestExposesHeadersAndJson() throws Exception {
        postChat();
        RecordedRequest recorded = fake.lastChatRequest();
        assertThat(recorded.method()).isEqualTo("POST");
        assertThat(recorded.path()).isEqualTo("/api/v1/chat/completions");
        assertThat(recorded.headers()).containsEntry("authorization", "Bearer sk-test");
        assertThat(recorded.header("Content-Type")).isEqualTo("application/json");
        assertThat(recorded.json().at("/messages/0/content").asText()).isEqualTo("hi");
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void modelsGenerationAndKeyEndpoints() throws Exception {
        JsonNode models = MAPPER.readTree(get("/models", null).body());
        assertThat(models.path("data")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(models.at("/data/0/id").asText()).isEqualTo("openai/gpt-4o-mini");

        HttpResponse<String> gen = get("/generation?id=gen-123", null);
        assertThat(gen.statusCode()).isEqualTo(200);
        assertThat(MAPPER.readTree(gen.body()).at("/data/id").asText()).isEqualTo("gen-123");

        fake.setGenerationStatus(404);
        HttpResponse<String> missing = get("/generation?id=gen-unknown", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(MAPPER.readTree(missing.body()).at("/error/message").asText()).isEqualTo("Generation not found");
        String streamedId = MAPPER.readTree(events(postChat().body()).get(1).substring(6)).path("id").asText();
        assertThat(get("/generation?id=" + streamedId, null).statusCode()).isEqualTo(200);

        fake.setExpectedApiKey("sk-right");
        HttpResponse<String> denied = get("/key", "Bearer sk-wrong");
        assertThat(denied.statusCode()).isEqualTo(401);
        assertThat(MAPPER.readTree(denied.body()).at("/error/code").asInt()).isEqualTo(401);
        HttpResponse<String> allowed = get("/key", "Bearer sk-right");
        assertThat(MAPPER.readTree(allowed.body()).at("/data/label").asText()).isEqualTo("fake");

        assertThat(get("/nope", null).statusCode()).isEqualTo(404);
    }

    @Test
    void manyConcurrentStallsAreAllCancelled() throws Exception {
        int n = 300;
        fake.setDefaultScript(Scripts.stallAfter("x"));
        List<RawHttp> clients = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                RawHttp raw = new RawHttp(fake.port());
                clients.add(raw);
                raw.postChat(CHAT_BODY);
            }
            for (RawHttp raw : clients) {
                raw.readHeadAndFirstChunk();
            }
            assertThat(fake.openStreams()).isEqualTo(n);
        } finally {
            for (RawHttp raw : clients) {
                raw.close();
            }
        }
        assertThat(fake.awaitCancelled(n, Duration.ofSeconds(5))).isTrue();
        assertThat(fake.openStreams()).isZero();
    }

    @Test
    void scriptBuilderRejectsUnreachableSteps() {
        assertThatThrownBy(() -> Script.builder().stall().done().build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Script.builder().chunk("{}").status(500, "{}").build())
                .isInstanceOf(IllegalStateException.class);
        assertThat(Scripts.split("{\"a\":1}")).hasSize(3);
        assertThat(String.join("", Scripts.words("one two  three"))).isEqualTo("one two  three");
    }

    private HttpResponse<String> postChat() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/chat/completions"))
                .header("Authorization", "Bearer sk-test")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CHAT_BODY))
                .timeout(Duration.ofSeconds(5))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fake.baseUrl() + path))
                .timeout(Duration.ofSeconds(5));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> events(String body) {
        return Arrays.stream(body.split("\n\n")).filter(e -> !e.isBlank()).toList();
    }
}
