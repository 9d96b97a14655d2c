package dev.orchat.testing;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Writes HTTP/1.1 response framing. Every public write ends with a flush so timing is observable. */
final class HttpOutput {

    private final OutputStream out;

    HttpOutput(OutputStream raw) {
        this.out = new BufferedOutputStream(raw, 8192);
    }

    void continue100() throws IOException {
        out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** A complete response whose length is known, as OpenRouter sends for JSON and errors. */
    void fixed(int status, Map<String, String> headers, String body, boolean close) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = statusLine(status);
        head.append("content-length: ").append(bytes.length).append("\r\n");
        appendHeaders(head, headers, close);
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }

    /** The head of a streamed response; the body must follow as {@link #chunk} calls. */
    void chunkedHead(int status, Map<String, String> headers, boolean close) throws IOException {
        StringBuilder head = statusLine(status);
        head.append("transfer-encoding: chunked\r\n");
        appendHeaders(head, headers, close);
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    void chunk(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0) {
            // A zero-length chunk would terminate the body, which is not what an empty raw() means.
            return;
        }
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.write('\r');
        out.write('\n');
        out.flush();
    }

    void lastChunk() throws IOException {
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    void flushQuietly() {
        try {
            out.flush();
        } catch (IOException ignored) {
            // Used only right before a deliberate close; the peer may already be gone.
        }
    }

    private static StringBuilder statusLine(int status) {
        return new StringBuilder(256).append("HTTP/1.1 ").append(status).append(' ')
                .append(reason(status)).append("\r\n");
    }

    private static void appendHeaders(StringBuilder head, Map<String, String> headers, boolean close) {
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (close) {
            head.append("connection: close\r\n");
        }
        head.append("\r\n");
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 402 -> "Payment Required";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 413 -> "Payload Too Large";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status " + status;
        };
    }
}
