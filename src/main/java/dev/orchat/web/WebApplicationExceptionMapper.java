package dev.orchat.web;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Jersey's own errors (unknown route, wrong method, media type) in the shared shape. */
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
    private static final Logger LOG = LoggerFactory.getLogger(WebApplicationExceptionMapper.class);

    @Override
    public Response toResponse(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original == null ? 500 : original.getStatus();
        if (status >= 500) {
            LOG.error("Request failed", e);
            return ErrorResponses.of(status, "Internal error");
        }
        String detail = switch (status) {
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 415 -> "Unsupported Media Type: use application/json";
            default -> original.getStatusInfo().getReasonPhrase();
        };
        Response.ResponseBuilder builder = Response.fromResponse(ErrorResponses.of(status, detail));
        if (original.getHeaderString("Allow") != null) {
            builder.header("Allow", original.getHeaderString("Allow"));
        }
        return builder.build();
    }
}
