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

    /**
     * PostgreSQL only: concurrent write transactions (each on its own long-lived connection). SQLite has one writer
     * whatever this says: it allows one write transaction at a time.
     */
    @JsonProperty
    @jakarta.validation.constraints.Min(1)
    private int writeConnections = 4;

    /** SQLite's pragmas, given as connection properties in config.yml; the PostgreSQL driver must not see them. */
    private static final java.util.Set<String> SQLITE_ONLY = java.util.Set.of("transaction_mode", "journal_mode",
            "busy_timeout", "foreign_keys", "synchronous");

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

    /**
     * The writer and read pool over {@code jdbi}: on SQLite one group-commit writer ({@code 1 + readConnections}
     * of the pool's connections), on PostgreSQL {@code writeConnections} concurrent writers.
     */
    public Database open(org.jdbi.v3.core.Jdbi jdbi) {
        return isPostgres() ? Database.postgres(jdbi, readConnections, writeConnections)
                : Database.sqlite(jdbi, readConnections, maxWriteBatch);
    }

    /** The pool, JDBI and the store's writer and readers, opened once at start. */
    public record Opened(io.dropwizard.db.ManagedDataSource dataSource, Database db) {
    }

    /**
     * Opens the database for the service: folder prepared (SQLite), pool built with its metrics, changelog applied
     * when {@code migrateOnStart}, and the writer and readers managed (stopped after the relays).
     */
    public Opened open(io.dropwizard.core.setup.Environment env) throws Exception {
        prepareStorage();
        io.dropwizard.db.ManagedDataSource dataSource = build(env.metrics(), "database");
        org.jdbi.v3.core.Jdbi jdbi = new io.dropwizard.jdbi3.JdbiFactory().build(env, this, dataSource, "database");
        if (migrateOnStart) {
            Migrations.apply(dataSource);
        }
        Database db = open(jdbi);
        env.lifecycle().manage(db);
        return new Opened(dataSource, db);
    }

    public boolean isSqlite() {
        return getUrl().startsWith("jdbc:sqlite:");
    }

    public boolean isPostgres() {
        return getUrl().startsWith("jdbc:postgresql:");
    }

    /**
     * Normalises {@code DATABASE_URL} before the pool is built: the {@code postgresql://user:pass@host/db} form
     * becomes a JDBC URL with the credentials moved to user and password (so the URL that Dropwizard and the driver
     * may print carries none), SQLite's pragmas are dropped for PostgreSQL, and the pool is made large enough for
     * the pinned read and write connections plus a few for the rest.
     */
    public void normalise() {
        DatabaseUrl parsed = DatabaseUrl.parse(getUrl(), getUser(), getPassword());
        setUrl(parsed.jdbcUrl());
        setUser(parsed.user() == null || parsed.user().isEmpty() ? null : parsed.user());
        setPassword(parsed.password() == null || parsed.password().isEmpty() ? null : parsed.password());
        setDriverClass(isPostgres() ? "org.postgresql.Driver" : "org.sqlite.JDBC");
        if (isPostgres()) {
            java.util.Map<String, String> properties = new java.util.LinkedHashMap<>(getProperties());
            properties.keySet().removeAll(SQLITE_ONLY);
            setProperties(properties);
            setMaxSize(Math.max(getMaxSize(), readConnections + writeConnections + 4));
        } else {
            setMaxSize(Math.max(getMaxSize(), readConnections + 1 + 2));
        }
        setInitialSize(Math.min(getInitialSize(), getMaxSize()));
        setMinSize(Math.min(getMinSize(), getMaxSize()));
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
        normalise();
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
