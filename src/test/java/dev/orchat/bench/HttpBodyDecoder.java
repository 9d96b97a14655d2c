package dev.orchat.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * Incremental HTTP/1.1 response decoder for the benchmark client: head, then a chunked or length-delimited
 * body, cut into SSE events. Only what the fake and the service send is supported; anything else is reported
 * as an error rather than guessed at, so a benchmark never counts a garbled stream as a success.
 */
final class HttpBodyDecoder {
    private enum Phase { HEAD, CHUNK_SIZE, CHUNK_DATA, CHUNK_CRLF, TRAILER, LENGTH, UNTIL_CLOSE, COMPLETE }

    private Phase phase = Phase.HEAD;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final StringBuilder head = new StringBuilder();
    private final ByteArrayOutputStream sseLine = new ByteArrayOutputStream(512);
    private String eventName;
    private StringBuilder data;
    private int status;
    private long remaining;

    int status() {
        return status;
    }

    boolean isComplete() {
        return phase == Phase.COMPLETE;
    }

    /**
     * The peer closed the connection. Jetty answers a {@code Connection: close} request with a body delimited
     * by the close itself rather than chunked, so that is a normal end there; anywhere else it truncates.
     */
    boolean endOfInput() {
        if (phase == Phase.UNTIL_CLOSE) {
            phase = Phase.COMPLETE;
        }
        return phase == Phase.COMPLETE;
    }

    /** Returns an error description, or null while the response is well formed. */
    String feed(byte[] bytes, BiConsumer<String, String> events) {
        int i = 0;
        while (i < bytes.length && phase != Phase.COMPLETE) {
            switch (phase) {
                case HEAD, CHUNK_SIZE, TRAILER -> {
                    byte b = bytes[i++];
                    if (b != '\n') {
                        if (b != '\r') {
                            line.write(b);
                        }
                        continue;
                    }
                    String l = line.toString(StandardCharsets.ISO_8859_1);
                    line.reset();
                    String error = onLine(l);
                    if (error != null) {
                        return error;
                    }
                }
                case CHUNK_DATA, LENGTH -> {
                    int n = (int) Math.min(remaining, bytes.length - i);
                    body(bytes, i, n, events);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        phase = phase == Phase.LENGTH ? Phase.COMPLETE : Phase.CHUNK_CRLF;
                    }
                }
                case CHUNK_CRLF -> {
                    byte b = bytes[i++];
                    if (b == '\n') {
                        phase = Phase.CHUNK_SIZE;
                    }
                }
                case UNTIL_CLOSE -> {
                    body(bytes, i, bytes.length - i, events);
                    i = bytes.length;
                }
                default -> throw new IllegalStateException(phase.toString());
            }
        }
        return null;
    }

    private String onLine(String l) {
        if (phase == Phase.HEAD) {
            if (!l.isEmpty()) {
                if (status == 0) {
                    String[] parts = l.split(" ", 3);
                    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                        return "bad status line: " + l;
                    }
                    status = Integer.parseInt(parts[1]);
                } else {
                    head.append(l.toLowerCase(Locale.ROOT)).append('\n');
                }
                return null;
            }
            String h = head.toString();
            if (h.contains("transfer-encoding: chunked")) {
                phase = Phase.CHUNK_SIZE;
            } else {
                int at = h.indexOf("content-length:");
                if (at >= 0) {
                    int end = h.indexOf('\n', at);
                    remaining = Long.parseLong(h.substring(at + 15, end).trim());
                    phase = remaining == 0 ? Phase.COMPLETE : Phase.LENGTH;
                } else {
                    phase = Phase.UNTIL_CLOSE;
                }
            }
            return status == 200 ? null : "HTTP " + status;
        }
        if (phase == Phase.CHUNK_SIZE) {
            int semi = l.indexOf(';');
            String hex = (semi >= 0 ? l.substring(0, semi) : l).trim();
            if (hex.isEmpty()) {
                return null;
            }
            remaining = Long.parseLong(hex, 16);
            phase = remaining == 0 ? Phase.TRAILER : Phase.CHUNK_DATA;
            return null;
        }
        if (l.isEmpty()) {
            phase = Phase.COMPLETE;
        }
        return null;
    }

    private void body(byte[] bytes, int off, int len, BiConsumer<String, String> events) {
        for (int i = off; i < off + len; i++) {
            byte b = bytes[i];
            if (b == '\r') {
                continue;
            }
            if (b != '\n') {
                sseLine.write(b);
                continue;
            }
            String l = sseLine.toString(StandardCharsets.UTF_8);
            sseLine.reset();
            if (l.isEmpty()) {
                if (data != null) {
                    events.accept(eventName == null ? "message" : eventName, data.toString());
                }
                eventName = null;
                data = null;
            } else if (l.startsWith("data:")) {
                String d = l.substring(l.startsWith("data: ") ? 6 : 5);
                if (data == null) {
                    data = new StringBuilder(d);
                } else {
                    data.append('\n').append(d);
                }
            } else if (l.startsWith("event:")) {
                eventName = l.substring(l.startsWith("event: ") ? 7 : 6);
            }
        }
    }
}
