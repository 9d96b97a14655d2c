package dev.orchat.web;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Anything unexpected: logged with its stack, answered without one. */
public class FallbackExceptionMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(FallbackExceptionMapper.class);

    @Override
    public Response toResponse(Throwable e) {
        LOG.error("Unhandled error", e);
        return ErrorResponses.of(500, "Internal error");
    }
}
