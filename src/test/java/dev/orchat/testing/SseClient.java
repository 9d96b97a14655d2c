package dev.orchat.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.openrouter.sse.SseEvent;
import dev.orchat.openrouter.sse.SseEventReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A test client for the chat stream: posts a body and reads events one by one as they arrive. */
public final class SseClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private SseClient() {
    }

    public static Stream post(int port, String json) throws IOException, InterruptedException {
        return post(port, json, "application/json", null);
    }

    public static Stream post(int port, String json, String contentType, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/chat/stream"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<InputStream> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        return new Stream(response);
    }

    /** {@code GET path} as an event stream (e.g. a turn's events), with {@code Last-Event-ID} when given. */
    public static Stream get(int port, String path, String lastEventId) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Accept", "text/event-stream").GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return new Stream(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    /** One response: its status, headers and events, read lazily. */
    public static final class Stream implements AutoCloseable {
        private final HttpResponse<InputStream> response;
        private final SseEventReader reader;
        private final List<Received> received = new ArrayList<>();

        Stream(HttpResponse<InputStream> response) {
            this.response = response;
            this.reader = new SseEventReader(response.body());
        }

        public int status() { return response.statusCode(); }
        public HttpResponse<InputStream> response() { return response; }

        public String bodyText() throws IOException {
            return new String(response.body().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }

        public JsonNode bodyJson() throws IOException {
            return JSON.readTree(bodyText());
        }

        /** The next event, or null at the end of the stream. */
        public Received next() throws IOException {
            SseEvent event = reader.next();
            if (event == null) {
                return null;
            }
            Received r = new Received(event.name(), event.data(), event.id(), System.nanoTime());
            received.add(r);
            return r;
        }

        /** Reads to the end of the stream and returns every event of the turn. */
        public List<Received> readAll() throws IOException {
            while (next() != null) {
                // keep reading
            }
            return received;
        }

        public Received nextNamed(String name) throws IOException {
            Received r;
            while ((r = next()) != null) {
                if (r.name().equals(name)) {
                    return r;
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            response.body().close();
        }
    }

    public record Received(String name, String data, String id, long nanos) {
        public JsonNode json() {
            try {
                return JSON.readTree(data);
            } catch (IOException e) {
                throw new IllegalStateException(data, e);
            }
        }
    }
}
