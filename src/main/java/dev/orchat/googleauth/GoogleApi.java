package dev.orchat.googleauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Authorised calls to Google's REST APIs for the built-ins, with the error mapping of docs/operations.md, "MCP servers": a 401 triggers
 * one refresh and one retry, a second 401 means reconnect; 403 = missing scope; 404 = not found; 429/5xx are
 * retried once after {@code retryDelay}. Bodies are never logged.
 */
public final class GoogleApi {
    public static final String NO_PERMISSION = "The Google connection lacks permission for this action";
    private final Client http;
    private final GoogleConnection connection;
    private final ObjectMapper mapper;
    private volatile Duration retryDelay = Duration.ofSeconds(1);

    GoogleApi(Client http, GoogleConnection connection, ObjectMapper mapper) {
        this.http = http;
        this.connection = connection;
        this.mapper = mapper;
    }

    public GoogleConnection connection() {
        return connection;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** Tests shorten the 1 s pause before the single retry; nothing else should need to. */
    public void setRetryDelay(Duration delay) {
        this.retryDelay = delay;
    }

    /** An expected failure, with the one sentence the tool returns as its error result. */
    public static final class Failure extends Exception {
        private final int status;

        public Failure(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** Builds {@code base + path ? query}, encoding values ourselves (Jersey would read braces as templates). */
    public static URI url(String base, String path, Map<String, ?> query) {
        StringBuilder sb = new StringBuilder(base).append(path);
        List<String> pairs = new ArrayList<>();
        query.forEach((k, v) -> {
            if (v instanceof Iterable<?> many) {
                many.forEach(item -> pairs.add(enc(k) + "=" + enc(String.valueOf(item))));
            } else if (v != null) {
                pairs.add(enc(k) + "=" + enc(String.valueOf(v)));
            }
        });
        if (!pairs.isEmpty()) {
            sb.append('?').append(String.join("&", pairs));
        }
        return URI.create(sb.toString());
    }

    /** Encodes one path segment (an id from the model or from Google). */
    public static String segment(String id) {
        return enc(id);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public JsonNode getJson(URI url) throws Failure, InterruptedException {
        return json(call("GET", url, null, 0));
    }

    public JsonNode sendJson(String method, URI url, Object body) throws Failure, InterruptedException {
        return json(call(method, url, body, 0));
    }

    /** Downloads a body into memory, refusing more than {@code maxBytes}. */
    public byte[] getBytes(URI url, long maxBytes) throws Failure, InterruptedException {
        return call("GET", url, null, maxBytes);
    }

    private JsonNode json(byte[] body) throws Failure {
        if (body.length == 0) {
            return mapper.createObjectNode();
        }
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            throw new Failure(502, "Google returned an unreadable answer");
        }
    }

    private byte[] call(String method, URI url, Object body, long maxBytes) throws Failure, InterruptedException {
        String token = token();
        boolean refreshed = false;
        boolean retried = false;
        while (true) {
            Outcome outcome = once(method, url, body, token, maxBytes);
            int status = outcome.status();
            if (status >= 200 && status < 300) {
                return outcome.body();
            }
            if (status == 401 && !refreshed) {
                refreshed = true;
                try {
                    token = connection.refreshAfterRejection(token);
                } catch (GoogleConnection.NotConnected e) {
                    throw new Failure(401, e.getMessage());
                }
                continue;
            }
            if (status == 401) {
                connection.markNeedsReauth("Google answered 401 after a refresh");
                throw new Failure(401, GoogleConnection.RECONNECT);
            }
            if ((status == 429 || status >= 500 || status == -1) && !retried) {
                retried = true;
                Thread.sleep(retryDelay.toMillis());
                continue;
            }
            throw new Failure(status, switch (status) {
                case 403 -> NO_PERMISSION;
                case 404 -> "Not found";
                case 413 -> "The file is too large to read";
                case -1 -> "Google could not be reached; try again later";
                case 429 -> "Google is rate limiting requests; try again later";
                default -> "Google answered with an error (HTTP " + status + ")";
            });
        }
    }

    private String token() throws Failure {
        try {
            return connection.accessToken();
        } catch (GoogleConnection.NotConnected e) {
            throw new Failure(401, e.getMessage());
        }
    }

    private record Outcome(int status, byte[] body) {
    }

    private Outcome once(String method, URI url, Object body, String token, long maxBytes) throws Failure {
        Invocation.Builder request = http.target(url).request(MediaType.WILDCARD_TYPE)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        Entity<?> entity = body == null ? null : Entity.entity(body, MediaType.APPLICATION_JSON_TYPE);
        try (Response r = entity == null ? request.method(method) : request.method(method, entity)) {
            if (r.getStatus() < 200 || r.getStatus() >= 300) {
                return new Outcome(r.getStatus(), new byte[0]);
            }
            if (maxBytes > 0 && r.getLength() > maxBytes) {
                return new Outcome(413, new byte[0]);
            }
            if (!r.hasEntity()) {
                return new Outcome(r.getStatus(), new byte[0]);
            }
            try (InputStream in = r.readEntity(InputStream.class)) {
                byte[] data = maxBytes > 0 ? in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1)) : in.readAllBytes();
                if (maxBytes > 0 && data.length > maxBytes) {
                    return new Outcome(413, new byte[0]);
                }
                return new Outcome(r.getStatus(), data);
            }
        } catch (ProcessingException | IOException e) {
            return new Outcome(-1, new byte[0]);
        }
    }
}
