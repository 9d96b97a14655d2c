package dev.orchat.db;

import io.dropwizard.lifecycle.Managed;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The application's access to its database: every write through the one {@link GroupCommitWriter}, hot-path reads
 * on the {@link ReadPool}, and the plain {@link Jdbi} for the rest (history pages, admin). Managed: stopped after
 * the relays, before the connection pool (docs/architecture.md, shutdown order).
 */
public final class Database implements Managed {
    private final Jdbi jdbi;
    private final Writer writer;
    private final ReadPool readers;
    private final boolean postgres;

    private Database(Jdbi jdbi, Writer writer, ReadPool readers, boolean postgres) {
        this.jdbi = jdbi;
        this.writer = writer;
        this.readers = readers;
        this.postgres = postgres;
    }

    /** SQLite: one group-commit writer thread and a few WAL read connections. */
    public static Database sqlite(Jdbi jdbi, int readConnections, int maxWriteBatch) {
        return new Database(jdbi, new GroupCommitWriter(jdbi, maxWriteBatch), new ReadPool(jdbi, readConnections), false);
    }

    /** PostgreSQL: concurrent write transactions on {@code writeConnections} connections. */
    public static Database postgres(Jdbi jdbi, int readConnections, int writeConnections) {
        return new Database(jdbi, new PooledWriter(jdbi, writeConnections), new ReadPool(jdbi, readConnections), true);
    }

    /** Which SQL dialect the few statements that differ must use. */
    public boolean isPostgres() {
        return postgres;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** One all-or-nothing write, committed (possibly together with other callers' writes) before it returns. */
    public <T> T write(Function<PinnedHandle, T> work) {
        return writer.write(work);
    }

    /** A read on a pooled, pinned connection; sees everything committed before it starts. */
    public <T> T read(Function<PinnedHandle, T> work) {
        return readers.read(work);
    }

    /**
     * A slow multi-statement read (search, export) on one consistent snapshot, on a connection of the plain JDBI
     * pool, so it never holds one of the turn path's read connections. It opens a deferred transaction by hand:
     * {@code jdbi.inTransaction} would begin with {@code BEGIN IMMEDIATE} ({@code transaction_mode}, ADR 0008)
     * and take SQLite's write lock, making the group-commit writer wait; a deferred one in WAL mode takes only a
     * read snapshot, at its first {@code SELECT}. The work must not write.
     */
    public <T> T readSnapshot(Function<Handle, T> work) {
        return jdbi.withHandle(h -> {
            // SQLite's plain BEGIN is DEFERRED; PostgreSQL needs REPEATABLE READ for one snapshot across statements.
            h.execute(postgres ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN");
            try {
                return work.apply(h);
            } finally {
                h.execute("ROLLBACK"); // read only: nothing to keep
            }
        });
    }

    /**
     * Takes a cluster-wide lock named {@code name} for the rest of the write transaction {@code h} runs in, if no
     * other instance holds it (PostgreSQL advisory lock); false when one does. On SQLite there is one instance:
     * always true.
     */
    public boolean tryTransactionLock(PinnedHandle h, String name) {
        if (!postgres) {
            return true;
        }
        return h.handle().createQuery("SELECT pg_try_advisory_xact_lock(hashtext(:name))").bind("name", "orchat:" + name)
                .mapTo(Boolean.class).one();
    }

    /**
     * Runs {@code work} unless another instance is running work of the same {@code name} (sweeps, purges: docs/
     * operations.md, "Several instances"). PostgreSQL: a session advisory lock held on one connection for the
     * duration; SQLite: always runs. Returns whether it ran.
     */
    public boolean runExclusive(String name, Runnable work) {
        if (!postgres) {
            work.run();
            return true;
        }
        return jdbi.withHandle(h -> {
            boolean locked = h.createQuery("SELECT pg_try_advisory_lock(hashtext(:name))").bind("name", "orchat:" + name)
                    .mapTo(Boolean.class).one();
            if (!locked) {
                return false;
            }
            try {
                work.run();
                return true;
            } finally {
                h.createQuery("SELECT pg_advisory_unlock(hashtext(:name))").bind("name", "orchat:" + name)
                        .mapTo(Boolean.class).one();
            }
        });
    }

    @Override
    public void start() {
        writer.start();
    }

    @Override
    public void stop() throws InterruptedException {
        writer.stop();
        readers.close();
    }
}
