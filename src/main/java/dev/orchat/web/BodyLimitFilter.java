package dev.orchat.web;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Enforces body size limits (SPEC §1.3): by {@code Content-Length} up front, and by counting for chunked bodies,
 * so an oversized body is refused without ever being buffered whole.
 */
@PreMatching
@Priority(300)
public class BodyLimitFilter implements ContainerRequestFilter {
    private final long maxJsonBytes;
    private final long maxChatBytes;

    public BodyLimitFilter(long maxJsonBytes, long maxChatBytes) {
        this.maxJsonBytes = maxJsonBytes;
        this.maxChatBytes = maxChatBytes;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (path.startsWith("api/uploads") || path.startsWith("/api/uploads")) {
            return; // the upload feature streams files to disk with its own cap
        }
        long limit = path.replaceFirst("^/", "").startsWith("api/chat/stream") ? maxChatBytes : maxJsonBytes;
        if (request.getLength() > limit) {
            throw tooLarge(limit);
        }
        request.setEntityStream(new Limited(request.getEntityStream(), limit));
    }

    static ApiException tooLarge(long limit) {
        return ApiException.tooLarge("Request body exceeds " + limit + " bytes");
    }

    private static final class Limited extends FilterInputStream {
        private final long limit;
        private long count;

        Limited(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            count += n;
            if (count > limit) {
                throw tooLarge(limit);
            }
        }
    }
}
