package dev.orchat.openrouter.sse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Parser for a {@code text/event-stream} body, pulled from a stream or handed bytes ({@link #push()}),
 * following the WHATWG event-stream interpretation rules with two deliberate deviations: an event that the stream leaves
 * unterminated at EOF is still dispatched (upstreams that drop the final blank line would
 * otherwise lose their last chunk), and events with empty data are never returned.
 *
 * <p>Lines are split on raw bytes before decoding. That is safe because CR and LF can never
 * appear inside a multi-byte UTF-8 sequence, and it means a character split across two
 * network reads is only decoded once its line is complete.
 *
 * <p>Not thread-safe; {@link #close()} may be called from another thread to unblock a reader
 * only insofar as the underlying stream supports that.
 */
public final class SseEventReader implements AutoCloseable {

    static final int READ_BUFFER_SIZE = 8 * 1024;
    static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte[] FIELD_DATA = {'d', 'a', 't', 'a'};
    private static final byte[] FIELD_EVENT = {'e', 'v', 'e', 'n', 't'};
    private static final byte[] FIELD_ID = {'i', 'd'};

    private final InputStream in;
    private final byte[] readBuf = new byte[READ_BUFFER_SIZE];
    private int pos;
    private int limit;

    // Only used when a line straddles reads; lines wholly inside readBuf are parsed in place.
    private byte[] lineBuf = new byte[256];
    private int lineLen;

    // Data is kept as bytes and decoded once per event, so multi-line data costs one String.
    private byte[] dataBuf = new byte[256];
    private int dataLen;
    private boolean hasData;

    private String eventType;
    private String lastEventId;

    // A CR may be the first half of CRLF; rather than blocking to peek, the LF is skipped
    // whenever it turns up as the next byte, in this buffer or the next one.
    private boolean pendingCr;
    private boolean atStreamStart = true;
    private boolean eof;
    private boolean closed;

    public SseEventReader(InputStream in) {
        if (in == null) {
            throw new NullPointerException("in");
        }
        this.in = in;
    }

    private SseEventReader() {
        this.in = null;
    }

    /**
     * A parser that is handed the body's bytes as they arrive ({@link #feed}, then {@link #end}) instead of reading
     * a stream: the same rules, for a non-blocking client whose I/O callbacks own the bytes only until they return.
     */
    public static SseEventReader push() {
        return new SseEventReader();
    }

    /** Parses the bytes of {@code bytes} (consuming them) and hands every event they complete to {@code out}. */
    public void feed(ByteBuffer bytes, Consumer<SseEvent> out) throws IOException {
        while (bytes.hasRemaining() && !closed) {
            int n = Math.min(bytes.remaining(), readBuf.length);
            bytes.get(readBuf, 0, n);
            pos = 0;
            limit = n;
            for (SseEvent event = scanBuffered(); event != null; event = scanBuffered()) {
                out.accept(event);
            }
        }
    }

    /** The body ended: dispatches a last event the stream left unterminated, if any. */
    public void end(Consumer<SseEvent> out) throws IOException {
        if (eof || closed) {
            return;
        }
        eof = true;
        SseEvent last = finishAtEof();
        if (last != null) {
            out.accept(last);
        }
    }

    /**
     * Returns the next event with non-empty data, or {@code null} once the stream is exhausted
     * (or the reader closed). Never reads from the stream while a complete event is buffered.
     */
    public SseEvent next() throws IOException {
        while (!closed) {
            if (pos < limit) {
                SseEvent event = scanBuffered();
                if (event != null) {
                    return event;
                }
                continue;
            }
            if (eof) {
                return null;
            }
            int n = in.read(readBuf);
            if (n < 0) {
                eof = true;
                SseEvent last = finishAtEof();
                if (last != null) {
                    return last;
                }
            } else {
                pos = 0;
                limit = n;
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            if (in != null) {
                in.close();
            }
        }
    }

    /** Consumes buffered bytes until an event is dispatched or the buffer is drained. */
    private SseEvent scanBuffered() throws IOException {
        byte[] buf = readBuf;
        while (pos < limit) {
            if (pendingCr) {
                pendingCr = false;
                if (buf[pos] == LF) {
                    pos++;
                    continue;
                }
            }
            int start = pos;
            int i = start;
            while (i < limit && buf[i] != LF && buf[i] != CR) {
                i++;
            }
            if (i == limit) {
                appendToLine(buf, start, limit - start);
                pos = limit;
                return null;
            }
            pendingCr = buf[i] == CR;
            pos = i + 1;
            SseEvent event;
            if (lineLen == 0) {
                event = processLine(buf, start, i - start);
            } else {
                appendToLine(buf, start, i - start);
                event = processLine(lineBuf, 0, lineLen);
                lineLen = 0;
            }
            if (event != null) {
                return event;
            }
        }
        return null;
    }

    private SseEvent finishAtEof() throws IOException {
        if (lineLen > 0) {
            SseEvent event = processLine(lineBuf, 0, lineLen);
            lineLen = 0;
            if (event != null) {
                return event;
            }
        }
        return dispatch();
    }

    private void appendToLine(byte[] src, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        int needed = lineLen + len;
        if (needed > MAX_LINE_BYTES) {
            throw new IOException("SSE line too long");
        }
        if (needed > lineBuf.length) {
            lineBuf = Arrays.copyOf(lineBuf, grow(lineBuf.length, needed, MAX_LINE_BYTES));
        }
        System.arraycopy(src, off, lineBuf, lineLen, len);
        lineLen = needed;
    }

    /** Interprets one complete line; returns an event only when the line was blank and dispatched one. */
    private SseEvent processLine(byte[] b, int off, int len) {
        if (atStreamStart) {
            atStreamStart = false;
            if (len >= 3 && b[off] == (byte) 0xEF && b[off + 1] == (byte) 0xBB && b[off + 2] == (byte) 0xBF) {
                off += 3;
                len -= 3;
            }
        }
        if (len == 0) {
            return dispatch();
        }
        if (b[off] == ':') {
            return null;
        }
        int end = off + len;
        int colon = off;
        while (colon < end && b[colon] != ':') {
            colon++;
        }
        int nameLen = colon - off;
        int valueStart = colon;
        if (colon < end) {
            valueStart = colon + 1;
            if (valueStart < end && b[valueStart] == ' ') {
                valueStart++;
            }
        }
        int valueLen = end - valueStart;
        if (fieldIs(b, off, nameLen, FIELD_DATA)) {
            appendData(b, valueStart, valueLen);
        } else if (fieldIs(b, off, nameLen, FIELD_EVENT)) {
            eventType = decode(b, valueStart, valueLen);
        } else if (fieldIs(b, off, nameLen, FIELD_ID)) {
            // The spec ignores ids containing NUL so a hostile server cannot smuggle one
            // into a Last-Event-ID request header.
            if (indexOf(b, valueStart, end, (byte) 0) < 0) {
                lastEventId = valueLen == 0 ? null : decode(b, valueStart, valueLen);
            }
        }
        return null;
    }

    private void appendData(byte[] b, int off, int len) {
        int needed = dataLen + len + (hasData ? 1 : 0);
        if (needed > dataBuf.length) {
            dataBuf = Arrays.copyOf(dataBuf, grow(dataBuf.length, needed, Integer.MAX_VALUE - 8));
        }
        if (hasData) {
            dataBuf[dataLen++] = LF;
        }
        System.arraycopy(b, off, dataBuf, dataLen, len);
        dataLen += len;
        hasData = true;
    }

    private SseEvent dispatch() {
        SseEvent event = null;
        if (dataLen > 0) {
            event = new SseEvent(eventType, decode(dataBuf, 0, dataLen), lastEventId);
        }
        // The event type and data reset on every blank line; the last event ID deliberately persists.
        dataLen = 0;
        hasData = false;
        eventType = null;
        return event;
    }

    private static String decode(byte[] b, int off, int len) {
        return len == 0 ? "" : new String(b, off, len, StandardCharsets.UTF_8);
    }

    private static boolean fieldIs(byte[] b, int off, int len, byte[] name) {
        return len == name.length && Arrays.equals(b, off, off + len, name, 0, name.length);
    }

    private static int indexOf(byte[] b, int from, int to, byte value) {
        for (int i = from; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static int grow(int current, int needed, int max) {
        long doubled = Math.max((long) current * 2, needed);
        return (int) Math.min(doubled, max);
    }
}
