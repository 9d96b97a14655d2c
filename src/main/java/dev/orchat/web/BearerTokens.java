package dev.orchat.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/** The configured bearer tokens (docs/api.md §1.1) and the one constant-time check of an Authorization header. */
public final class BearerTokens {
    private final List<byte[]> tokens;

    public BearerTokens(List<String> tokens) {
        this.tokens = tokens.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** Whether authentication is on at all (no tokens = open, loopback-only service). */
    public boolean isActive() {
        return !tokens.isEmpty();
    }

    public boolean accepts(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] candidate = authorizationHeader.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        for (byte[] token : tokens) {
            // MessageDigest.isEqual is constant-time for equal lengths; check every token regardless.
            ok |= MessageDigest.isEqual(token, candidate);
        }
        return ok;
    }
}
