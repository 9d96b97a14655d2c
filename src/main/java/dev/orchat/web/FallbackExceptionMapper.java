package dev.orchat.web;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anything unexpected: logged with its stack, answered without one. A request body that Jetty finds malformed
 * while a resource reads it (a bad chunk, an early end, broken gzip) is the client's fault: 400, not 500 (docs/api.md §1.2).
 */
public class FallbackExceptionMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(FallbackExceptionMapper.class);

    @Override
    public Response toResponse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
                return ErrorResponses.of(http.getCode(), JettyErrors.detail(http.getCode(), http.getReason()));
            }
            if (t instanceof HttpException || t instanceof EofException || t instanceof java.util.zip.ZipException) {
                return ErrorResponses.of(400, "Malformed or incomplete request body");
            }
        }
        LOG.error("Unhandled error", e);
        return ErrorResponses.of(500, "Internal error");
    }
}
