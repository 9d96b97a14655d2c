package dev.orchat.web;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;

/**
 * Enforces body size limits (docs/configuration.md §2): by {@code Content-Length} up front, and by counting for chunked bodies,
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
        String relative = path.startsWith("/") ? path.substring(1) : path;
        if (relative.startsWith("api/import")) {
            return; // the import streams its archive with its own cap (import.maxUploadSize)
        }
        boolean chat = relative.startsWith("api/chat/stream") || relative.startsWith("v1/chat/completions");
        long limit = chat ? maxChatBytes : maxJsonBytes;
        if (request.getLength() > limit) {
            throw tooLarge(limit);
        }
        request.setEntityStream(new LimitedInputStream(request.getEntityStream(), limit, () -> tooLarge(limit)));
    }

    static ApiException tooLarge(long limit) {
        return ApiException.tooLarge("Request body exceeds " + limit + " bytes");
    }
}
