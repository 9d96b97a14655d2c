package dev.orchat.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * A request as the fake received it.
 *
 * @param query   raw query string without {@code ?}, or {@code null} when the target had none
 * @param headers header names lower-cased (repeated headers joined with {@code ", "})
 * @param body    body decoded as UTF-8 (already de-chunked), empty when there was none
 */
public record RecordedRequest(
        String method, String path, String query, Map<String, String> headers, String body, Instant receivedAt) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public RecordedRequest {
        headers = Map.copyOf(headers);
    }

    /** Case-insensitive header lookup, so tests need not remember that names are stored lower-cased. */
    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    /** The body parsed as JSON; fails loudly because a chat request must always carry valid JSON. */
    public JsonNode json() {
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("request body is not JSON: " + body, e);
        }
    }
}
