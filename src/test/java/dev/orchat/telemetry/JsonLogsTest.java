package dev.orchat.telemetry;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.Scripts;
import dev.orchat.testing.SseClient;
import dev.orchat.testing.TestApp;
import dev.orchat.testing.ToolCallSpec;
import dev.orchat.testing.Uploads;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code LOG_FORMAT=json} (docs/operations.md, "Logging"): one JSON object per application log line, the lines of a
 * turn carry request, session and turn ids, and no secret, token, code or signed-URL signature reaches the log
 * while a turn with a tool round, refused and accepted bearer tokens, an upload, a signed download and an OAuth
 * callback run.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class JsonLogsTest {
    static final String API_KEY = "sk-or-v1-secret-api-key-4711";
    static final String TOKEN = "bearer-secret-token-0815";
    static final String WRONG_TOKEN = "wrong-secret-token-1234";
    static final String SIGNING_KEY = "url-signing-secret-key-5678";
    static final String OAUTH_CODE = "oauth-secret-code-9999";
    static final ByteArrayOutputStream CAPTURED = new ByteArrayOutputStream();
    static final PrintStream ORIGINAL_OUT = teeStdout();
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, TestApp.tempDir(),
            // What LOG_FORMAT=json sets through config.yml.
            TestApp.set("logging.appenders[0].layout.type", "json"),
            TestApp.set("server.requestLog.appenders[0].layout.type", "access-json"),
            TestApp.set("logging.level", "INFO"),
            TestApp.set("openrouter.apiKey", API_KEY),
            TestApp.set("auth.tokens", TOKEN),
            TestApp.set("auth.urlSigningKey", SIGNING_KEY));
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Logback's console appender writes through {@code System.out} at each call, so a tee sees every line. */
    static PrintStream teeStdout() {
        PrintStream original = System.out;
        System.setOut(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                synchronized (CAPTURED) {
                    CAPTURED.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                original.write(b, off, len);
                synchronized (CAPTURED) {
                    CAPTURED.write(b, off, len);
                }
            }
        }, true, StandardCharsets.UTF_8));
        return original;
    }

    @AfterAll
    static void restore() {
        FAKE.close();
        System.setOut(ORIGINAL_OUT);
    }

    static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort() + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void jsonLinesCarryTheTurnIdsAndNoSecret() throws Exception {
        FAKE.setExpectedApiKey(API_KEY);
        FAKE.enqueue(Scripts.toolCalls(new ToolCallSpec("call_1", "calculator_evaluate",
                        "{\"operation\":\"divide\",\"a\":1,\"b\":0}")),
                Scripts.text("Cannot", " divide."));
        try (SseClient.Stream stream = SseClient.post(APP.getLocalPort(),
                "{\"session_id\":\"json-logs\",\"messages\":[{\"role\":\"user\",\"content\":\"divide\"}]}",
                "application/json", TOKEN)) {
            assertThat(stream.readAll()).anyMatch(e -> e.data().equals("[DONE]"));
        }
        assertThat(get("/api/chat/sessions", WRONG_TOKEN).statusCode()).isEqualTo(401);
        HttpResponse<String> upload = Uploads.form().field("session_id", "json-logs")
                .file("notes.txt", "text/plain", "hello".getBytes(StandardCharsets.UTF_8))
                .send(APP.getLocalPort(), "Authorization", "Bearer " + TOKEN);
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
        String signed = findSigned(JSON.readTree(upload.body()));
        assertThat(signed).as(upload.body()).contains("sig=");
        String sig = signed.substring(signed.indexOf("sig=") + 4).split("&")[0];
        String path = signed.startsWith("http") ? URI.create(signed).getRawPath() + "?" + URI.create(signed).getRawQuery() : signed;
        assertThat(get(path, null).statusCode()).isEqualTo(200);
        get("/api/google-auth/callback?code=" + OAUTH_CODE + "&state=" + OAUTH_CODE, null);

        String log;
        synchronized (CAPTURED) {
            log = CAPTURED.toString(StandardCharsets.UTF_8);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : log.split("\n")) {
            if (line.startsWith("{")) {
                lines.add(JSON.readTree(line));
            }
        }
        assertThat(lines).as("application lines in JSON").filteredOn(l -> l.has("logger")).isNotEmpty()
                .allSatisfy(l -> assertThat(l.has("level") && l.has("message")).as(l.toString()).isTrue());
        JsonNode ended = lines.stream().filter(l -> l.path("message").asText().contains("ended: complete")).findFirst()
                .orElseThrow(() -> new AssertionError("no turn-ended line in " + log));
        assertThat(ended.path("mdc").path("session_id").asText()).isEqualTo("json-logs");
        assertThat(ended.path("mdc").path("turn_id").asText()).matches("[0-9a-f]{32}");
        assertThat(ended.path("mdc").path("request_id").asText()).isNotBlank();

        assertThat(lines).as("the request log in JSON too").anySatisfy(l -> assertThat(l.path("uri").asText(
                l.path("requestUri").asText())).isEqualTo("/api/chat/stream"));

        assertThat(log).doesNotContain(API_KEY).doesNotContain(TOKEN).doesNotContain(WRONG_TOKEN)
                .doesNotContain(SIGNING_KEY).doesNotContain(OAUTH_CODE).doesNotContain(sig);
    }

    static String findSigned(JsonNode node) {
        if (node.isTextual() && node.asText().contains("sig=")) {
            return node.asText();
        }
        for (JsonNode child : node) {
            String found = findSigned(child);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
