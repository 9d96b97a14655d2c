package dev.orchat.web;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** Maps every {@link DomainException} to the one error shape, with the status of its kind. */
public class DomainExceptionMapper implements ExceptionMapper<DomainException> {
    @Override
    public Response toResponse(DomainException e) {
        return ErrorResponses.of(e.kind().status, e.getMessage());
    }
}
