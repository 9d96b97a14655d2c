package dev.orchat.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * Builds the single error shape {@code {"detail": ...}} used by every mapper, filter and Jetty error handler
 * (docs/api.md §1.2). The body is serialised here, HTML-safe: {@code <}, {@code >}, {@code &} and {@code '} are
 * written as {@code \\uXXXX} escapes, so an error that quotes client input (a JSON key, a path) never echoes it raw.
 */
public final class ErrorResponses {
    private static final ObjectMapper JSON = htmlSafeMapper();

    private ErrorResponses() {
    }

    public static Response of(int status, Object detail) {
        return of(status, detail, Map.of());
    }

    public static Response of(int status, Object detail, Map<String, String> headers) {
        Response.ResponseBuilder builder = Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header("X-Content-Type-Options", "nosniff")
                .entity(body(detail));
        headers.forEach(builder::header);
        return builder.build();
    }

    /** The serialised error body: {@code {"detail": <detail>}}. */
    public static String body(Object detail) {
        try {
            return JSON.writeValueAsString(Map.of("detail", detail == null ? "Error" : detail));
        } catch (JsonProcessingException e) {
            return "{\"detail\":\"Error\"}";
        }
    }

    private static ObjectMapper htmlSafeMapper() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.getFactory().setCharacterEscapes(new HtmlSafeEscapes());
        return mapper;
    }

    private static final class HtmlSafeEscapes extends CharacterEscapes {
        private final int[] escapes;

        HtmlSafeEscapes() {
            escapes = standardAsciiEscapesForJSON();
            for (char c : new char[] {'<', '>', '&', '\''}) {
                escapes[c] = ESCAPE_STANDARD;
            }
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return escapes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            // Only consulted for ESCAPE_CUSTOM, which is not used: ESCAPE_STANDARD gives \\uXXXX.
            return new SerializedString(String.format("\\u%04x", ch));
        }
    }
}
