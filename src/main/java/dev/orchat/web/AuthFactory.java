package dev.orchat.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.orchat.config.CommaSeparatedList;
import java.util.ArrayList;
import java.util.List;

/**
 * Authentication (docs/api.md §1.1).
 *
 * <table>
 * <tr><td>tokens</td><td>[]</td><td>accepted bearer tokens; a list or a comma-separated string (AUTH_TOKENS)</td></tr>
 * <tr><td>allowUnauthenticatedNonLoopback</td><td>false</td><td>permit a non-loopback bind without tokens</td></tr>
 * <tr><td>urlSigningKey</td><td>random per start</td><td>HMAC key for signed attachment URLs</td></tr>
 * </table>
 */
public class AuthFactory {
    @JsonProperty
    @JsonDeserialize(using = CommaSeparatedList.class)
    private List<String> tokens = new ArrayList<>();

    @JsonProperty
    private boolean allowUnauthenticatedNonLoopback = false;

    @JsonProperty
    private String urlSigningKey;

    public List<String> getTokens() {
        return tokens == null ? List.of() : List.copyOf(tokens);
    }

    public boolean isAllowUnauthenticatedNonLoopback() {
        return allowUnauthenticatedNonLoopback;
    }

    public String getUrlSigningKey() {
        return urlSigningKey == null || urlSigningKey.isBlank() ? null : urlSigningKey;
    }
}
