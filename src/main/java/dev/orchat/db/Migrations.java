package dev.orchat.db;

import java.sql.Connection;
import javax.sql.DataSource;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * Applies the bundled changelog. Liquibase switches auto-commit off on the connection it is given and the pool
 * does not reset it, so every method restores it before the connection goes back (otherwise JDBI sees an open
 * transaction and never commits).
 */
public final class Migrations {
    public static final String CHANGELOG = "migrations/changelog.yaml";

    private Migrations() {
    }

    public static void apply(DataSource dataSource) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            Database database = liquibase.database.DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            @SuppressWarnings("deprecation")
            Liquibase liquibase = new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(), database);
            try {
                liquibase.update(new Contexts(), new LabelExpression());
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    /** Number of changesets in the bundled changelog, for the database health check. */
    public static int changesetCount(DataSource dataSource) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            Database database = liquibase.database.DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            @SuppressWarnings("deprecation")
            Liquibase liquibase = new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(), database);
            try {
                return liquibase.getDatabaseChangeLog().getChangeSets().size();
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }
}
