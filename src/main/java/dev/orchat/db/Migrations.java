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
        withLiquibase(dataSource, liquibase -> {
            liquibase.update(new Contexts(), new LabelExpression());
            return null;
        });
    }

    /** Number of changesets in the bundled changelog, for the database health check. */
    public static int changesetCount(DataSource dataSource) throws Exception {
        return withLiquibase(dataSource, liquibase -> liquibase.getDatabaseChangeLog().getChangeSets().size());
    }

    private interface LiquibaseWork<T> {
        T run(Liquibase liquibase) throws Exception;
    }

    private static <T> T withLiquibase(DataSource dataSource, LiquibaseWork<T> work) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            Database database = liquibase.database.DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            @SuppressWarnings("deprecation")
            Liquibase liquibase = new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(), database);
            try {
                return work.run(liquibase);
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }
}
