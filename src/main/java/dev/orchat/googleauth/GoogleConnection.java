package dev.orchat.googleauth;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single connected Google account (docs/api.md §2.27): status, usable access tokens and disconnect. Refresh is
 * single-flight in this process (one lock) and guarded across processes by the row's {@code version}; whoever
 * loses re-reads the winner's token instead of refreshing again.
 */
public final class GoogleConnection {
    private static final Logger LOG = LoggerFactory.getLogger(GoogleConnection.class);
    private static final Logger AUDIT = LoggerFactory.getLogger("audit");
    static final Duration REFRESH_MARGIN = Duration.ofMinutes(5);
    public static final String RECONNECT = "Google access expired; reconnect Google in Settings";
    public static final String NOT_CONNECTED = "Google is not connected; connect Google in Settings";

    private final Optional<String> problem;
    private final TokenCipher cipher;
    private final GoogleTokenStore store;
    private final OAuthClient oauth;
    private final GoogleFactory config;
    private final Clock clock;
    private final Meter refreshes;
    private final Meter refreshFailures;
    private final ReentrantLock refreshLock = new ReentrantLock();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    GoogleConnection(Optional<String> problem, TokenCipher cipher, GoogleTokenStore store, OAuthClient oauth,
                     GoogleFactory config, Clock clock, MetricRegistry metrics) {
        this.problem = problem;
        this.cipher = cipher;
        this.store = store;
        this.oauth = oauth;
        this.config = config;
        this.clock = clock;
        this.refreshes = metrics.meter("google.token.refreshes");
        this.refreshFailures = metrics.meter("google.token.refresh_failures");
    }

    /** Why Google features are off (missing client file or key), or empty when configured. */
    public Optional<String> configurationProblem() {
        return problem;
    }

    public GoogleFactory config() {
        return config;
    }

    /** Status as docs/api.md §2.27 shows it; never touches Google and never deletes anything. */
    public record Status(boolean authorized, String email, List<String> scopes, Instant expiresAt, boolean needsReauth) {
    }

    public Status status() {
        if (problem.isPresent()) {
            return new Status(false, null, List.of(), null, false);
        }
        Optional<GoogleTokenStore.TokenRow> row = store.token();
        if (row.isEmpty()) {
            return new Status(false, null, List.of(), null, false);
        }
        GoogleTokenStore.TokenRow r = row.get();
        boolean valid = "valid".equals(r.status()) && r.refreshEnc() != null;
        return new Status(valid, r.email(), scopeList(r.scopes()), valid ? r.expiresAt() : null, !valid);
    }

    /** Connected with a refreshable token: the Google built-ins are {@code connected} (docs/operations.md, "MCP servers"). */
    public boolean isUsable() {
        return status().authorized();
    }

    public Set<String> grantedScopes() {
        return new LinkedHashSet<>(status().scopes());
    }

    /** Called on connect, disconnect and loss of access so the built-ins can change state and re-list tools. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    /**
     * What the built-ins' state depends on (connected, account, scopes, needs re-authorisation), not the access
     * token's expiry: another instance that connects or disconnects changes it, a refresh does not.
     */
    public String sharedState() {
        Status s = status();
        return s.authorized() + "|" + s.email() + "|" + s.scopes() + "|" + s.needsReauth();
    }

    /** Another instance connected, disconnected or lost access (docs/operations.md, "Several instances"). */
    public void changedElsewhere() {
        changed();
    }

