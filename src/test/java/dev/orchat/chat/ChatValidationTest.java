package dev.orchat.chat;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.Db;
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
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every check of docs/api.md §2.2 answers before the stream opens, with {"detail": ...}; nothing reaches upstream. */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class ChatValidationTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, DIR,
            TestApp.set("chat.maxConcurrentTurns", "2"),
            TestApp.set("chat.maxRequestMessages", "3"),
            TestApp.set("http.maxChatBodyBytes", "20000"),
            TestApp.set("openrouter.timeoutSeconds", "30"),
            TestApp.set("chat.keepAliveInterval", "400ms"));
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String USER = "{\"role\":\"user\",\"content\":\"hi\"}";

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    @BeforeEach
    void resetFake() {
        FAKE.reset();
    }

    static Stream<Arguments> badBodies() {
        String huge = "x".repeat(30_000);
        return Stream.of(
                Arguments.of("not json", "{nope", 400),
                Arguments.of("json array", "[1,2]", 400),
                Arguments.of("json string", "\"hello\"", 400),
                Arguments.of("json null", "null", 400),
                Arguments.of("empty body", "", 400),
                Arguments.of("missing messages", "{}", 422),
                Arguments.of("messages not a list", "{\"messages\":\"hi\"}", 422),
                Arguments.of("empty messages", "{\"messages\":[]}", 422),
                Arguments.of("too many messages", "{\"messages\":[" + USER + "," + USER + "," + USER + "," + USER + "]}", 422),
                Arguments.of("message not an object", "{\"messages\":[42]}", 422),
                Arguments.of("bad role", "{\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}", 422),
                Arguments.of("role null", "{\"messages\":[{\"role\":null,\"content\":\"x\"}]}", 422),
                Arguments.of("missing content", "{\"messages\":[{\"role\":\"user\"}]}", 422),
                Arguments.of("content number", "{\"messages\":[{\"role\":\"user\",\"content\":5}]}", 422),
                Arguments.of("part without type", "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"a\"}]}]}", 422),
                Arguments.of("client id too long", "{\"messages\":[{\"role\":\"user\",\"content\":\"a\",\"client_message_id\":\"" + "c".repeat(129) + "\"}]}", 422),
                Arguments.of("bad session id", "{\"session_id\":\"../etc\",\"messages\":[" + USER + "]}", 422),
                Arguments.of("session id number", "{\"session_id\":7,\"messages\":[" + USER + "]}", 422),
                Arguments.of("blank model", "{\"model\":\"  \",\"messages\":[" + USER + "]}", 422),
                Arguments.of("model too long", "{\"model\":\"" + "m".repeat(201) + "\",\"messages\":[" + USER + "]}", 422),
                Arguments.of("metadata not object", "{\"metadata\":[1],\"messages\":[" + USER + "]}", 422),
                Arguments.of("only assistant messages", "{\"messages\":[{\"role\":\"assistant\",\"content\":\"x\"}]}", 422),
                Arguments.of("unknown attachment", "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"attachment\",\"attachment_id\":\"0123456789abcdef0123456789abcdef\"}]}]}", 422),
                Arguments.of("too many attachments", "{\"messages\":[{\"role\":\"user\",\"content\":[" + "{\"type\":\"attachment\",\"attachment_id\":\"a\"},".repeat(10) + "{\"type\":\"attachment\",\"attachment_id\":\"b\"}]}]}", 422),
                Arguments.of("body too large", "{\"messages\":[{\"role\":\"user\",\"content\":\"" + huge + "\"}]}", 413),
                Arguments.of("unicode and nulls survive validation", "{\"messages\":[{\"role\":\"user\",\"content\":null,\"name\":\"\u00e9\u2603\"}],\"session_id\":\"\u2603\"}", 422));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void badBodiesGetTheSpecifiedStatusWithADetail(String label, String body, int status) throws Exception {
        HttpResponse<String> response = post("/api/chat/stream", body, "application/json");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode json = JSON.readTree(response.body());
        assertThat(json.has("detail")).isTrue();
        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("application/json");
        assertThat(FAKE.chatRequestCount()).isZero();
    }

    @Test
    void validationErrorsUseTheLocationListShape() throws Exception {
        JsonNode detail = JSON.readTree(post("/api/chat/stream", "{\"messages\":[{\"role\":\"bot\",\"content\":\"x\"}]}",
                "application/json").body()).get("detail");
        assertThat(detail.isArray()).isTrue();
        assertThat(detail.get(0).get("loc").toString()).isEqualTo("[\"body\",\"messages\",0,\"role\"]");
        assertThat(detail.get(0).has("msg")).isTrue();
        assertThat(detail.get(0).has("type")).isTrue();
        assertThat(JSON.readTree(post("/api/chat/stream", "{\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}",
                "application/json").body()).get("detail").asText()).isEqualTo("At least one user or system message is required");
    }

    @Test
    void wrongContentTypesUnknownRoutesAndWrongMethods() throws Exception {
        assertThat(post("/api/chat/stream", "{\"messages\":[" + USER + "]}", "text/plain").statusCode()).isEqualTo(415);
        assertThat(post("/api/chat/stream", "messages=1", "application/x-www-form-urlencoded").statusCode()).isEqualTo(415);
        HttpResponse<String> unknown = HTTP.send(HttpRequest.newBuilder(uri("/api/nothing/here")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("detail").asText()).isEqualTo("Not Found");
        HttpResponse<String> method = HTTP.send(HttpRequest.newBuilder(uri("/api/chat/stream")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(method.statusCode()).isEqualTo(405);
        assertThat(JSON.readTree(method.body()).has("detail")).isTrue();
        HttpResponse<String> badPatch = HTTP.send(HttpRequest.newBuilder(uri("/api/chat/session/x"))
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString("{\"title\":")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(badPatch.statusCode()).isIn(400, 404);
        assertThat(JSON.readTree(badPatch.body()).has("detail")).isTrue();
    }

    @Test
    void unknownForwardedKeysGoUpstreamAndServerKeysDoNot() throws Exception {
        FAKE.enqueue(Scripts.text("ok"));
        try (SseClient.Stream stream = SseClient.post(APP.getLocalPort(), "{\"messages\":[" + USER + "],"
                + "\"plugins\":[{\"id\":\"web\"}],\"temperature\":0.2,\"tools\":[{\"x\":1}],\"stream\":false,"
                + "\"metadata\":{\"client_assistant_message_id\":\"a1\"},\"provider\":{\"order\":[\"OpenAI\"]},\"seed\":null}")) {
            stream.readAll();
        }
        JsonNode sent = FAKE.lastChatRequest().json();
        assertThat(sent.get("plugins").toString()).isEqualTo("[{\"id\":\"web\"}]");
        assertThat(sent.get("temperature").asDouble()).isEqualTo(0.2);
        assertThat(sent.get("stream").asBoolean()).isTrue();
        // The client's tools are ignored; the service offers its own registry (docs/api.md §2.2, §4.5 step 4).
        assertThat(sent.get("tools").toString()).doesNotContain("\"x\":1").contains("calculator_evaluate");
        assertThat(sent.get("tool_choice").asText()).isEqualTo("auto");
        assertThat(sent.has("metadata")).isFalse();
        assertThat(sent.has("session_id")).isFalse();
        assertThat(sent.has("seed")).isFalse();
        assertThat(sent.get("provider").toString()).isEqualTo("{\"order\":[\"OpenAI\"]}");
    }

    @Test
    void oneRunningTurnPerSessionAndAServiceWideLimit() throws Exception {
        FAKE.setDefaultScript(Scripts.stallAfter("hold"));
        try (SseClient.Stream a = SseClient.post(APP.getLocalPort(), "{\"session_id\":\"lim-a\",\"messages\":[" + USER + "]}");
             SseClient.Stream b = SseClient.post(APP.getLocalPort(), "{\"session_id\":\"lim-b\",\"messages\":[" + USER + "]}")) {
            assertThat(a.nextNamed("message")).isNotNull();
            assertThat(b.nextNamed("message")).isNotNull();
            HttpResponse<String> same = post("/api/chat/stream", "{\"session_id\":\"lim-a\",\"messages\":[" + USER + "]}", "application/json");
            assertThat(same.statusCode()).isEqualTo(409);
            HttpResponse<String> third = post("/api/chat/stream", "{\"session_id\":\"lim-c\",\"messages\":[" + USER + "]}", "application/json");
            assertThat(third.statusCode()).isEqualTo(429);
            assertThat(third.headers().firstValue("retry-after")).isPresent();
            assertThat(new Db(DIR.resolve("chat.db")).query("SELECT id FROM sessions WHERE id = 'lim-c'")).isEmpty();
            post("/api/chat/session/lim-a/cancel", "", "application/json");
            post("/api/chat/session/lim-b/cancel", "", "application/json");
        }
    }

    @Test
    void aQuietStreamGetsKeepAliveCommentsWithoutIds() throws Exception {
        FAKE.enqueue(Scripts.stallAfter("wait"));
        HttpResponse<java.io.InputStream> response = HTTP.send(HttpRequest.newBuilder(uri("/api/chat/stream"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"session_id\":\"quiet\",\"messages\":[" + USER + "]}")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        StringBuilder seen = new StringBuilder();
        try (java.io.InputStream in = response.body()) {
            byte[] buffer = new byte[4096];
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
            while (!seen.toString().contains(": ping ") && System.nanoTime() < deadline) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                seen.append(new String(buffer, 0, n, java.nio.charset.StandardCharsets.UTF_8));
            }
            post("/api/chat/session/quiet/cancel", "", "application/json");
        }
        assertThat(seen.toString()).containsPattern(": ping \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\n");
        assertThat(seen.toString()).doesNotContain("id: 4");
    }

    static URI uri(String path) {
        return URI.create("http://localhost:" + APP.getLocalPort() + path);
    }

    static HttpResponse<String> post(String path, String body, String contentType) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
