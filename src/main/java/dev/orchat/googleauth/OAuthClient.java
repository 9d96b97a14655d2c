package dev.orchat.googleauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Form;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Base64;

/**
 * Google's token and revocation endpoints (RFC 6749 form posts). Failures carry the OAuth {@code error} code only;
 * codes, tokens and the client secret never reach an exception message or a log line.
 */
final class OAuthClient {
    private final Client http;
    private final GoogleFactory config;
    private final ClientSecrets client;
    private final ObjectMapper mapper;

    OAuthClient(Client http, GoogleFactory config, ClientSecrets client, ObjectMapper mapper) {
        this.http = http;
        this.config = config;
        this.client = client;
        this.mapper = mapper;
    }

    String clientId() {
        return client.clientId();
    }

    /** A token endpoint answer; {@code refreshToken}, {@code scope} and {@code idToken} may be null. */
    record TokenResponse(String accessToken, long expiresInSeconds, String refreshToken, String scope, String idToken) {
        @Override
        public String toString() {
            return "TokenResponse[expiresIn=" + expiresInSeconds + ", scope=" + scope + "]";
        }
    }

    /** The endpoint refused or could not be reached; {@code error} is the OAuth error code or a transport note. */
    static final class TokenError extends Exception {
        private final String error;

        TokenError(String error) {
            super(error, null, false, false);
            this.error = error;
        }

        String error() {
            return error;
        }

        boolean invalidGrant() {
            return "invalid_grant".equals(error);
        }
    }

    TokenResponse exchange(String code, String verifier, String redirectUri) throws TokenError {
        Form form = new Form().param("grant_type", "authorization_code").param("code", code)
                .param("code_verifier", verifier).param("redirect_uri", redirectUri)
                .param("client_id", client.clientId()).param("client_secret", client.clientSecret());
        return post(form);
    }

    TokenResponse refresh(String refreshToken) throws TokenError {
        Form form = new Form().param("grant_type", "refresh_token").param("refresh_token", refreshToken)
                .param("client_id", client.clientId()).param("client_secret", client.clientSecret());
        return post(form);
    }

    /** Best effort (docs/api.md §2.27): true when Google confirmed the revocation. */
    boolean revoke(String token) {
        try (Response r = http.target(config.revokeUri()).request()
                .post(Entity.entity(new Form().param("token", token), MediaType.APPLICATION_FORM_URLENCODED_TYPE))) {
            return r.getStatus() == 200;
        } catch (ProcessingException e) {
            return false;
        }
    }

    private TokenResponse post(Form form) throws TokenError {
        String body;
        int status;
        try (Response r = http.target(config.tokenUri()).request(MediaType.APPLICATION_JSON_TYPE)
                .post(Entity.entity(form, MediaType.APPLICATION_FORM_URLENCODED_TYPE))) {
            status = r.getStatus();
            body = r.readEntity(String.class);
        } catch (ProcessingException e) {
            throw new TokenError("unreachable");
        }
        JsonNode json;
        try {
            json = mapper.readTree(body == null ? "" : body);
        } catch (java.io.IOException e) {
            throw new TokenError("http_" + status);
        }
        if (status != 200) {
            String error = json == null ? "" : json.path("error").asText("");
            throw new TokenError(error.isBlank() ? "http_" + status : error);
        }
        if (json == null || !json.path("access_token").isTextual()) {
            throw new TokenError("malformed_response");
        }
        return new TokenResponse(json.get("access_token").asText(), json.path("expires_in").asLong(3600),
                text(json, "refresh_token"), text(json, "scope"), text(json, "id_token"));
    }

    private static String text(JsonNode json, String field) {
        JsonNode v = json.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    /**
     * The ID token's claims. Its signature is not checked: it came straight from Google's token endpoint over TLS
     * in answer to our own authenticated request, which OpenID Connect Core §3.1.3.7 accepts in place of a check.
     */
    JsonNode idTokenClaims(String idToken) throws TokenError {
        String[] parts = idToken == null ? new String[0] : idToken.split("\\.");
        if (parts.length < 2) {
            throw new TokenError("missing_id_token");
        }
        try {
            JsonNode claims = mapper.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (!client.clientId().equals(claims.path("aud").asText())) {
                throw new TokenError("id_token_audience");
            }
            return claims;
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new TokenError("malformed_id_token");
        }
    }
}
