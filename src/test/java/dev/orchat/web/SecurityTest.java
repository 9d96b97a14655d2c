package dev.orchat.web;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bearer tokens, Host and Origin checks, CORS (docs/api.md §1.1). */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class SecurityTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final DropwizardAppExtension<OrchatConfiguration> TOKENS = TestApp.create(FAKE, TestApp.tempDir(),
            TestApp.set("auth.tokens", "first-token, second-token"));
    static final DropwizardAppExtension<OrchatConfiguration> OPEN = TestApp.create(FAKE, TestApp.tempDir(),
            TestApp.set("cors.allowedOrigins", "https://ui.example.com"));
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    static HttpResponse<String> get(int port, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void apiRoutesNeedABearerTokenButHealthDoesNot() throws Exception {
        int port = TOKENS.getLocalPort();
        HttpResponse<String> anonymous = get(port, "/api/chat/sessions");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(anonymous.body()).get("detail").asText()).isEqualTo("Not authenticated");
        assertThat(anonymous.headers().firstValue("www-authenticate")).hasValue("Bearer");
        assertThat(get(port, "/api/chat/sessions", "Authorization", "Bearer nope").statusCode()).isEqualTo(401);
        assertThat(get(port, "/api/chat/sessions", "Authorization", "Basic Zmlyc3QtdG9rZW4=").statusCode()).isEqualTo(401);
        assertThat(get(port, "/api/chat/sessions", "Authorization", "Bearer first-token").statusCode()).isEqualTo(200);
        assertThat(get(port, "/api/chat/sessions", "Authorization", "bearer second-token").statusCode()).isEqualTo(200);
        assertThat(get(port, "/api/unknown", "Authorization", "Bearer first-token").statusCode()).isEqualTo(404);
        assertThat(get(port, "/api/unknown").statusCode()).isEqualTo(401);
        assertThat(get(port, "/health").statusCode()).isEqualTo(200);
        HttpResponse<String> chat = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/chat/stream"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chat.statusCode()).isEqualTo(401);
    }

    @Test
    @Order(Integer.MAX_VALUE) // blocks the test client's address for a minute, so it runs last
    void repeatedFailuresFromOneAddressAreRateLimited() throws Exception {
        int port = TOKENS.getLocalPort();
        int limited = 0;
        for (int i = 0; i < 12; i++) {
            int status = get(port, "/api/chat/sessions", "Authorization", "Bearer wrong-" + i).statusCode();
            if (status == 429) {
                limited++;
            }
        }
        assertThat(limited).isGreaterThan(0);
        HttpResponse<String> blocked = get(port, "/api/chat/sessions", "Authorization", "Bearer first-token");
        assertThat(blocked.statusCode()).isEqualTo(429);
        assertThat(blocked.headers().firstValue("retry-after")).isPresent();
    }

    @Test
    void withoutTokensAForeignHostIsRejected() throws Exception {
        assertThat(rawStatus(OPEN.getLocalPort(), "evil.example.com")).isEqualTo(403);
        assertThat(rawStatus(OPEN.getLocalPort(), "127.0.0.1:" + OPEN.getLocalPort())).isEqualTo(200);
        assertThat(rawStatus(OPEN.getLocalPort(), "localhost")).isEqualTo(200);
    }

    @Test
    void foreignOriginsCannotChangeStateAndAllowListedOnesGetCors() throws Exception {
        int port = OPEN.getLocalPort();
        HttpResponse<String> foreign = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/chat/session/abc"))
                .header("Origin", "https://evil.example").DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(foreign.statusCode()).isEqualTo(403);
        HttpResponse<String> listed = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/chat/session/abc"))
                .header("Origin", "https://ui.example.com").DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(listed.statusCode()).isEqualTo(404);
        assertThat(listed.headers().firstValue("access-control-allow-origin")).hasValue("https://ui.example.com");
        HttpResponse<String> sameOrigin = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/chat/session/abc"))
                .header("Origin", "http://localhost:" + port).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(sameOrigin.statusCode()).isEqualTo(404);
        HttpResponse<String> preflight = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/chat/stream"))
                .header("Origin", "http://localhost:5173").header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue("http://localhost:5173");
        assertThat(preflight.headers().firstValue("access-control-allow-headers").orElse("")).contains("Authorization");
        HttpResponse<String> requestId = get(port, "/health", "X-Request-Id", "abc.DEF-123");
        assertThat(requestId.headers().firstValue("x-request-id")).hasValue("abc.DEF-123");
        assertThat(get(port, "/health", "X-Request-Id", "bad id!").headers().firstValue("x-request-id").orElse(""))
                .matches("[0-9a-f]{32}");
    }

    @Test
    void refusalsNameTheSettingThatAllowsTheRequest() throws Exception {
        String host = rawAnswer(OPEN.getLocalPort(), "192.168.1.5:8000");
        assertThat(host).startsWith("HTTP/1.1 403").contains("application/json")
                .contains("Host not allowed: ").contains("set PUBLIC_BASE_URL=http://192.168.1.5:8000").contains("AUTH_TOKENS");
        HttpResponse<String> origin = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + OPEN.getLocalPort()
                        + "/api/chat/session/abc")).header("Origin", "http://192.168.1.5:8000").DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(origin.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(origin.body()).get("detail").asText()).startsWith("Origin not allowed: ")
                .contains("http://192.168.1.5:8000").contains("CORS_ALLOWED_ORIGINS");
    }

    static String rawAnswer(int port, String host) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /health HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static int rawStatus(int port, String host) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /health HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(head.substring(9, 12));
        }
    }
}
