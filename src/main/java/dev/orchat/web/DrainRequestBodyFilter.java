package dev.orchat.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads what is left of a small request body before an error answer goes out. An error raised before the body was
 * read (415 for a wrong type, 401, 404, …) otherwise leaves bytes on the connection: Jetty then closes it after
 * sending a response that looked keep-alive, and a client that reuses the pooled connection for its next request
 * gets an EOF instead of an answer. Bodies over {@link #MAX_DRAIN} are left alone (an oversized upload must not be
 * read to the end just to be refused); those connections are closed.
 */
public class DrainRequestBodyFilter implements ContainerResponseFilter {
    static final long MAX_DRAIN = 64 * 1024;

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        int length = request.getLength();
        if (response.getStatus() < 400 || length <= 0 || length > MAX_DRAIN) {
            return;
        }
        byte[] scratch = new byte[8192];
        long left = length;
        try {
            // Jersey refuses access to a stream it has already read and closed; then nothing is left to drain.
            InputStream body = request.getEntityStream();
            if (body == null) {
                return;
            }
            int n;
            while (left > 0 && (n = body.read(scratch, 0, (int) Math.min(scratch.length, left))) >= 0) {
                left -= n;
            }
        } catch (IOException | RuntimeException e) {
            // The client went away or the body was over a limit: nothing to keep alive then.
        }
    }
}
