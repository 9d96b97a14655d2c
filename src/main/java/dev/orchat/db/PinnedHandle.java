package dev.orchat.db;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A long-lived connection with its DAOs attached once and its hot statements prepared once. Attaching a SqlObject
 * DAO to a fresh handle costs ~0.4 ms (JDBI rebuilds its per-handle caches), which made each turn transaction ~30×
 * slower than its SQL; and even on an attached DAO each call pays for JDBI's per-statement machinery and a fresh
 * SQLite {@code prepare}. So the statements of a turn run through {@link #query} and {@link #update}: plain JDBC on
 * statements cached per connection (docs/architecture.md, "The store"). The writer thread of
 * {@link GroupCommitWriter} owns one; {@link ReadPool} and {@link PooledWriter} lend out a few more. A pinned
 * handle is used by one thread at a time.
 */
public final class PinnedHandle {
    private final Jdbi jdbi;
    private final Map<Class<?>, Object> daos = new HashMap<>();
    private Handle handle;
    private StatementCache statements;

    PinnedHandle(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Binds a statement's parameters. */
    @FunctionalInterface
    public interface Binder {
        void bind(Params params) throws SQLException;
    }

    /** Reads a query's rows; the result set is closed (and the statement reset) afterwards. */
    @FunctionalInterface
    public interface Rows<T> {
        T read(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    private interface Execution<T> {
        T run(PreparedStatement ps) throws SQLException;
    }

    public <D> D dao(Class<D> type) {
        return type.cast(daos.computeIfAbsent(type, t -> handle.attach(t)));
    }

    /**
     * The open connection itself, for plain JDBI statements that have no DAO (the import's column-by-name inserts).
     * Valid only inside the {@link GroupCommitWriter} job or {@link ReadPool} read that was given this handle, on
     * its thread. The writer owns the transaction and its savepoints: never begin, commit, roll back or close it.
     */
    public Handle handle() {
        if (handle == null) {
            throw new IllegalStateException("Only inside a write job or a read");
        }
        return handle;
    }

    /**
     * Runs a query (or an {@code INSERT/UPDATE … RETURNING}) on this connection's cached statement for {@code sql}.
     * Same validity as {@link #handle()}. {@code sql} must be a constant (it is the cache key), never built from data.
     */
    public <T> T query(String sql, Binder binder, Rows<T> rows) {
        return run(sql, binder, ps -> {
            try (ResultSet rs = ps.executeQuery()) {
                return rows.read(rs);
            }
        });
    }

    /** Runs an update on this connection's cached statement for {@code sql}; returns the changed row count. */
    public int update(String sql, Binder binder) {
        return run(sql, binder, PreparedStatement::executeUpdate);
    }

    private <T> T run(String sql, Binder binder, Execution<T> execution) {
        StatementCache cache = statements();
        PreparedStatement ps = null;
        try {
            ps = cache.prepare(sql);
            binder.bind(new Params(ps));
            T value = execution.run(ps);
            if (!cache.holds(sql, ps)) {
                ps.close();
            }
            return value;
        } catch (SQLException e) {
            forget(cache, sql, ps);
            throw new StatementException(sql, e);
        } catch (RuntimeException | Error e) {
            forget(cache, sql, ps);
            throw e;
        }
    }

    private static void forget(StatementCache cache, String sql, PreparedStatement ps) {
        if (ps == null) {
            return;
        }
        if (cache.holds(sql, ps)) {
            cache.evict(sql);
        } else {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // Closing a failed statement; the original failure is what the caller needs.
            }
        }
    }

    private StatementCache statements() {
        if (statements == null) {
            statements = new StatementCache(handle().getConnection());
        }
        return statements;
    }

    /** How many statements this connection holds prepared (tests). */
    int cachedStatements() {
        return statements == null ? 0 : statements.size();
    }

    Handle open() {
        if (handle == null || handle.isClosed()) {
            forgetConnection();
            handle = jdbi.open();
        }
        return handle;
    }

    /** Drops the connection after an unexpected failure; the next use opens a fresh one. */
    void discard() {
        forgetConnection();
        if (handle != null) {
            try {
                handle.close();
            } catch (RuntimeException e) {
                // Already broken; nothing more to release.
            }
        }
        handle = null;
    }

    /** DAOs and statements belong to one connection: a new connection starts without them. */
    private void forgetConnection() {
        daos.clear();
        if (statements != null) {
            statements.close();
            statements = null;
        }
    }
}
