package dev.orchat.testing;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds real multipart/form-data bodies and sends them to {@code POST /api/uploads}. */
public final class Uploads {
    public static final String BOUNDARY = "----orchat-test-7MA4YWxkTrZu0gW";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final List<byte[]> parts = new ArrayList<>();

    public static Uploads form() {
        return new Uploads();
    }

    public Uploads field(String name, String value) {
        parts.add(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** A file part; {@code contentType} null leaves the header out. */
    public Uploads file(String filename, String contentType, byte[] data) {
        String head = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + filename.replace("\"", "%22") + "\"\r\n" + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + "\r\n";
        ByteArrayOutputStream part = new ByteArrayOutputStream();
        part.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        part.writeBytes(data);
        part.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        parts.add(part.toByteArray());
        return this;
    }

    public byte[] body() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    public HttpResponse<String> send(int port, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/uploads"))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body()));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
