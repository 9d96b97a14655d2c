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
    /** PostgreSQL's "character not in repertoire" and "untranslatable character". */
    private static final java.util.Set<String> UNSTORABLE_TEXT = java.util.Set.of("22021", "22P05");

    @Override
    public Response toResponse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
                return ErrorResponses.of(http.getCode(), JettyErrors.detail(http.getCode(), http.getReason()));
            }
            if (t instanceof HttpException || t instanceof EofException || t instanceof java.util.zip.ZipException) {
                return ErrorResponses.of(400, "Malformed or incomplete request body");
            }
            if (t instanceof java.sql.SQLException sql && UNSTORABLE_TEXT.contains(sql.getSQLState())) {
                // PostgreSQL refuses U+0000 in text (SQLite stores it): the client's text, not the server, is at
                // fault, and the statement changed nothing (docs/api.md §1.2).
                return ErrorResponses.of(400, "Text containing a NUL character (U+0000) cannot be stored");
            }
        }
        LOG.error("Unhandled error", e);
        return ErrorResponses.of(500, "Internal error");
    }
}
