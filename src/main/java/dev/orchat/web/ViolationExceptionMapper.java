package dev.orchat.web;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Bean-validation failures as the 422 list shape. */
public class ViolationExceptionMapper implements ExceptionMapper<ConstraintViolationException> {
    @Override
    public Response toResponse(ConstraintViolationException e) {
        List<Object> details = new ArrayList<>();
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            List<Object> loc = new ArrayList<>();
            loc.add("body");
            for (Path.Node node : v.getPropertyPath()) {
                if (node.getName() != null && node.getKind() == jakarta.validation.ElementKind.PROPERTY) {
                    loc.add(node.getName());
                }
            }
            details.add(Map.of("loc", loc, "msg", v.getMessage(), "type", "value_error"));
        }
        return ErrorResponses.of(422, details);
    }
}
