package dev.orchat.googleauth;

import dev.orchat.db.Timestamps;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * SQL for {@code oauth_tokens} and {@code oauth_flows} (docs/architecture.md §7). Every value it writes to a token or verifier
 * column is already ciphertext. Multi-statement work runs in one transaction, which the pool begins as
 * {@code BEGIN IMMEDIATE} (ADR 0008); refresh writes are conditional on {@code version} (docs/api.md §2.27).
 */
public final class GoogleTokenStore {
    static final String PROVIDER = "google";
    private final Jdbi jdbi;
    private final Clock clock;

    public GoogleTokenStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** One row of {@code oauth_tokens}. */
    public record TokenRow(String email, String subject, String scopes, String accessEnc, String refreshEnc,
                           String accessExpiresAt, String status, int version) {
        public Instant expiresAt() {
            return accessExpiresAt == null ? null : Instant.parse(accessExpiresAt);
        }
    }

    /** One row of {@code oauth_flows}; {@code usable} = unconsumed and unexpired when it was claimed. */
    public record FlowRow(String verifierEnc, String redirectUri, String scopes, boolean usable) {
    }

    private String now() {
        return Timestamps.format(clock.instant());
    }

    /** Work that may throw one checked exception type. */
    public interface Exclusive<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Runs {@code work} while no other instance runs work under the same lock (docs/operations.md, "Several
     * instances"): a PostgreSQL advisory lock held on one connection for the duration, so a token refresh is
     * single-flight across instances (the others wait, then find the fresh token). SQLite serves one instance:
     * the caller's in-process lock suffices.
     */
    public <T, E extends Exception> T exclusively(String name, Exclusive<T, E> work) throws E {
        if (!postgres()) {
            return work.run();
        }
        try (org.jdbi.v3.core.Handle h = jdbi.open()) {
            h.createQuery("SELECT pg_advisory_lock(hashtext(:n))::text").bind("n", "orchat:" + name)
                    .mapTo(String.class).one();
            try {
                return work.run();
            } finally {
                h.createQuery("SELECT pg_advisory_unlock(hashtext(:n))").bind("n", "orchat:" + name)
                        .mapTo(Boolean.class).one();
            }
        }
    }

    private volatile Boolean postgres;

    private boolean postgres() {
        Boolean known = postgres;
        if (known == null) {
            known = jdbi.withHandle(h -> {
                try {
                    return h.getConnection().getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
                } catch (java.sql.SQLException e) {
                    return false;
                }
            });
            postgres = known;
        }
        return known;
    }

    public Optional<TokenRow> token() {
        return jdbi.withHandle(h -> h.createQuery("SELECT account_email, account_subject, scopes, access_token_enc, "
                        + "refresh_token_enc, access_expires_at, status, version FROM oauth_tokens WHERE provider = :p")
                .bind("p", PROVIDER)
                .map((rs, ctx) -> new TokenRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8)))
                .findOne());
    }

    /** A new connection replaces any previous account (docs/api.md §2.27). */
    public void replaceToken(String email, String subject, String scopes, String accessEnc, String refreshEnc, Instant expiresAt) {
        String now = now();
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO oauth_tokens (provider, account_email, account_subject, scopes, "
                        + "access_token_enc, refresh_token_enc, access_expires_at, status, version, created_at, updated_at) "
                        + "VALUES (:p, :email, :sub, :scopes, :access, :refresh, :exp, 'valid', 0, :now, :now) "
                        + "ON CONFLICT (provider) DO UPDATE SET account_email = excluded.account_email, "
                        + "account_subject = excluded.account_subject, scopes = excluded.scopes, "
                        + "access_token_enc = excluded.access_token_enc, refresh_token_enc = excluded.refresh_token_enc, "
                        + "access_expires_at = excluded.access_expires_at, status = 'valid', "
                        + "version = oauth_tokens.version + 1, created_at = excluded.created_at, updated_at = excluded.updated_at")
                .bind("p", PROVIDER).bind("email", email).bind("sub", subject).bind("scopes", scopes)
                .bind("access", accessEnc).bind("refresh", refreshEnc).bind("exp", Timestamps.format(expiresAt))
                .bind("now", now).execute());
    }

    /** Stores a refresh result only if nobody else changed the row since {@code version}; false = lost the race. */
    public boolean updateIfVersion(int version, String scopes, String accessEnc, String refreshEnc, Instant expiresAt) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE oauth_tokens SET scopes = :scopes, access_token_enc = :access, "
                        + "refresh_token_enc = :refresh, access_expires_at = :exp, version = version + 1, updated_at = :now "
                        + "WHERE provider = :p AND version = :v AND status = 'valid'")
                .bind("scopes", scopes).bind("access", accessEnc).bind("refresh", refreshEnc)
                .bind("exp", Timestamps.format(expiresAt)).bind("now", now()).bind("p", PROVIDER).bind("v", version)
                .execute()) == 1;
    }

    /** {@code invalid_grant} or an unreadable token: keep the account for the UI, drop the tokens (docs/api.md §2.27). */
    public void markNeedsReauth() {
        jdbi.useHandle(h -> h.createUpdate("UPDATE oauth_tokens SET status = 'needs_reauth', access_token_enc = NULL, "
                        + "refresh_token_enc = NULL, access_expires_at = NULL, version = version + 1, updated_at = :now "
                        + "WHERE provider = :p")
                .bind("now", now()).bind("p", PROVIDER).execute());
    }

    public int deleteToken() {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM oauth_tokens WHERE provider = :p").bind("p", PROVIDER).execute());
    }

    public void insertFlow(String stateHash, String verifierEnc, String redirectUri, String scopes, Instant expiresAt) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO oauth_flows (state_hash, provider, code_verifier_enc, redirect_uri, "
                        + "scopes, created_at, expires_at) VALUES (:hash, :p, :verifier, :redirect, :scopes, :now, :exp)")
                .bind("hash", stateHash).bind("p", PROVIDER).bind("verifier", verifierEnc).bind("redirect", redirectUri)
                .bind("scopes", scopes).bind("now", now()).bind("exp", Timestamps.format(expiresAt)).execute());
    }

    /** Claims a flow: it is consumed whatever happens next, so a state works at most once (docs/api.md §2.27). */
    public Optional<FlowRow> consumeFlow(String stateHash) {
        String now = now();
        return jdbi.inTransaction(h -> {
            Optional<FlowRow> row = h.createQuery("SELECT code_verifier_enc, redirect_uri, scopes, expires_at, consumed_at "
                            + "FROM oauth_flows WHERE state_hash = :hash")
                    .bind("hash", stateHash)
                    .map((rs, ctx) -> new FlowRow(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(5) == null && rs.getString(4).compareTo(now) > 0))
                    .findOne();
            row.ifPresent(r -> h.createUpdate("UPDATE oauth_flows SET consumed_at = :now WHERE state_hash = :hash AND consumed_at IS NULL")
                    .bind("now", now).bind("hash", stateHash).execute());
            return row;
        });
    }

    /** The sweep of docs/architecture.md §7: flows older than a day go. */
    public int deleteFlowsCreatedBefore(Instant cutoff) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM oauth_flows WHERE created_at < :cutoff")
                .bind("cutoff", Timestamps.format(cutoff)).execute());
    }
}
