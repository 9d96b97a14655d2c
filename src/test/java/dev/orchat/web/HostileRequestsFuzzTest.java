package dev.orchat.web;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.SseClient;
import dev.orchat.testing.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 10,000 hostile requests across every route of docs/api.md §2: malformed URLs (bad percent-encoding, encoded CR/LF,
 * {@code %2F}, dot segments, over-long), hostile headers (malformed or foreign {@code Host}, huge or many headers,
 * bad {@code Content-Length}) and hostile bodies (garbage, truncated, deeply nested, bad chunking). No answer is a
 * server error, every error answer is the documented JSON shape without the injected markup, and the service is
 * healthy afterwards (docs/api.md §1.2).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class HostileRequestsFuzzTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, TestApp.tempDir());
    static final ObjectMapper JSON = new ObjectMapper();
    static final int REQUESTS = 10_000;
    static final String MARKUP = "<script>alert(1)</script>";

    /** Every route of docs/api.md §2; {id} is replaced by a fuzzed path segment. */
    static final List<String[]> ROUTES = List.of(
            r("GET", "/health"), r("POST", "/api/chat/stream"), r("POST", "/api/chat/session/{id}/cancel"),
            r("GET", "/api/chat/sessions"), r("GET", "/api/chat/sessions/"), r("GET", "/api/chat/session/{id}"),
            r("PATCH", "/api/chat/session/{id}"), r("DELETE", "/api/chat/session/{id}"),
            r("DELETE", "/api/chat/session/{id}/messages/{id}"), r("GET", "/api/chat/generation/{id}"),
            r("GET", "/api/chat/turns/{id}/events"),
            r("GET", "/api/mcp/servers"), r("PUT", "/api/mcp/servers"), r("PATCH", "/api/mcp/servers/{id}"),
            r("POST", "/api/mcp/servers/refresh"), r("POST", "/api/mcp/servers/import"),
            r("POST", "/api/uploads"), r("GET", "/api/uploads/{id}"), r("GET", "/api/uploads/{id}/content"),
            r("DELETE", "/api/uploads/{id}"), r("GET", "/api/models"), r("GET", "/api/models/metadata"),
            r("GET", "/api/settings/model"), r("PUT", "/api/settings/model"),
            r("GET", "/api/settings/model/active-provider"), r("GET", "/api/settings/system-prompt"),
            r("PUT", "/api/settings/system-prompt"), r("GET", "/api/presets"), r("POST", "/api/presets"),
            r("GET", "/api/presets/default"), r("GET", "/api/presets/{id}"), r("PUT", "/api/presets/{id}"),
            r("DELETE", "/api/presets/{id}"), r("POST", "/api/presets/{id}/set-default"),
            r("POST", "/api/presets/{id}/apply"), r("POST", "/api/stt/deepgram/token"),
            r("POST", "/api/google-auth/authorize"), r("GET", "/api/google-auth/callback"),
            r("GET", "/api/google-auth/status"), r("GET", "/api/google-auth/status/{id}"),
            r("DELETE", "/api/google-auth/token"), r("GET", "/v1/models"), r("POST", "/v1/chat/completions"),
            r("GET", "/api/no-such-route"));

    /** Routes whose documented answer to a missing or failing dependency is 502/503/504 (docs/api.md §1.2). */
    static final List<String> DEPENDENCY_ROUTES = List.of("/api/stt/", "/api/google-auth/", "/api/chat/generation/",
            "/api/models", "/api/settings/model/active-provider", "/v1/models");

    static final String[] SEGMENTS = {"abc", "0123456789abcdef0123456789abcdef", "%zz", "%", "%2", "%2F", "a%2Fb",
            "%0D%0A", "a%0d%0aSet-Cookie:x=1", "..", "%2e%2e", ".%2e", "%00", "%5C", "%25", "a;b=c", "%ff%fe",
            "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "\u00e9t\u00e9", "x".repeat(300), "a b", "a\"b", "{id}", "*",
            "~", "%C0%AF", "%u002e", "..%2F..%2Fetc%2Fpasswd", "", "a/../../b", "a//b"};

    static final String[] QUERIES = {"", "?cursor=%zz", "?cursor=" + "9".repeat(40), "?limit=-1", "?limit=abc",
            "?filters=%5B%5B%5B", "?on_conflict=explode", "?q=%00%0d%0a", "?sig=&exp=-1", "?x=" + "y".repeat(5000),
            "?%", "?a=1&a=2&a=%3Cscript%3E", "?state=%3Cscript%3E&code=x", "?#frag",
            "?after=-1", "?after=abc", "?after=" + "9".repeat(30), "?after=1&after=2"};

    static final String[] BODIES = {"", "{", "}", "null", "[]", "\"str\"", "123", "{\"messages\":",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "{\"messages\":[{\"role\":\"" + MARKUP + "\"}]}",
            "{\"" + MARKUP + "\":1}", "{\"name\":\"" + MARKUP + "\",\"settings\":{}}", "{\"title\":" + "1".repeat(400) + "}",
            "[".repeat(5000), "{\"a\":".repeat(3000), "{\"model\":{\"$gt\":\"\"}}", "{\"servers\":\"x\"}",
            "{\"prompt\":null}", "\u0000\u0001\u0002", "{\"messages\":[{\"role\":\"user\",\"content\":\"\\ud800\"}]}",
            "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../a.txt\"\r\n\r\nhi\r\n--x--\r\n",
            "--x\r\nContent-Disposition: form-data; name=\"file\"\r\n", "a=1&b=2", "x".repeat(70_000)};

    static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-16", "text/plain",
            "multipart/form-data; boundary=x", "multipart/form-data", "application/x-www-form-urlencoded",
            "application/json; boundary=\"", MARKUP, "*/*", null};

    static final String[][] HEADERS = {{"X-Request-Id", MARKUP}, {"X-Request-Id", "x".repeat(200)},
            {"Origin", "https://evil.example"}, {"Origin", MARKUP}, {"Origin", "null"}, {"Authorization", "Bearer " + MARKUP},
            {"Accept", "text/html"}, {"Accept", "application/xml"}, {"Accept-Charset", "utf-7"}, {"Accept-Encoding", "gzip, br"},
            {"X-Big", "b".repeat(20_000)}, {"Cookie", "a=" + MARKUP}, {"Last-Event-ID", "-1"}, {"Last-Event-ID", "x"},
            {"Last-Event-ID", "9".repeat(30)}, {"Range", "bytes=9-1"},
            {"Expect", "100-continue"}, {"X-Forwarded-For", "1.2.3.4, <x>"}, {"X-Forwarded-Host", "evil.example"},
            {"Transfer-Encoding", "gzip"}, {"Content-Encoding", "gzip"}, {"If-None-Match", "*"}};

    static final String[] HOSTS = {"127.0.0.1:%d", "127.0.0.1:%d", "localhost:%d", "evil.example.com",
            "192.168.1.5:%d", "a:b:c", "[::1", MARKUP, "", "127.0.0.1:99999", "127.0.0.1:%d\r\nHost: evil"};

    static String[] r(String method, String path) {
        return new String[] {method, path};
    }

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    @Test
    void hostileRequestsNeverGetAServerErrorAndEveryErrorIsDocumentedJson() throws Exception {
        FAKE.setRecording(false);
        int port = APP.getLocalPort();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger unanswered = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        for (int worker = 0; worker < 4; worker++) {
            int seed = 17 + worker;
            futures.add(pool.submit(() -> {
                Random random = new Random(seed);
                for (int i = 0; i < REQUESTS / 4; i++) {
                    HostileRequest request = HostileRequest.random(random, port);
                    HostileRequest.Answer answer = request.send(port);
                    if (answer == null) {
                        unanswered.incrementAndGet();
                        failures.add("no answer: " + request.describe());
                        continue;
                    }
                    statuses.computeIfAbsent(answer.status(), s -> new AtomicInteger()).incrementAndGet();
                    String problem = check(request, answer);
                    if (problem != null) {
                        failures.add(problem + " <- " + request.describe());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        System.out.println("Hostile requests by status: " + new TreeMap<>(statuses));
        assertThat(failures).as("%d failures, the first: %s", failures.size(), failures.stream().limit(30).toList())
                .isEmpty();
        assertThat(statuses.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(REQUESTS);
        assertThat(statuses.keySet()).as("the generator reaches Jetty's own refusals, Jersey's and the features'")
                .contains(400, 403, 404, 405, 414, 431, 415, 422);
        assertHealthyAfterwards(port);
    }

    @Test
    void jettysOwnRefusalsAnswerInTheApiShape() {
        int port = APP.getLocalPort();
        String host = "127.0.0.1:" + port;
        Object[][] cases = {
                {"GET /api/chat/sessions%zz HTTP/1.1", host, 400, "Bad Request"},
                {"GET /api/chat/session/a%2Fb HTTP/1.1", host, 400, "Ambiguous URI path separator"},
                {"GET /api/chat/session/a%0D%0Ab HTTP/1.1", host, 400, "Suspicious Path Character"},
                {"GET /api/chat/%2e%2e/sessions HTTP/1.1", host, 400, "Ambiguous URI path segment"},
                {"GET //api//chat/sessions HTTP/1.1", host, 400, "Ambiguous URI empty segment"},
                {"GET /api/" + "a".repeat(20_000) + " HTTP/1.1", host, 414, "URI Too Long"},
                {"GET /api/chat/sessions HTTP/1.1", "a:b:c", 400, "Bad HostPort"},
                {"GET /api/chat/sessions HTTP/1.1", MARKUP, 400, "Bad HostPort"},
                {"DELETE /api/chat/session/abc HTTP/1.1", host + "\r\nHost: evil", 400, "Duplicate Host Header"},
                {"GET /api/chat/sessions HTTP/9.9", host, 400, "Unknown Version"},
                {"PATCH /api/chat/session/x%zz HTTP/1.1", host, 400, "Bad Request"},
                {"GET /api/chat/sessions HTTP/1.1", host + "\r\nX-Big: " + "b".repeat(20_000), 431,
                        "Request Header Fields Too Large"},
        };
        for (Object[] c : cases) {
            String[] line = ((String) c[0]).split(" ");
            HostileRequest request = new HostileRequest(line[0], line[1], line[1],
                    List.of("Host: " + c[1], "Accept: text/html", "Accept-Charset: utf-7"), new byte[0], false, false, false);
            HostileRequest.Answer answer = request.send(port, line[2]);
            assertThat(answer).as(request.describe()).isNotNull();
            assertThat(answer.status()).as(request.describe()).isEqualTo(c[2]);
            assertThat(answer.headers().get("content-type")).as(request.describe()).startsWith("application/json");
            assertThat(answer.body()).as(request.describe()).isEqualTo("{\"detail\":\"" + c[3] + "\"}");
        }
    }

    /** Null when the answer is acceptable, otherwise what is wrong with it. */
    static String check(HostileRequest request, HostileRequest.Answer answer) {
        int status = answer.status();
        if (status >= 500 && !(status <= 504 && status >= 502 && DEPENDENCY_ROUTES.stream().anyMatch(request.path()::startsWith))) {
            return "server error " + status + " " + abbreviate(answer.body());
        }
        if (status < 400 || request.method().equals("HEAD")) {
            return null;
        }
        String type = answer.headers().getOrDefault("content-type", "");
        if (!type.startsWith("application/json")) {
            return status + " with content type '" + type + "': " + abbreviate(answer.body());
        }
        if (answer.body().contains("<script") || answer.body().contains("<x>")) {
            return status + " echoes markup: " + abbreviate(answer.body());
        }
        try {
            JsonNode body = JSON.readTree(answer.body());
            if (request.path().startsWith("/v1/") && body != null && body.isObject() && body.size() == 1
                    && body.has("error")) {
                // The OpenAI-compatible API answers in OpenAI's error shape (docs/api.md §5.5).
                JsonNode error = body.get("error");
                return error.path("message").isTextual() && !error.path("message").asText().isBlank()
                        && error.path("type").isTextual() && error.has("param") && error.has("code")
                        ? null : status + " with an incomplete OpenAI error: " + abbreviate(answer.body());
            }
            if (body == null || !body.isObject() || body.size() != 1 || !body.has("detail")) {
                return status + " not {\"detail\": …}: " + abbreviate(answer.body());
            }
            JsonNode detail = body.get("detail");
            if (detail.isTextual() && !detail.asText().isBlank()) {
                return null;
            }
            if (detail.isArray() && !detail.isEmpty()) {
                for (JsonNode item : detail) {
                    if (!item.path("loc").isArray() || !item.path("msg").isTextual() || !item.path("type").isTextual()) {
                        return status + " validation item without loc/msg/type: " + abbreviate(answer.body());
                    }
                }
                return null;
            }
            return status + " with an empty detail: " + abbreviate(answer.body());
        } catch (Exception e) {
            return status + " not JSON: " + abbreviate(answer.body());
        }
    }

    static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    static void assertHealthyAfterwards(int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        HttpResponse<String> checks = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + APP.getAdminPort() + "/healthcheck")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(checks.statusCode()).as(checks.body()).isEqualTo(200);
        try (SseClient.Stream stream = SseClient.post(port, "{\"session_id\":\"after-fuzz\",\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"still there?\"}]}")) {
            assertThat(stream.readAll()).anyMatch(e -> e.data().contains("from")).anyMatch(e -> e.data().equals("[DONE]"));
        }
        HttpResponse<String> session = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/chat/session/after-fuzz")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(session.statusCode()).as(session.body()).isEqualTo(200);
    }

    /** One generated request, written on its own connection so that a malformed one cannot poison the next. */
    record HostileRequest(String method, String path, String target, List<String> headerLines, byte[] body,
                          boolean chunked, boolean badChunk, boolean truncated) {
        record Answer(int status, Map<String, String> headers, String body) {
        }

        static HostileRequest random(Random random, int port) {
            String[] route = ROUTES.get(random.nextInt(ROUTES.size()));
            String method = random.nextInt(6) == 0
                    ? pick(random, new String[] {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "FOO", "get"})
                    : route[0];
            String path = route[1];
            while (path.contains("{id}")) {
                path = path.replaceFirst("\\{id}", java.util.regex.Matcher.quoteReplacement(
                        random.nextInt(3) == 0 ? "abc" : pick(random, SEGMENTS)));
            }
            String target = path + (random.nextInt(3) == 0 ? pick(random, QUERIES) : "");
            switch (random.nextInt(12)) {
                case 0 -> target = target.replaceFirst("/api/", "/api/%zz/");
                case 1 -> target = target.replaceFirst("/api/", "/api/../");
                case 2 -> target = target + "/" + "a".repeat(9_000 + random.nextInt(20_000));
                case 3 -> target = target.replace("/", "//");
                case 4 -> target = "http://evil.example" + target;
                case 5 -> target = target + "%0d%0aX-Injected: 1";
                default -> { }
            }
            List<String> headers = new ArrayList<>();
            String host = random.nextInt(4) == 0 ? pick(random, HOSTS) : "127.0.0.1:%d";
            if (random.nextInt(25) != 0) {
                headers.add("Host: " + (host.contains("%d") ? String.format(host, port) : host));
            }
            String type = pick(random, CONTENT_TYPES);
            if (type != null && !method.equals("GET")) {
                headers.add("Content-Type: " + type);
            }
            for (int n = random.nextInt(3); n > 0; n--) {
                String[] h = HEADERS[random.nextInt(HEADERS.length)];
                headers.add(h[0] + ": " + h[1]);
            }
            if (random.nextInt(40) == 0) {
                for (int n = 0; n < 1500; n++) {
                    headers.add("X-Many-" + n + ": v");
                }
            }
            if (random.nextInt(40) == 0) {
                headers.add("Bad Header Name: x");
            }
            byte[] body = method.equals("GET") && random.nextBoolean() ? new byte[0]
                    : random.nextInt(15) == 0 ? randomBytes(random) : pick(random, BODIES).getBytes(StandardCharsets.UTF_8);
            int framing = random.nextInt(12);
            boolean chunked = framing == 0 || framing == 1;
            boolean badChunk = framing == 1;
            boolean truncated = framing == 2 && body.length > 0;
            if (framing == 3) {
                headers.add("Content-Length: " + pick(random, new String[] {"-1", "abc", "1, 2", "99999999999999999999"}));
            }
            return new HostileRequest(method, route[1], target, headers, body, chunked, badChunk, truncated);
        }

        static String pick(Random random, String[] values) {
            return values[random.nextInt(values.length)];
        }

        static byte[] randomBytes(Random random) {
            byte[] bytes = new byte[1 + random.nextInt(512)];
            random.nextBytes(bytes);
            return bytes;
        }

        String describe() {
            String shown = target.length() > 120 ? target.substring(0, 120) + "…" : target;
            return method + " " + shown + " headers=" + headerLines.stream().map(h -> h.length() > 60 ? h.substring(0, 60) + "…" : h)
                    .limit(6).toList() + " body=" + body.length + "B" + (chunked ? " chunked" : "") + (badChunk ? " bad-chunk" : "")
                    + (truncated ? " truncated" : "");
        }

        Answer send(int port) {
            return send(port, "HTTP/1.1");
        }

        Answer send(int port, String version) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                socket.setSoTimeout(20_000);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes((method + " " + target + " " + version + "\r\n").getBytes(StandardCharsets.UTF_8));
                for (String h : headerLines) {
                    out.writeBytes((h + "\r\n").getBytes(StandardCharsets.UTF_8));
                }
                out.writeBytes("Connection: close\r\n".getBytes(StandardCharsets.US_ASCII));
                if (chunked) {
                    out.writeBytes("Transfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.writeBytes((badChunk ? "zz\r\n" : Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.writeBytes(body);
                    out.writeBytes(badChunk ? new byte[0] : "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } else {
                    boolean declared = headerLines.stream().anyMatch(h -> h.startsWith("Content-Length"));
                    if (!declared) {
                        out.writeBytes(("Content-Length: " + (body.length + (truncated ? 10 : 0)) + "\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                    }
                    out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.writeBytes(body);
                }
                try {
                    socket.getOutputStream().write(out.toByteArray());
                    socket.getOutputStream().flush();
                    if (truncated || badChunk) {
                        socket.shutdownOutput(); // the body ends early: Jetty sees EOF mid-body
                    }
                } catch (java.io.IOException e) {
                    // The server may answer and close before reading everything (e.g. a refused huge header).
                }
                return read(socket);
            } catch (java.io.IOException e) {
                return null;
            }
        }

        private static Answer read(java.net.Socket socket) {
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(received);
            } catch (java.io.IOException e) {
                // A reset after the answer was sent still leaves the answer readable.
            }
            byte[] bytes = received.toByteArray();
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            while (text.startsWith("HTTP/1.1 1") && text.indexOf("\r\n\r\n") > 0) {
                text = text.substring(text.indexOf("\r\n\r\n") + 4); // "100 Continue" precedes the answer
            }
            int end = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/1.1 ") || end < 0) {
                return null;
            }
            String[] lines = text.substring(0, end).split("\r\n");
            int status = Integer.parseInt(lines[0].substring(9, 12));
            Map<String, String> headers = new java.util.HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
                            lines[i].substring(colon + 1).trim());
                }
            }
            String rawBody = text.substring(end + 4);
            String body = "chunked".equalsIgnoreCase(headers.get("transfer-encoding")) ? dechunk(rawBody) : rawBody;
            return new Answer(status, headers, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
        }

        private static String dechunk(String raw) {
            StringBuilder body = new StringBuilder();
            int at = 0;
            while (at < raw.length()) {
                int eol = raw.indexOf("\r\n", at);
                if (eol < 0) {
                    break;
                }
                int size = Integer.parseInt(raw.substring(at, eol).split(";")[0].trim(), 16);
                if (size == 0) {
                    break;
                }
                body.append(raw, eol + 2, Math.min(raw.length(), eol + 2 + size));
                at = eol + 2 + size + 2;
            }
            return body.toString();
        }
    }
}
