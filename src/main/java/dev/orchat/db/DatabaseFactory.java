package dev.orchat.db;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.db.DataSourceFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Dropwizard's data source plus {@code migrateOnStart} (default true). The driver follows the URL so that
 * {@code DATABASE_URL} alone switches between SQLite and PostgreSQL.
 */
public class DatabaseFactory extends DataSourceFactory {
    @JsonProperty
    private boolean migrateOnStart = true;

    /** Long-lived read connections for the turn path (docs/configuration.md, {@code database.readConnections}). */
    @JsonProperty
    @jakarta.validation.constraints.Min(1)
    private int readConnections = 4;

    /** At most this many queued writes share one commit of the group-commit writer. */
    @JsonProperty
    @jakarta.validation.constraints.Min(1)
    private int maxWriteBatch = 256;

    public DatabaseFactory() {
        setDriverClass("org.sqlite.JDBC");
        setUrl("jdbc:sqlite:data/chat.db");
        // sqlite-jdbc returns no generated keys when Dropwizard prefixes a comment (ADR 0008).
        setAutoCommentsEnabled(false);
        // Liquibase hands its connection back with auto-commit off; JDBI would then treat every transaction
        // as nested and never commit. The ConnectionState interceptor makes the pool restore the default
        // auto-commit on every borrow (Migrations also restores it), not only when a connection is created.
        setAutoCommitByDefault(true);
        setJdbcInterceptors(java.util.Optional.of("ConnectionState"));
    }

    public boolean isMigrateOnStart() {
        return migrateOnStart;
    }

    /** The writer and read pool over {@code jdbi}; they take {@code 1 + readConnections} of the pool's connections. */
    public Database open(org.jdbi.v3.core.Jdbi jdbi) {
        return new Database(jdbi, readConnections, maxWriteBatch);
    }

    public boolean isSqlite() {
        return getUrl().startsWith("jdbc:sqlite:");
    }

    @Override
    public String getDriverClass() {
        String url = getUrl();
        if (url != null && url.startsWith("jdbc:postgresql:")) {
            return "org.postgresql.Driver";
        }
        if (url != null && url.startsWith("jdbc:sqlite:")) {
            return "org.sqlite.JDBC";
        }
        return super.getDriverClass();
    }

    /** SQLite does not create the folder of its file; do it (owner-only) before the pool opens. */
    public void prepareStorage() throws java.io.IOException {
        if (!isSqlite()) {
            return;
        }
        String file = getUrl().substring("jdbc:sqlite:".length());
        int query = file.indexOf('?');
        if (query >= 0) {
            file = file.substring(0, query);
        }
        if (file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:")) {
            return;
        }
        Path parent = Path.of(file).toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }
}
