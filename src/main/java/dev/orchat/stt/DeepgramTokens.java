package dev.orchat.stt;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.web.ApiException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mints short-lived Deepgram tokens (docs/api.md §2.20) through the managed client. The API key goes only into the
 * {@code Authorization} header of the grant call; it is never logged, and returned only by the explicit fallback.
 */
public final class DeepgramTokens {
    private static final Logger LOG = LoggerFactory.getLogger(DeepgramTokens.class);
    private static final Logger AUDIT = LoggerFactory.getLogger("audit");
    private static final int MAX_ERROR_BODY = 16 * 1024;
    private final Client client;
    private final DeepgramFactory config;
    private final ObjectMapper mapper;
    private final Meter tokens;
    private final Meter errors;
    private final MintRateLimiter limiter;

    DeepgramTokens(Client client, DeepgramFactory config, ObjectMapper mapper, MetricRegistry metrics, MintRateLimiter limiter) {
        this.client = client;
        this.config = config;
        this.mapper = mapper;
        this.tokens = metrics.meter("stt.deepgram.tokens");
        this.errors = metrics.meter("stt.deepgram.errors");
        this.limiter = limiter;
    }

    /** The response body of a successful mint: {@code {"access_token", "expires_in"}}. */
    public Map<String, Object> mint() {
        String key = config.apiKey().orElseThrow(() -> ApiException.unavailable("Deepgram is not configured on server"));
        OptionalLong wait = limiter.tryAcquire();
        if (wait.isPresent()) {
            throw ApiException.tooMany("Too many Deepgram token requests; try again later", (int) wait.getAsLong());
        }
        try {
            Map<String, Object> token = grant(key);
            tokens.mark();
            return token;
        } catch (ApiException failure) {
            errors.mark();
            if (!config.isAllowApiKeyFallback()) {
                throw failure;
            }
            LOG.warn("Deepgram grant failed ({}); returning the API key because deepgram.allowApiKeyFallback is on",
                    failure.detail());
            AUDIT.info("deepgram api key fallback used: grant_status={}", failure.status());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("access_token", key);
            body.put("expires_in", null);
            return body;
        }
    }

    private Map<String, Object> grant(String key) {
        Response response;
        try {
            response = client.target(config.grantUri()).request(MediaType.APPLICATION_JSON)
                    .header("Authorization", "Token " + key)
                    .post(Entity.json(Map.of("ttl_seconds", config.getTokenTtlSeconds())));
        } catch (ProcessingException e) {
            throw transportFailure(e);
        }
        try (response) {
            String requestId = response.getHeaderString("dg-request-id");
            LOG.info("Deepgram grant answered {} (dg-request-id={})", response.getStatus(), requestId);
            JsonNode body = readBody(response);
            if (response.getStatus() == 200) {
                JsonNode token = body == null ? null : body.get("access_token");
                if (token == null || !token.isTextual() || token.asText().isEmpty()) {
                    throw new ApiException(502, "Deepgram did not return a token");
                }
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("access_token", token.asText());
                JsonNode expires = body.get("expires_in");
                out.put("expires_in", expires != null && expires.isNumber() ? (Object) expires.intValue() : null);
                return out;
            }
            throw new ApiException(502, redact(failureDetail(response.getStatus(), body), key));
        } catch (ProcessingException e) {
            throw transportFailure(e);
        }
    }

    /** docs/api.md §2.20: specific sentences for 401/402/403, else Deepgram's own message, else the status. */
    static String failureDetail(int status, JsonNode body) {
        String upstream = upstreamMessage(body);
        String text = body == null ? "" : body.toString().toUpperCase(Locale.ROOT);
        return switch (status) {
            case 401 -> text.contains("FORBIDDEN") || text.contains("PERMISSION")
                    ? "Deepgram API key lacks permission to create tokens; it needs the Member role or higher"
                    : "Deepgram API key is invalid or lacks permission to create tokens";
            case 402 -> "Deepgram account has insufficient funds";
            case 403 -> "Deepgram API key lacks permission to create tokens; it needs the Member role or higher";
            default -> upstream != null ? "Deepgram: " + upstream : "Deepgram token request failed (" + status + ")";
        };
    }

    private static String upstreamMessage(JsonNode body) {
        if (body == null) {
            return null;
        }
        for (String field : new String[]{"err_msg", "error", "detail"}) {
            JsonNode v = body.get(field);
            if (v != null && v.isTextual() && !v.asText().isBlank()) {
                return v.asText();
            }
        }
        return null;
    }

    private JsonNode readBody(Response response) {
        if (!response.hasEntity()) {
            return null;
        }
        try (var in = response.readEntity(java.io.InputStream.class)) {
            byte[] bytes = in.readNBytes(MAX_ERROR_BODY);
            return bytes.length == 0 ? null : mapper.readTree(bytes);
        } catch (IOException e) {
            return null; // not JSON: the status decides the message
        }
    }

    private static ApiException transportFailure(ProcessingException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (cause instanceof SocketTimeoutException || cause instanceof java.net.http.HttpTimeoutException
                || String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT).contains("timed out")) {
            return new ApiException(504, "Deepgram request timed out");
        }
        return new ApiException(502, "Deepgram request failed: " + cause.getClass().getSimpleName());
    }

    /** Belt and braces: an upstream message that echoes the key must not carry it further. */
    private static String redact(String text, String key) {
        return key.length() >= 4 ? text.replace(key, "***") : text;
    }
}
