package dev.orchat.googleauth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchat.web.ApiException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authorisation-code flow with PKCE (docs/api.md §2.27). The state is 32 random bytes; only its SHA-256 is stored,
 * next to the encrypted verifier, so a database reader can neither finish a pending flow nor learn a state.
 */
public final class GoogleAuthFlow {
    private static final Logger LOG = LoggerFactory.getLogger(GoogleAuthFlow.class);
    private static final Logger AUDIT = LoggerFactory.getLogger("audit");
    static final Duration FLOW_TTL = Duration.ofMinutes(10);
    static final String COOKIE = "google_oauth_state";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final GoogleConnection connection;
    private final GoogleTokenStore store;
    private final TokenCipher cipher;
    private final OAuthClient oauth;
    private final GoogleFactory config;
    private final Clock clock;
    private final String frontendUrl;

    GoogleAuthFlow(GoogleConnection connection, GoogleTokenStore store, TokenCipher cipher, OAuthClient oauth,
                   GoogleFactory config, Clock clock, String frontendUrl) {
        this.connection = connection;
        this.store = store;
        this.cipher = cipher;
        this.oauth = oauth;
        this.config = config;
        this.clock = clock;
        this.frontendUrl = frontendUrl;
    }

    /** The consent URL plus the state for the browser cookie. */
    record Started(String authUrl, Instant expiresAt, String state, boolean secureCookie) {
    }

    Started authorize(String userEmail, String redirectUri, boolean write) {
        requireConfigured();
        String redirect = redirectUri == null || redirectUri.isBlank() ? config.getRedirectUri() : redirectUri.strip();
        if (!config.allowedRedirectUris().contains(redirect)) {
            throw ApiException.unprocessable("redirect_uri is not one of google.allowedRedirectUris");
        }
        if (write && !config.isEnableWrite()) {
            throw new ApiException(403, "Write access to Google is disabled (google.enableWrite is false)");
        }
        LinkedHashSet<String> scopes = new LinkedHashSet<>(config.getReadScopes());
        if (write) {
            scopes.addAll(config.requestableWriteScopes());
        }
        String scope = String.join(" ", scopes);
        String state = randomToken();
        String verifier = randomToken();
        Instant now = clock.instant();
        Instant expires = now.plus(FLOW_TTL);
        store.deleteFlowsCreatedBefore(now.minus(Duration.ofDays(1)));
        store.insertFlow(sha256(state), cipher.encrypt(verifier), redirect, scope, expires);
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", oauth.clientId());
        q.put("redirect_uri", redirect);
        q.put("scope", scope);
        q.put("state", state);
        q.put("code_challenge", challenge(verifier));
        q.put("code_challenge_method", "S256");
        q.put("access_type", "offline");
        q.put("prompt", "consent");
        q.put("include_granted_scopes", "true");
        if (userEmail != null && !userEmail.isBlank()) {
            q.put("login_hint", userEmail.strip());
        }
        return new Started(withQuery(config.authorizationUri().toString(), q), expires, state,
                "https".equalsIgnoreCase(URI.create(redirect).getScheme()));
    }

    /** Where the browser goes after the callback (docs/api.md §2.27 outcomes); never throws for bad input. */
    String callback(String state, String code, String error, String cookieState) {
        requireConfigured();
        Optional<GoogleTokenStore.FlowRow> flow = state == null || state.isBlank()
                ? Optional.empty() : store.consumeFlow(sha256(state));
        if (error != null && !error.isBlank()) {
            // Reflected to the UI: Google's codes are short; anything longer is not Google's.
            return outcome(Map.of("auth_error", error.length() > 64 ? error.substring(0, 64) : error));
        }
        if (flow.isEmpty() || !flow.get().usable()) {
            return invalidState(flow.isEmpty() ? "unknown or missing state" : "expired or reused state");
        }
        if (config.isBindStateToBrowser() && !state.equals(cookieState)) {
            return invalidState("state cookie missing or different");
        }
        if (code == null || code.isBlank()) {
            LOG.info("Google callback without a code");
            return outcome(Map.of("auth_error", "exchange_failed"));
        }
        try {
            String verifier = cipher.decrypt(flow.get().verifierEnc());
            OAuthClient.TokenResponse tokens = oauth.exchange(code, verifier, flow.get().redirectUri());
            JsonNode claims = oauth.idTokenClaims(tokens.idToken());
            String email = claims.path("email").asText("");
            String subject = claims.path("sub").asText("");
            if (email.isBlank() || subject.isBlank()) {
                throw new OAuthClient.TokenError("id_token_without_email");
            }
            if (tokens.refreshToken() == null) {
                throw new OAuthClient.TokenError("no_refresh_token");
            }
            String scopes = tokens.scope() != null ? tokens.scope() : flow.get().scopes();
            store.replaceToken(email, subject, scopes, cipher.encrypt(tokens.accessToken()),
                    cipher.encrypt(tokens.refreshToken()), clock.instant().plusSeconds(tokens.expiresInSeconds()));
            AUDIT.info("google connected: account={} scopes={}", email, scopes);
            connection.changed();
            Map<String, String> ok = new LinkedHashMap<>();
            ok.put("auth_success", "true");
            ok.put("email", email);
            return outcome(ok);
        } catch (OAuthClient.TokenError e) {
            LOG.warn("Google code exchange failed: {}", e.error());
            return outcome(Map.of("auth_error", "exchange_failed"));
        } catch (TokenCipher.Undecryptable e) {
            LOG.warn("Google flow verifier unreadable: {}", e.getMessage());
            return outcome(Map.of("auth_error", "exchange_failed"));
        }
    }

    private String invalidState(String why) {
        LOG.info("Google callback refused: {}", why);
        return outcome(Map.of("auth_error", "invalid_state"));
    }

    private void requireConfigured() {
        connection.configurationProblem().ifPresent(p -> {
            throw ApiException.unavailable("Google integration is not configured: " + p);
        });
    }

    private String outcome(Map<String, String> params) {
        return withQuery(frontendUrl, params);
    }

    static String withQuery(String base, Map<String, String> params) {
        List<String> pairs = new ArrayList<>();
        params.forEach((k, v) -> pairs.add(enc(k) + "=" + enc(v)));
        String joined = pairs.stream().collect(Collectors.joining("&"));
        return base + (base.contains("?") ? "&" : "?") + joined;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String challenge(String verifier) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest(verifier));
    }

    static String sha256(String value) {
        return java.util.HexFormat.of().formatHex(digest(value));
    }

    private static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
