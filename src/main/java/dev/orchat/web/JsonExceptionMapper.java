package dev.orchat.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Malformed JSON → 400; well-formed JSON of the wrong shape or with unknown fields → 422 (docs/api.md §1.2). */
public class JsonExceptionMapper implements ExceptionMapper<JsonProcessingException> {
    @Override
    public Response toResponse(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !(e.getCause() instanceof JsonProcessingException)
                && !(e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mi && mi.getTargetType() == null)) {
            List<Object> loc = new ArrayList<>();
            loc.add("body");
            for (JsonMappingException.Reference ref : mapping.getPath()) {
                loc.add(ref.getFieldName() != null ? ref.getFieldName() : ref.getIndex());
            }
            String type = e instanceof UnrecognizedPropertyException ? "extra_forbidden" : "type_error";
            String msg = e instanceof UnrecognizedPropertyException ? "Extra inputs are not permitted"
                    : mapping.getOriginalMessage();
            return ErrorResponses.of(422, List.of(Map.of("loc", loc, "msg", msg, "type", type)));
        }
        return ErrorResponses.of(400, "Malformed JSON body");
    }
}
