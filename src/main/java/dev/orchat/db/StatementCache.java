package dev.orchat.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The prepared statements of one long-lived connection, by SQL text (docs/architecture.md, "The store"). The turn's
 * hot statements run thousands of times on the same few pinned connections; preparing each once saves SQLite's
 * {@code prepare} and all of JDBI's per-call statement machinery on every later run. Owned by one
 * {@link PinnedHandle}, so used by one thread at a time; dropped with its connection.
 */
final class StatementCache {
    /** A bound on distinct statements, so a caller building SQL from data could never grow it without limit. */
    static final int MAX_STATEMENTS = 64;
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    StatementCache(Connection connection) {
        this.connection = connection;
    }

    PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps != null) {
            ps.clearParameters();
            return ps;
        }
        ps = connection.prepareStatement(sql);
        if (statements.size() < MAX_STATEMENTS) {
            statements.put(sql, ps);
        }
        return ps;
    }

    /** Whether {@code ps} is cached here (an uncached one is the caller's to close). */
    boolean holds(String sql, PreparedStatement ps) {
        return statements.get(sql) == ps;
    }

    /**
     * Forgets and closes the statement of {@code sql} after it failed: whatever state the driver left it in (a
     * half-stepped SQLite statement, an aborted PostgreSQL portal), the next use prepares a fresh one.
     */
    void evict(String sql) {
        closeQuietly(statements.remove(sql));
    }

    int size() {
        return statements.size();
    }

    /** Closes every statement; the connection itself is its owner's to close. */
    void close() {
        statements.values().forEach(StatementCache::closeQuietly);
        statements.clear();
    }

    private static void closeQuietly(PreparedStatement ps) {
        if (ps == null) {
            return;
        }
        try {
            ps.close();
        } catch (SQLException | RuntimeException e) {
            // The connection may already be broken; nothing more to release.
        }
    }
}
