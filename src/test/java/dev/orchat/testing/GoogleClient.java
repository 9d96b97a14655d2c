package dev.orchat.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** Drives the service's Google routes like a browser would, without a browser (no redirects followed). */
public final class GoogleClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final int port;
    private final FakeGoogle google;
    private final String token;

    public GoogleClient(int port, FakeGoogle google) {
        this(port, google, null);
    }

    /** With a bearer token for every route except the callback, which a browser reaches without one. */
    public GoogleClient(int port, FakeGoogle google, String token) {
        this.port = port;
        this.google = google;
        this.token = token;
    }

    private HttpRequest.Builder authed(HttpRequest.Builder b) {
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    /** The answer of POST /authorize: status, JSON body and the state cookie value (null when none was set). */
    public record Authorized(int status, JsonNode body, String cookie) {
        public String authUrl() {
            return body.path("auth_url").asText();
        }
    }

    public Authorized authorize(String body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(authed(HttpRequest.newBuilder(url("/api/google-auth/authorize")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        String cookie = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("google_oauth_state="))
                .map(c -> c.substring("google_oauth_state=".length(), c.indexOf(';'))).findFirst().orElse(null);
        return new Authorized(r.statusCode(), JSON.readTree(r.body()), cookie);
    }

    /** GETs the callback with the query of {@code redirect} (Google's redirect) and an optional cookie. */
    public HttpResponse<String> callback(String redirect, String cookie) throws IOException, InterruptedException {
        String query = URI.create(redirect).getRawQuery();
        HttpRequest.Builder b = HttpRequest.newBuilder(url("/api/google-auth/callback" + (query == null ? "" : "?" + query)));
        if (cookie != null) {
            b.header("Cookie", "google_oauth_state=" + cookie);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The whole happy path; returns the callback's Location. */
    public String connect(boolean write) throws IOException, InterruptedException {
        Authorized a = authorize(write ? "{\"write\":true}" : "{}");
        if (a.status() != 200) {
            throw new AssertionError("authorize answered " + a.status() + " " + a.body());
        }
        HttpResponse<String> cb = callback(google.consent(a.authUrl()), a.cookie());
        return cb.headers().firstValue("Location").orElseThrow();
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(authed(HttpRequest.newBuilder(url(path))).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public JsonNode getJson(String path) throws IOException, InterruptedException {
        return JSON.readTree(get(path).body());
    }

    public HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return http.send(authed(HttpRequest.newBuilder(url(path))).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The MCP status entry of one server. */
    public JsonNode server(String id) throws IOException, InterruptedException {
        for (JsonNode s : getJson("/api/mcp/servers").path("servers")) {
            if (s.path("id").asText().equals(id)) {
                return s;
            }
        }
        throw new AssertionError("no server " + id);
    }

    /** Names of the tools the server exposes to the model now (status entries with {@code enabled: true}). */
    public static List<String> toolNames(JsonNode server) {
        List<String> names = new ArrayList<>();
        server.path("tools").forEach(t -> {
            if (t.path("enabled").asBoolean()) {
                names.add(t.path("name").asText());
            }
        });
        return names;
    }

    /** Tool name → reason, for the tools the status lists as not enabled. */
    public static java.util.Map<String, String> withheld(JsonNode server) {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        server.path("tools").forEach(t -> {
            if (!t.path("enabled").asBoolean()) {
                out.put(t.path("name").asText(), t.path("reason").asText());
            }
        });
        return out;
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
