package dev.orchat.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Direct reads of the service's database (SQLite file or PostgreSQL), to check stored state the API does not show. */
public final class Db {
    private final String url;

    /** {@code file} is the app's {@code <folder>/chat.db}; on PostgreSQL runs, that folder's own database. */
    public Db(Path file) {
        this.url = TestDatabase.postgres() ? TestDatabase.urlFor(file.getParent()) : "jdbc:sqlite:" + file;
    }

    public List<Map<String, Object>> query(String sql, Object... args) {
        try (Connection c = DriverManager.getConnection(url); var st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), asSqlite(rs.getObject(i)));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Values as sqlite-jdbc returns them, so that a test's expectations hold on both databases: PostgreSQL's
     * BOOLEAN as 1/0, NUMERIC as a double, a BIGINT that fits as an int.
     */
    private static Object asSqlite(Object value) {
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (value instanceof java.math.BigDecimal d) {
            return d.doubleValue();
        }
        if (value instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            return l.intValue();
        }
        return value;
    }

    public int update(String sql, Object... args) {
        try (Connection c = DriverManager.getConnection(url); var st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setObject(i + 1, args[i]);
            }
            return st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public Map<String, Object> turn(String turnId) {
        return query("SELECT * FROM turns WHERE id = ?", turnId).get(0);
    }

    /** Invariant I2 for a whole session: every tool call answered exactly once, right after its message. */
    public void assertToolPairing(String sessionId) {
        List<Map<String, Object>> rows = query("SELECT role, tool_calls, tool_call_id FROM messages WHERE session_id = ? ORDER BY position", sessionId);
        java.util.Set<String> open = new java.util.HashSet<>();
        for (Map<String, Object> row : rows) {
            String role = (String) row.get("role");
            if (!"tool".equals(role) && !open.isEmpty()) {
                throw new AssertionError("Unanswered tool calls " + open + " before a " + role + " message");
            }
            if ("assistant".equals(role) && row.get("tool_calls") != null) {
                var matcher = java.util.regex.Pattern.compile("\"id\":\"([^\"]+)\"").matcher((String) row.get("tool_calls"));
                while (matcher.find()) {
                    open.add(matcher.group(1));
                }
            } else if ("tool".equals(role) && !open.remove((String) row.get("tool_call_id"))) {
                throw new AssertionError("Tool result without an open call: " + row.get("tool_call_id"));
            }
        }
        if (!open.isEmpty()) {
            throw new AssertionError("Unanswered tool calls at the end: " + open);
        }
    }
}
