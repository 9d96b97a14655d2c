package dev.orchat.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The error shape of {@code /v1} (docs/api.md, "OpenAI-compatible API"):
 * {@code {"error": {"message", "type", "param", "code"}}} with the matching status, which is what OpenAI's SDKs
 * read to choose their exception class.
 */
final class OpenAiErrors {
    private OpenAiErrors() {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    static Response response(int status, String message, String param) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(json(body(status, message, param)))
                .header("X-Content-Type-Options", "nosniff").build();
    }

    /**
     * The body serialised HTML-safe like {@code web.ErrorResponses} (docs/api.md §1.2): {@code <}, {@code >},
     * {@code &} and {@code '} can only occur inside JSON strings, so they are rewritten as {@code \\uXXXX} escapes
     * and an error quoting client input never echoes markup.
     */
    static String json(Map<String, Object> body) {
        try {
            return JSON.writeValueAsString(body).replace("<", "\\u003c").replace(">", "\\u003e")
                    .replace("&", "\\u0026").replace("'", "\\u0027");
        } catch (JsonProcessingException e) {
            return "{\"error\":{\"message\":\"Error\",\"type\":\"server_error\",\"param\":null,\"code\":null}}";
        }
    }

    /** An orchat error entity as mappers build it: a map, or its serialised JSON (web.ErrorResponses); else null. */
    static Map<?, ?> entityMap(Object entity) {
        if (entity instanceof Map<?, ?> map) {
            return map;
        }
        if (entity instanceof String text && text.startsWith("{")) {
            try {
                return JSON.readValue(text, Map.class);
            } catch (JsonProcessingException e) {
                return null;
            }
        }
        return null;
    }

    static Map<String, Object> body(int status, String message, String param) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message == null || message.isBlank() ? "Error" : message);
        error.put("type", type(status));
        error.put("param", param);
        error.put("code", code(status));
        return Map.of("error", error);
    }

    static String type(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }

    static String code(int status) {
        return switch (status) {
            case 401 -> "invalid_api_key";
            case 404 -> "not_found";
            case 409 -> "conflict";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_exceeded";
            case 503 -> "service_unavailable";
            default -> null;
        };
    }

    /**
     * The message and parameter of an orchat {@code detail} (docs/api.md §1.2): a string, or the validation list
     * {@code [{"loc": [...], "msg", "type"}]} whose first entry names the parameter.
     */
    static String[] fromDetail(Object detail) {
        if (detail instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?> first) {
            Object loc = first.get("loc");
            String param = null;
            if (loc instanceof List<?> parts && !parts.isEmpty()) {
                List<?> path = "body".equals(String.valueOf(parts.get(0))) ? parts.subList(1, parts.size()) : parts;
                param = path.isEmpty() ? null : String.join(".", path.stream().map(String::valueOf).toList());
            }
            return new String[] {String.valueOf(first.get("msg")), param};
        }
        return new String[] {detail == null ? "Error" : String.valueOf(detail), null};
    }
}
