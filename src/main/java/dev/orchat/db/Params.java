package dev.orchat.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/**
 * Binds the {@code ?} parameters of a cached statement left to right (docs/architecture.md, "The store"). Nulls are
 * bound with their SQL type, as JDBI does, so PostgreSQL can type a parameter used only in {@code ? IS NULL}.
 */
public final class Params {
    private final PreparedStatement ps;
    private int index;

    Params(PreparedStatement ps) {
        this.ps = ps;
    }

    public Params text(String value) throws SQLException {
        if (value == null) {
            ps.setNull(++index, Types.VARCHAR);
        } else {
            ps.setString(++index, value);
        }
        return this;
    }

    public Params integer(Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(++index, Types.INTEGER);
        } else {
            ps.setInt(++index, value);
        }
        return this;
    }

    public Params bigint(Long value) throws SQLException {
        if (value == null) {
            ps.setNull(++index, Types.BIGINT);
        } else {
            ps.setLong(++index, value);
        }
        return this;
    }

    public Params real(Double value) throws SQLException {
        if (value == null) {
            ps.setNull(++index, Types.DOUBLE);
        } else {
            ps.setDouble(++index, value);
        }
        return this;
    }

    public Params bool(boolean value) throws SQLException {
        ps.setBoolean(++index, value);
        return this;
    }
}
