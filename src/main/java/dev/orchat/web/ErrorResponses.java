package dev.orchat.web;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** Builds the single error shape {@code {"detail": ...}} used by every mapper and filter (docs/api.md §1.2). */
public final class ErrorResponses {
    private ErrorResponses() {
    }

    public static Response of(int status, Object detail) {
        return of(status, detail, Map.of());
    }

    public static Response of(int status, Object detail, Map<String, String> headers) {
        Response.ResponseBuilder builder = Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("detail", detail == null ? "Error" : detail));
        headers.forEach(builder::header);
        return builder.build();
    }
}
