package dev.orchat.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Minimal socket-level HTTP client for tests that must control the connection itself
 * (keep-alive reuse, chunked uploads, closing mid-stream), which java.net.http hides.
 */
public final class RawHttp implements AutoCloseable {

    public record Response(int status, Map<String, String> headers, String body, boolean complete) { }

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void postChat(String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        send("POST /api/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n" + json);
    }

    /** Reads one response; {@code complete} is false when the body was cut off by EOF. */
    public Response read() throws IOException {
        String statusLine = line();
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(); !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean complete;
        if ("chunked".equals(headers.get("transfer-encoding"))) {
            complete = readChunked(body);
        } else {
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            byte[] bytes = in.readNBytes(length);
            body.write(bytes);
            complete = bytes.length == length;
        }
        return new Response(status, headers, body.toString(StandardCharsets.UTF_8), complete);
    }

    /** Reads just the head and the first body chunk, leaving the stream mid-flight. */
    String readHeadAndFirstChunk() throws IOException {
        for (String l = line(); !l.isEmpty(); l = line()) {
            continue;
        }
        int size = Integer.parseInt(line(), 16);
        String data = new String(in.readNBytes(size), StandardCharsets.UTF_8);
        line();
        return data;
    }

    private boolean readChunked(ByteArrayOutputStream body) throws IOException {
        while (true) {
            String sizeLine = lineOrNull();
            if (sizeLine == null) {
                return false;
            }
            int size = Integer.parseInt(sizeLine.trim(), 16);
            if (size == 0) {
                return line().isEmpty();
            }
            byte[] data = in.readNBytes(size);
            body.write(data);
            if (data.length < size || lineOrNull() == null) {
                return false;
            }
        }
    }

    private String line() throws IOException {
        String l = lineOrNull();
        if (l == null) {
            throw new IOException("unexpected EOF");
        }
        return l;
    }

    private String lineOrNull() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
