package dev.orchat.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Buffered reader of HTTP/1.1 requests from one socket. It owns its buffer (rather than wrapping a
 * {@code BufferedInputStream}) so that {@link #awaitClose} can probe the socket for a close without
 * losing bytes a pipelining client might already have sent.
 */
final class HttpInput {

    /** Outcome of {@link #awaitClose}. */
    enum Probe { TIMEOUT, CLOSED, DATA }

    static final class BadRequest extends IOException {
        BadRequest(String message) {
            super(message);
        }
    }

    /** A parsed request head plus its fully read body. */
    record Request(String method, String target, String version, Map<String, String> headers, byte[] body) {
        String header(String lowerName) {
            return headers.get(lowerName);
        }

        boolean wantsClose() {
            String connection = headers.getOrDefault("connection", "");
            if ("HTTP/1.0".equals(version)) {
                return !connection.toLowerCase(Locale.ROOT).contains("keep-alive");
            }
            return connection.toLowerCase(Locale.ROOT).contains("close");
        }
    }

    private static final int MAX_LINE = 16 * 1024;
    private static final int MAX_BODY = 64 * 1024 * 1024;

    private final Socket socket;
    private final InputStream in;
    private byte[] buf = new byte[4096];
    private int pos;
    private int limit;

    HttpInput(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /**
     * Reads the next request, or returns {@code null} when the client closed the connection
     * cleanly between requests (the normal end of a pooled keep-alive connection).
     */
    Request readRequest(java.util.function.Consumer<String> onExpectContinue) throws IOException {
        String requestLine = readLine(true);
        while (requestLine != null && requestLine.isEmpty()) {
            // RFC 9112 lets servers ignore stray CRLFs some clients leave after a previous body.
            requestLine = readLine(true);
        }
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            throw new BadRequest("bad request line: " + requestLine);
        }
        Map<String, String> headers = readHeaders();
        if ("100-continue".equalsIgnoreCase(headers.getOrDefault("expect", ""))) {
            onExpectContinue.accept(parts[0]);
        }
        byte[] body = readBody(headers);
        return new Request(parts[0], parts[1], parts[2], headers, body);
    }

    /**
     * Waits up to {@code millis} for the peer to close. Used while a script sleeps or stalls: the
     * client has already sent its whole request, so EOF (or a reset) is the only thing that can
     * arrive, and a blocking read reports it as soon as the FIN lands instead of at the next write.
     */
    Probe awaitClose(int millis) {
        if (pos < limit) {
            return Probe.DATA;
        }
        try {
            socket.setSoTimeout(Math.max(1, millis));
            compact();
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                return Probe.CLOSED;
            }
            limit += n;
            return Probe.DATA;
        } catch (SocketTimeoutException e) {
            return Probe.TIMEOUT;
        } catch (IOException e) {
            return Probe.CLOSED;
        } finally {
            try {
                socket.setSoTimeout(0);
            } catch (SocketException ignored) {
                // Socket already closed; the caller learns that from its next I/O.
            }
        }
    }

    private Map<String, String> readHeaders() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        while (true) {
            String line = readLine(false);
            if (line.isEmpty()) {
                return headers;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new BadRequest("bad header line: " + line);
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            headers.merge(name, value, (a, b) -> a + ", " + b);
        }
    }

    private byte[] readBody(Map<String, String> headers) throws IOException {
        String te = headers.get("transfer-encoding");
        if (te != null) {
            if (!te.toLowerCase(Locale.ROOT).endsWith("chunked")) {
                throw new BadRequest("unsupported transfer-encoding: " + te);
            }
            return readChunkedBody();
        }
        String cl = headers.get("content-length");
        if (cl == null) {
            return new byte[0];
        }
        long length;
        try {
            length = Long.parseLong(cl.trim());
        } catch (NumberFormatException e) {
            throw new BadRequest("bad content-length: " + cl);
        }
        if (length < 0 || length > MAX_BODY) {
            throw new BadRequest("unacceptable content-length: " + cl);
        }
        return readExactly((int) length);
    }

    private byte[] readChunkedBody() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(false);
            int semi = sizeLine.indexOf(';');
            String hex = (semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim();
            int size;
            try {
                size = Integer.parseInt(hex, 16);
            } catch (NumberFormatException e) {
                throw new BadRequest("bad chunk size: " + sizeLine);
            }
            if (size < 0 || body.size() + (long) size > MAX_BODY) {
                throw new BadRequest("chunked body too large");
            }
            if (size == 0) {
                // Trailers are legal but meaningless here; consume them up to the blank line.
                while (!readLine(false).isEmpty()) {
                    continue;
                }
                return body.toByteArray();
            }
            body.write(readExactly(size));
            if (!readLine(false).isEmpty()) {
                throw new BadRequest("chunk data not followed by CRLF");
            }
        }
    }

    private byte[] readExactly(int length) throws IOException {
        byte[] out = new byte[length];
        int copied = 0;
        while (copied < length) {
            if (pos == limit && !fill()) {
                throw new BadRequest("connection closed inside body");
            }
            int n = Math.min(length - copied, limit - pos);
            System.arraycopy(buf, pos, out, copied, n);
            pos += n;
            copied += n;
        }
        return out;
    }

    /** Reads one line without its CRLF (a bare LF is tolerated); null only if EOF is allowed. */
    private String readLine(boolean eofAllowed) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        while (true) {
            if (pos == limit && !fill()) {
                if (eofAllowed && line.size() == 0) {
                    return null;
                }
                throw new BadRequest("connection closed mid-line");
            }
            byte b = buf[pos++];
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= MAX_LINE) {
                throw new BadRequest("line too long");
            }
            line.write(b);
        }
    }

    private boolean fill() throws IOException {
        compact();
        if (limit == buf.length) {
            buf = java.util.Arrays.copyOf(buf, buf.length * 2);
        }
        int n;
        try {
            n = in.read(buf, limit, buf.length - limit);
        } catch (SocketException e) {
            // A reset between requests is how some pools discard idle connections: treat as EOF.
            return false;
        }
        if (n < 0) {
            return false;
        }
        limit += n;
        return true;
    }

    private void compact() {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
    }
}
