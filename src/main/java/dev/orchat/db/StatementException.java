package dev.orchat.db;

import java.sql.SQLException;

/** A cached statement failed (docs/architecture.md, "The store"); the driver's {@link SQLException} is the cause. */
public final class StatementException extends RuntimeException {
    public StatementException(String sql, SQLException cause) {
        super(cause.getMessage() + " [statement: " + sql + "]", cause);
    }
}
