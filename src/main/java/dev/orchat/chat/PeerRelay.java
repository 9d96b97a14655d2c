package dev.orchat.chat;

import dev.orchat.web.ApiException;
import dev.orchat.web.ClientDisconnects;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Follows a turn that another instance runs (docs/operations.md, "Several instances"): opens that instance's own
 * {@code GET /api/chat/turns/{id}/events} with the client's credentials and {@code Last-Event-ID}, and writes
 * each event to this client with the owner's id, name and data, so the client sees the same bytes and can resume
 * against either instance. Nothing is stored per chunk for this: an owner pays only for the clients that
 * actually follow from elsewhere.
 */
final class PeerRelay {
    private static final Duration CONNECT = Duration.ofSeconds(2);
    private final HttpClient http;
    private final Executor pumps;

    PeerRelay(Executor pumps) {
        this.pumps = pumps;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT)
                .followRedirects(HttpClient.Redirect.NEVER).executor(pumps).build();
    }

    /**
     * Relays the owner's events after {@code afterId}. Throws the owner's 404/410 as this route's own answer;
     * an unreachable owner is 503 (the client retries, possibly after the owner's lease ended and the turn was
     * repaired).
     */
    void follow(TurnPeers.PeerTurn turn, int afterId, String authorization, SseEventSink sink, Sse sse,
                Function<Runnable, ClientDisconnects.Watch> clientWatch) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(turn.ownerUrl() + "/api/chat/turns/"
                        + turn.turnId() + "/events"))
                .timeout(Duration.ofDays(1)).header("Accept", "text/event-stream")
                .header("Last-Event-ID", Integer.toString(afterId)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw ApiException.unavailable("The instance running this turn cannot be reached; retry shortly");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("Interrupted while reaching the instance running this turn");
        }
        if (response.statusCode() != 200) {
            closeQuietly(response.body());
            throw switch (response.statusCode()) {
                case 404 -> ApiException.notFound("Turn not found");
                case 410 -> ApiException.gone("The turn's events are no longer kept; read the session's history");
                default -> ApiException.unavailable("The instance running this turn answered "
                        + response.statusCode() + "; retry shortly");
            };
        }
        InputStream body = response.body();
        EventStream stream = new EventStream(sink, sse);
        stream.watchWith(clientWatch.apply(() -> closeQuietly(body)));
        pumps.execute(() -> pump(body, stream));
    }

    /** Copies events until the owner ends the stream or this client goes. */
    private static void pump(InputStream body, EventStream stream) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            SseFrame frame = new SseFrame();
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.isEmpty()) {
                    frame.add(line);
                    continue;
                }
                TurnEventLog.Entry entry = frame.take();
                if (entry != null && !stream.send(entry)) {
                    return;
                }
            }
        } catch (IOException e) {
            // The owner went away or this client closed; either way this relay ends.
        } finally {
            stream.close();
        }
    }

    private static void closeQuietly(InputStream body) {
        try {
            body.close();
        } catch (IOException e) {
            // Nothing more to release.
        }
    }

    /** The fields of one SSE event as the owner wrote them; comments (keep-alives) are not relayed. */
    private static final class SseFrame {
        private String id;
        private String name;
        private StringBuilder data;

        void add(String line) {
            if (line.startsWith(":")) {
                return;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "id" -> id = value;
                case "event" -> name = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> { }
            }
        }

        TurnEventLog.Entry take() {
            TurnEventLog.Entry entry = null;
            if (data != null && id != null) {
                entry = new TurnEventLog.Entry(Integer.parseInt(id), name == null ? "message" : name,
                        data.toString());
            }
            id = null;
            name = null;
            data = null;
            return entry;
        }
    }
}
