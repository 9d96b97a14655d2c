package dev.orchat.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An event-stream client that keeps each event's exact bytes (the block before the blank line), so that tests can
 * compare what two attachments of one turn received byte for byte. Comment blocks (pings, probes) are skipped.
 */
public final class RawSse implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final HttpResponse<InputStream> response;
    private final InputStream in;

    private RawSse(HttpResponse<InputStream> response) {
        this.response = response;
        this.in = response.body();
    }

    public static RawSse post(int port, String json) throws IOException, InterruptedException {
        return new RawSse(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/chat/stream"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofInputStream()));
    }

    /** {@code GET /api/chat/turns/{id}/events}, with {@code Last-Event-ID} when {@code lastEventId} is not null. */
    public static RawSse attach(int port, String turnId, String lastEventId) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/chat/turns/" + turnId + "/events"));
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return new RawSse(HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    public int status() {
        return response.statusCode();
    }

    public String bodyText() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** The next event's block ({@code id:…\nevent:…\ndata:…\n}), or null at the end of the stream. */
    public String next() throws IOException {
        while (true) {
            String block = block();
            if (block == null) {
                return null;
            }
            if (!block.startsWith(":")) {
                return block;
            }
        }
    }

    public List<String> readAll() throws IOException {
        List<String> out = new ArrayList<>();
        for (String b = next(); b != null; b = next()) {
            out.add(b);
        }
        return out;
    }

    private String block() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int previous = -1;
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n' && previous == '\n') {
                return out.toString(StandardCharsets.UTF_8);
            }
            out.write(b);
            previous = b;
        }
        return out.size() == 0 ? null : out.toString(StandardCharsets.UTF_8);
    }

    public static String id(String block) {
        return field(block, "id");
    }

    public static String name(String block) {
        return field(block, "event");
    }

    public static String data(String block) {
        return field(block, "data");
    }

    private static String field(String block, String name) {
        for (String line : block.split("\n")) {
            if (line.startsWith(name + ": ")) {
                return line.substring(name.length() + 2);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
