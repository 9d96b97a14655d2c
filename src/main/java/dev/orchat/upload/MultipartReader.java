package dev.orchat.upload;

import dev.orchat.web.ApiException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A streaming {@code multipart/form-data} reader (RFC 7578): parts are handed out one at a time and their bodies
 * are read straight from the request, so a file goes to disk without being buffered whole in memory or spooled
 * to a temporary file first (docs/api.md §2.21). Not thread-safe; one reader per request.
 */
public final class MultipartReader {
    private static final int BUFFER = 64 * 1024;
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final Pattern BOUNDARY = Pattern.compile("(?i)boundary=(\"([^\"]{1,70})\"|([^;\\s]{1,70}))");
    private static final Pattern PARAM = Pattern.compile(
            "(?i);\\s*(name|filename\\*?)\\s*=\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|([^;\\s]*))");

    /** One part's headers; {@link #body()} is valid until {@link MultipartReader#next()} is called again. */
    public record Part(String name, String filename, String contentType, InputStream body) {
    }

    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buf;
    private int pos;
    private int limit;
    private boolean eof;
    private boolean finished;
    private PartBody current;

    public MultipartReader(InputStream in, String contentType) {
        this.in = in;
        String boundary = boundaryOf(contentType)
                .orElseThrow(() -> ApiException.badRequest("Multipart body without a boundary"));
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.buf = new byte[BUFFER + delimiter.length];
        // The first delimiter has no CRLF before it; pretend it has, so one search handles every delimiter.
        buf[0] = '\r';
        buf[1] = '\n';
        limit = 2;
    }

    static Optional<String> boundaryOf(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        Matcher m = BOUNDARY.matcher(contentType);
        return m.find() ? Optional.of(m.group(2) != null ? m.group(2) : m.group(3)) : Optional.empty();
    }

    /** The next part, or empty after the closing delimiter. Skips whatever is left of the previous part. */
    public Optional<Part> next() throws IOException {
        if (finished) {
            return Optional.empty();
        }
        if (current == null) {
            skipPreamble();
        } else {
            current.skipRest();
        }
        if (finished) {
            return Optional.empty();
        }
        String headers = readHeaders();
        String name = null;
        String filename = null;
        String type = null;
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            if (key.equals("content-type")) {
                type = value;
            } else if (key.equals("content-disposition")) {
                Matcher m = PARAM.matcher(value);
                while (m.find()) {
                    String raw = m.group(3) != null ? m.group(3).replaceAll("\\\\(.)", "$1") : m.group(4);
                    switch (m.group(1).toLowerCase(Locale.ROOT)) {
                        case "name" -> name = raw;
                        case "filename" -> filename = filename == null ? raw : filename;
                        default -> filename = extended(raw).orElse(filename);
                    }
                }
            }
        }
        current = new PartBody();
        return Optional.of(new Part(name, filename, type, current));
    }

    /** RFC 5987 {@code filename*=UTF-8''percent-encoded}; it wins over the plain form when valid. */
    private static Optional<String> extended(String value) {
        int quote = value.indexOf("''");
        if (quote < 0 || !value.substring(0, quote).equalsIgnoreCase("utf-8")) {
            return Optional.empty();
        }
        try {
            return Optional.of(URLDecoder.decode(value.substring(quote + 2).replace("+", "%2B"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private void skipPreamble() throws IOException {
        while (true) {
            fill(delimiter.length);
            int at = indexOfDelimiter();
            if (at >= 0) {
                pos = at + delimiter.length;
                afterDelimiter();
                return;
            }
            if (eof) {
                throw malformed();
            }
            pos = Math.max(pos, limit - delimiter.length + 1);
        }
    }

    /** After a delimiter: {@code --} ends the body, CRLF (after optional padding) starts a part. */
    private void afterDelimiter() throws IOException {
        fill(2);
        if (limit - pos >= 2 && buf[pos] == '-' && buf[pos + 1] == '-') {
            finished = true;
            return;
        }
        while (true) {
            fill(2);
            if (limit - pos < 2) {
                throw malformed();
            }
            if (buf[pos] == '\r' && buf[pos + 1] == '\n') {
                pos += 2;
                return;
            }
            if (buf[pos] != ' ' && buf[pos] != '\t') {
                throw malformed();
            }
            pos++;
        }
    }

    private String readHeaders() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int matched = 0; // progress through CRLFCRLF
        byte[] end = {'\r', '\n', '\r', '\n'};
        if (fill(2) >= 2 && buf[pos] == '\r' && buf[pos + 1] == '\n') {
            pos += 2; // a part without headers
            return "";
        }
        while (matched < 4) {
            if (fill(1) < 1) {
                throw malformed();
            }
            byte b = buf[pos++];
            out.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            if (out.size() > MAX_HEADER_BYTES) {
                throw ApiException.badRequest("Multipart part headers are too large");
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Ensures at least {@code wanted} unread bytes in the buffer unless the stream ends; returns what is there. */
    private int fill(int wanted) throws IOException {
        while (limit - pos < wanted && !eof) {
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, limit - pos);
                limit -= pos;
                pos = 0;
            }
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                eof = true;
            } else {
                limit += n;
            }
        }
        return limit - pos;
    }

    private int indexOfDelimiter() {
        byte first = delimiter[0];
        int last = limit - delimiter.length;
        outer:
        for (int i = pos; i <= last; i++) {
            if (buf[i] != first) {
                continue;
            }
            for (int j = 1; j < delimiter.length; j++) {
                if (buf[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static ApiException malformed() {
        return ApiException.badRequest("Malformed multipart body");
    }

    /** The bytes of the current part up to the next delimiter. */
    private final class PartBody extends InputStream {
        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            fill(delimiter.length);
            int at = indexOfDelimiter();
            int available;
            if (at >= 0) {
                available = at - pos;
                if (available == 0) {
                    pos += delimiter.length;
                    done = true;
                    afterDelimiter();
                    return -1;
                }
            } else {
                if (eof) {
                    throw malformed(); // the body ended inside a part
                }
                // The tail may hold the start of a delimiter; hand out only what cannot be part of one.
                available = limit - pos - (delimiter.length - 1);
            }
            int n = Math.min(len, available);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }

        void skipRest() throws IOException {
            byte[] scratch = new byte[8192];
            while (read(scratch, 0, scratch.length) >= 0) {
                // discard
            }
        }
    }
}