    void changed() {
        for (Runnable l : listeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                LOG.warn("Google connection listener failed", e);
            }
        }
    }

    /** No usable token; the message is the one-sentence explanation a tool returns. */
    public static final class NotConnected extends Exception {
        public NotConnected(String message) {
            super(message, null, false, false);
        }
    }

    /** A current access token, refreshed first when under 5 minutes remain. */
    public String accessToken() throws NotConnected {
        GoogleTokenStore.TokenRow row = usableRow();
        if (fresh(row)) {
            return decryptOrReauth(row.accessEnc());
        }
        return refreshUnlessFresh(null);
    }

    /**
     * After Google answered 401 to {@code rejected}: refresh unless another caller already replaced that token.
     */
    public String refreshAfterRejection(String rejected) throws NotConnected {
        return refreshUnlessFresh(rejected);
    }

    /** A second 401 after a refresh: the grant is gone in practice (docs/operations.md, "MCP servers"). */
    public void markNeedsReauth(String why) {
        store.markNeedsReauth();
        AUDIT.info("google connection needs re-authorisation: {}", why);
        changed();
    }

    private String refreshUnlessFresh(String rejected) throws NotConnected {
        refreshLock.lock();
        try {
            // Single-flight here (the lock) and across instances (the store's cluster lock); whoever waited finds
            // the winner's fresh token in the row it re-reads.
            return store.exclusively("google-refresh", () -> {
                GoogleTokenStore.TokenRow row = usableRow();
                if (fresh(row)) {
                    String current = decryptOrReauth(row.accessEnc());
                    if (rejected == null || !rejected.equals(current)) {
                        return current;
                    }
                }
                return refresh(row);
            });
        } finally {
            refreshLock.unlock();
        }
    }

    private String refresh(GoogleTokenStore.TokenRow row) throws NotConnected {
        String refreshToken = decryptOrReauth(row.refreshEnc());
        OAuthClient.TokenResponse answer;
        try {
            answer = oauth.refresh(refreshToken);
        } catch (OAuthClient.TokenError e) {
            refreshFailures.mark();
            if (e.invalidGrant()) {
                // With rotating refresh tokens, another instance that refreshed first has invalidated ours: its
                // newer row is good, so take it instead of giving up the account.
                // Its write may land a moment after Google answered us, hence the short grace period.
                Optional<GoogleTokenStore.TokenRow> winner = awaitNewerRow(row.version());
                if (winner.isPresent()) {
                    return decryptOrReauth(winner.get().accessEnc());
                }
                markNeedsReauth("refresh answered invalid_grant");
                throw new NotConnected(RECONNECT);
            }
            LOG.warn("Google token refresh failed: {}", e.error());
            throw new NotConnected("Google token refresh failed; try again shortly");
        }
        refreshes.mark();
        // Google rotates refresh tokens only sometimes; keep the old one when none came back.
        String nextRefresh = answer.refreshToken() != null ? answer.refreshToken() : refreshToken;
        String scopes = answer.scope() != null ? answer.scope() : row.scopes();
        Instant expires = clock.instant().plusSeconds(answer.expiresInSeconds());
        if (!store.updateIfVersion(row.version(), scopes, cipher.encrypt(answer.accessToken()), cipher.encrypt(nextRefresh), expires)) {
            // Another instance refreshed first; its token is as good as ours and is the one stored.
            GoogleTokenStore.TokenRow winner = usableRow();
            return decryptOrReauth(winner.accessEnc());
        }
        return answer.accessToken();
    }

    private Optional<GoogleTokenStore.TokenRow> awaitNewerRow(int version) {
        for (int i = 0; i < 5; i++) {
            Optional<GoogleTokenStore.TokenRow> now = store.token();
            if (now.isPresent() && now.get().version() != version) {
                return now.filter(r -> "valid".equals(r.status()) && fresh(r));
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Optional.empty();
    }

    private GoogleTokenStore.TokenRow usableRow() throws NotConnected {
        if (problem.isPresent()) {
            throw new NotConnected("Google integration is not configured");
        }
        Optional<GoogleTokenStore.TokenRow> row = store.token();
        if (row.isEmpty()) {
            throw new NotConnected(NOT_CONNECTED);
        }
        if (!"valid".equals(row.get().status()) || row.get().refreshEnc() == null) {
            throw new NotConnected(RECONNECT);
        }
        reencryptIfRotated(row.get());
        return row.get();
    }

    /** Values under a previous key are rewritten under the current one (docs/api.md §2.27); losing the race is fine. */
    private void reencryptIfRotated(GoogleTokenStore.TokenRow row) throws NotConnected {
        if (cipher.needsReencryption(row.accessEnc()) || cipher.needsReencryption(row.refreshEnc())) {
            String access = decryptOrReauth(row.accessEnc());
            String refresh = decryptOrReauth(row.refreshEnc());
            store.updateIfVersion(row.version(), row.scopes(), cipher.encrypt(access), cipher.encrypt(refresh), row.expiresAt());
        }
    }

    private boolean fresh(GoogleTokenStore.TokenRow row) {
        Instant expires = row.expiresAt();
        return row.accessEnc() != null && expires != null
                && Duration.between(clock.instant(), expires).compareTo(REFRESH_MARGIN) >= 0;
    }

    private String decryptOrReauth(String value) throws NotConnected {
        try {
            return cipher.decrypt(value);
        } catch (TokenCipher.Undecryptable e) {
            markNeedsReauth("stored token unreadable: " + e.getMessage());
            throw new NotConnected(RECONNECT);
        }
    }

    /** Revokes at Google (best effort) and forgets the account (docs/api.md §2.27). */
    public void disconnect() {
        if (problem.isPresent()) {
            return;
        }
        Optional<GoogleTokenStore.TokenRow> row = store.token();
        if (row.isEmpty()) {
            return;
        }
        String token = null;
        try {
            token = row.get().refreshEnc() != null ? cipher.decrypt(row.get().refreshEnc()) : cipher.decrypt(row.get().accessEnc());
        } catch (TokenCipher.Undecryptable e) {
            LOG.info("Stored Google token unreadable; deleting without revocation");
        }
        boolean revoked = token != null && oauth.revoke(token);
        store.deleteToken();
        AUDIT.info("google disconnected: revoked={}", revoked);
        changed();
    }

    static List<String> scopeList(String scopes) {
        return scopes == null || scopes.isBlank() ? List.of() : Arrays.stream(scopes.trim().split("\\s+")).toList();
    }
}
