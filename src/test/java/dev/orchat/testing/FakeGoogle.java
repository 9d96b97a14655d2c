package dev.orchat.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Google on loopback for tests: OAuth token endpoint (authorization code with PKCE S256, refresh with optional
 * rotation, {@code invalid_grant} mode), revocation, and the REST calls of the Google built-ins (Gmail here, see
 * {@link FakeGmail}). Wire formats follow Google's: form posts in, JSON out, {@code {"error": …}} on failure.
 *
 * <p>ID tokens are unsigned JWTs ({@code alg: none}) carrying {@code iss}, {@code aud}, {@code sub} and
 * {@code email}: the service reads them without a signature check because they come straight from the token
 * endpoint (OpenID Connect Core §3.1.3.7), so the fake need not sign them.
 *
 * <p>The consent screen is not served over HTTP: {@link #consent(String)} plays the user's "Allow" and returns the
 * redirect Google would send the browser to.
 */
public final class FakeGoogle implements AutoCloseable {
    public static final String CLIENT_ID = "fake-client.apps.googleusercontent.com";
    public static final String CLIENT_SECRET = "fake-client-secret-XYZ";
    public static final String EMAIL = "ada@example.com";
    public static final String SUBJECT = "108234567890";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Map<String, String> refreshTokens = new ConcurrentHashMap<>(); // refresh token → scope
    private final Set<String> accessTokens = ConcurrentHashMap.newKeySet();
    private final Queue<String> revoked = new ConcurrentLinkedQueue<>();
    private final Queue<String> apiCalls = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> faults = new ConcurrentHashMap<>();
    private final Map<String, Integer> faultStatus = new ConcurrentHashMap<>();
    private final AtomicInteger refreshes = new AtomicInteger();
    private final AtomicInteger exchanges = new AtomicInteger();
    private final FakeGmail gmail = new FakeGmail();
    private final FakeCalendar calendar = new FakeCalendar();
    private final FakeDrive drive = new FakeDrive();
    private volatile long accessTtlSeconds = 3600;
    private volatile boolean rotateRefreshTokens = true;
    private volatile boolean invalidGrant;
    private volatile long refreshDelayMillis;
    private volatile String grantedScopeOverride;

    private record Grant(String redirectUri, String challenge, String scope) {
    }

    private FakeGoogle() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-google");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/token", ex -> handle(ex, this::token));
        server.createContext("/revoke", ex -> handle(ex, this::revoke));
        server.createContext("/gmail/v1/", ex -> handle(ex, this::api));
        server.createContext("/calendar/v3/", ex -> handle(ex, this::api));
        server.createContext("/tasks/v1/", ex -> handle(ex, this::api));
        server.createContext("/drive/v3/", ex -> handle(ex, this::api));
        server.start();
    }

    public static FakeGoogle start() {
        try {
            return new FakeGoogle();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public FakeGmail gmail() {
        return gmail;
    }

    public FakeCalendar calendar() {
        return calendar;
    }

    public FakeDrive drive() {
        return drive;
    }

    /** Settings pointing the service at this fake, plus the client file and a fresh encryption key. */
    public TestApp.Setting[] settings(Path dir, TestApp.Setting... extra) {
        Path client = dir.resolve("client_secret_fake.json");
        try {
            Files.writeString(client, "{\"web\":{\"client_id\":\"" + CLIENT_ID + "\",\"project_id\":\"fake\","
                    + "\"auth_uri\":\"https://accounts.google.com/o/oauth2/auth\",\"token_uri\":\"https://oauth2.googleapis.com/token\","
                    + "\"client_secret\":\"" + CLIENT_SECRET + "\",\"redirect_uris\":[\"http://localhost:8000/api/google-auth/callback\"]}}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<TestApp.Setting> all = new java.util.ArrayList<>(List.of(
                TestApp.set("google.clientSecretFile", client.toString()),
                TestApp.set("security.tokenEncryptionKey", KEY),
                TestApp.set("google.authorizationUrl", baseUrl() + "/o/oauth2/v2/auth"),
                TestApp.set("google.tokenUrl", baseUrl() + "/token"),
                TestApp.set("google.revokeUrl", baseUrl() + "/revoke"),
                TestApp.set("google.gmailBaseUrl", baseUrl() + "/gmail/v1"),
                TestApp.set("google.driveBaseUrl", baseUrl() + "/drive/v3"),
                TestApp.set("google.calendarBaseUrl", baseUrl() + "/calendar/v3"),
                TestApp.set("google.tasksBaseUrl", baseUrl() + "/tasks/v1")));
        all.addAll(List.of(extra));
        return all.toArray(TestApp.Setting[]::new);
    }

    /** A fixed test key (base64 of 32 bytes). */
    public static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    /** Plays the consent screen: validates the URL's parameters and returns the redirect with code and state. */
    public String consent(String authUrl) {
        Map<String, String> q = query(URI.create(authUrl).getRawQuery());
        if (!CLIENT_ID.equals(q.get("client_id")) || !"code".equals(q.get("response_type"))
                || !"S256".equals(q.get("code_challenge_method")) || q.get("code_challenge") == null) {
            throw new IllegalArgumentException("consent URL lacks required parameters: " + q.keySet());
        }
        String code = "4/fake-code-" + ids.incrementAndGet();
        codes.put(code, new Grant(q.get("redirect_uri"), q.get("code_challenge"), q.get("scope")));
        return q.get("redirect_uri") + "?state=" + enc(q.get("state")) + "&code=" + enc(code) + "&scope=" + enc(q.get("scope"));
    }

    /** A refresh token as if a consent had happened earlier, for tests that seed the database themselves. */
    public String issueRefreshToken(String scope) {
        String refresh = "1//fake-refresh-" + ids.incrementAndGet();
        refreshTokens.put(refresh, scope);
        return refresh;
    }

    public void setAccessTtlSeconds(long seconds) { accessTtlSeconds = seconds; }
    public void setRotateRefreshTokens(boolean rotate) { rotateRefreshTokens = rotate; }
    public void setInvalidGrant(boolean on) { invalidGrant = on; }
    public void setRefreshDelayMillis(long millis) { refreshDelayMillis = millis; }
    /** Pretend the user unticked some boxes: the token answers carry this scope string. */
    public void setGrantedScope(String scope) { grantedScopeOverride = scope; }
    public int refreshCount() { return refreshes.get(); }
    public int exchangeCount() { return exchanges.get(); }
    public List<String> revokedTokens() { return List.copyOf(revoked); }
    public List<String> apiCalls() { return List.copyOf(apiCalls); }
    public Set<String> issuedRefreshTokens() { return Set.copyOf(refreshTokens.keySet()); }
    public Set<String> issuedAccessTokens() { return Set.copyOf(accessTokens); }

    /** Every access token stops working (Google answers 401) until the next refresh. */
    public void revokeAccessTokens() { accessTokens.clear(); }

    /** The next {@code times} API calls whose path contains {@code pathPart} answer {@code status}. */
    public void failNext(String pathPart, int status, int times) {
        faultStatus.put(pathPart, status);
        faults.put(pathPart, new AtomicInteger(times));
    }

    /** A fake's answer: status and JSON (or raw bytes). */
    public record Answer(int status, byte[] body, String contentType) {
        public static Answer json(int status, Object body) {
            try {
                return new Answer(status, JSON.writeValueAsBytes(body), "application/json; charset=UTF-8");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public static Answer error(int status, String message) {
            return json(status, Map.of("error", Map.of("code", status, "message", message, "status", "ERROR")));
        }
    }

    /** One request as the handlers see it. */
    public record Request(String method, String path, Map<String, String> query, byte[] body, String bearer) {
        public ObjectNode json() {
            try {
                return (ObjectNode) JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @FunctionalInterface
    private interface Handler {
        Answer answer(Request request) throws Exception;
    }

    private void handle(HttpExchange ex, Handler handler) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            Request req = new Request(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), query(ex.getRequestURI().getRawQuery()),
                    body, auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null);
            Answer a;
            try {
                a = handler.answer(req);
            } catch (Exception e) {
                a = Answer.error(500, "fake failure: " + e);
            }
            ex.getResponseHeaders().set("Content-Type", a.contentType());
            ex.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
            if (a.body().length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(a.body());
                }
            }
        }
    }

    private Answer token(Request req) throws Exception {
        Map<String, String> form = query(new String(req.body(), StandardCharsets.UTF_8));
        if (!"POST".equals(req.method()) || !CLIENT_ID.equals(form.get("client_id")) || !CLIENT_SECRET.equals(form.get("client_secret"))) {
            return Answer.json(401, Map.of("error", "invalid_client", "error_description", "The OAuth client was not found."));
        }
        if ("authorization_code".equals(form.get("grant_type"))) {
            exchanges.incrementAndGet();
            Grant grant = form.get("code") == null ? null : codes.remove(form.get("code"));
            if (grant == null || !grant.redirectUri().equals(form.get("redirect_uri"))
                    || form.get("code_verifier") == null || !grant.challenge().equals(s256(form.get("code_verifier")))) {
                return Answer.json(400, Map.of("error", "invalid_grant", "error_description", "Bad Request"));
            }
            String scope = grantedScopeOverride != null ? grantedScopeOverride : grant.scope();
            String refresh = "1//fake-refresh-" + ids.incrementAndGet();
            refreshTokens.put(refresh, scope);
            Map<String, Object> out = accessAnswer(scope);
            out.put("refresh_token", refresh);
            out.put("id_token", idToken());
            return Answer.json(200, out);
        }
        if ("refresh_token".equals(form.get("grant_type"))) {
            refreshes.incrementAndGet();
            if (refreshDelayMillis > 0) {
                Thread.sleep(refreshDelayMillis);
            }
            String old = form.get("refresh_token");
            String scope = old == null ? null : refreshTokens.get(old);
            if (invalidGrant || scope == null) {
                return Answer.json(400, Map.of("error", "invalid_grant", "error_description", "Token has been expired or revoked."));
            }
            Map<String, Object> out = accessAnswer(scope);
            if (rotateRefreshTokens) {
                refreshTokens.remove(old);
                String next = "1//fake-refresh-" + ids.incrementAndGet();
                refreshTokens.put(next, scope);
                out.put("refresh_token", next);
            }
            return Answer.json(200, out);
        }
        return Answer.json(400, Map.of("error", "unsupported_grant_type"));
    }

    private Map<String, Object> accessAnswer(String scope) {
        String access = "ya29.fake-access-" + ids.incrementAndGet();
        accessTokens.add(access);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("access_token", access);
        out.put("expires_in", accessTtlSeconds);
        out.put("scope", scope);
        out.put("token_type", "Bearer");
        return out;
    }

    private static String idToken() throws IOException {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(JSON.writeValueAsBytes(Map.of("iss", "https://accounts.google.com",
                "aud", CLIENT_ID, "sub", SUBJECT, "email", EMAIL, "email_verified", true)));
        return header + "." + claims + ".";
    }

    private Answer revoke(Request req) {
        String token = query(new String(req.body(), StandardCharsets.UTF_8)).get("token");
        if (token == null) {
            return Answer.json(400, Map.of("error", "invalid_request"));
        }
        revoked.add(token);
        refreshTokens.remove(token);
        accessTokens.remove(token);
        return new Answer(200, new byte[0], "application/json");
    }

    private Answer api(Request req) throws Exception {
        apiCalls.add(req.method() + " " + req.path() + (req.query().isEmpty() ? "" : "?" + req.query()));
        for (Map.Entry<String, AtomicInteger> f : faults.entrySet()) {
            if (req.path().contains(f.getKey()) && f.getValue().getAndDecrement() > 0) {
                return Answer.error(faultStatus.get(f.getKey()), "injected fault");
            }
        }
        if (req.bearer() == null || !accessTokens.contains(req.bearer())) {
            return Answer.error(401, "Request had invalid authentication credentials.");
        }
        if (req.path().startsWith("/calendar/v3")) {
            return calendar.calendarApi(req, req.path().substring("/calendar/v3".length()));
        }
        if (req.path().startsWith("/drive/v3")) {
            return drive.answer(req, req.path().substring("/drive/v3".length()));
        }
        if (req.path().startsWith("/tasks/v1")) {
            return calendar.tasksApi(req, req.path().substring("/tasks/v1".length()));
        }
        return gmail.answer(req, req.path().substring("/gmail/v1/users/me".length()));
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.merge(k, v, (a, b) -> a + "," + b);
        }
        return out;
    }

    private static String s256(String verifier) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
