package dev.orchat.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchat.testing.TestApp;
import dev.orchat.testing.TestDatabase;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Statements cached per pinned connection (docs/architecture.md, "The store"), with the writer the app uses on each
 * database (one connection on PostgreSQL here, so every job meets the same cache): prepared once and reused across
 * jobs, replaced after a failure without disturbing the transaction's other work, dropped with their connection.
 */
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class StatementCacheTest {
    private static final String INSERT = "INSERT INTO t (k, v) VALUES (?, ?)";
    private static final String COUNT = "SELECT COUNT(*) FROM t WHERE v >= ?";
    private Jdbi jdbi;
    private Writer writer;
    private ExecutorService callers;

    @BeforeEach
    void setUp() throws Exception {
        jdbi = Jdbi.create(TestDatabase.dataSource(TestApp.tempDir()));
        jdbi.useHandle(h -> h.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)"));
        writer = TestDatabase.postgres() ? new PooledWriter(jdbi, 1) : new GroupCommitWriter(jdbi, 64);
        writer.start();
        callers = Executors.newFixedThreadPool(8);
    }

    @AfterEach
    void tearDown() throws Exception {
        callers.shutdownNow();
        writer.stop();
    }

    private int insert(String key, int value) {
        return writer.write(h -> h.update(INSERT, p -> p.text(key).integer(value)));
    }

    /** The statement that ran {@link #COUNT}, as the driver hands it back with its result set. */
    private Statement countStatement(PinnedHandle h) {
        return h.query(COUNT, p -> p.integer(0), rs -> rs.getStatement());
    }

    private int countAtLeast(int v) {
        return writer.write(h -> h.query(COUNT, p -> p.integer(v), rs -> rs.next() ? rs.getInt(1) : -1));
    }

    private int count() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM t").mapTo(Integer.class).one());
    }

    @Test
    void aStatementIsPreparedOnceAndReusedAcrossJobs() {
        Statement first = writer.write(this::countStatement);
        insert("a", 1);
        Statement second = writer.write(this::countStatement);
        assertThat(second).isSameAs(first);
        assertThat(countAtLeast(1)).isEqualTo(1); // bound afresh each time
        assertThat(countAtLeast(2)).isZero();
    }

    @Test
    void aFailedStatementIsReplacedAndOnlyItsJobIsUndone() {
        insert("a", 1);
        Statement before = writer.write(h -> h.query("INSERT INTO t (k, v) VALUES (?, ?) RETURNING v",
                p -> p.text("b").integer(2), rs -> rs.getStatement()));
        assertThatThrownBy(() -> writer.write(h -> {
            h.update(INSERT, p -> p.text("half").integer(1));
            return h.query("INSERT INTO t (k, v) VALUES (?, ?) RETURNING v", p -> p.text("a").integer(3),
                    rs -> rs.getStatement()); // duplicate key
        })).isInstanceOf(StatementException.class).hasCauseInstanceOf(SQLException.class);
        assertThat(count()).isEqualTo(2); // 'half' went with its job

        Statement after = writer.write(h -> h.query("INSERT INTO t (k, v) VALUES (?, ?) RETURNING v",
                p -> p.text("c").integer(4), rs -> rs.getStatement()));
        assertThat(after).isNotSameAs(before); // the failed one was evicted, a fresh one prepared
        assertThat(insert("d", 5)).isEqualTo(1);
        assertThat(count()).isEqualTo(4);
    }

    @Test
    void aFailingJobInAGroupCommitIsUndoneAloneWhileItsBatchReusesTheSameStatements() throws Exception {
        if (TestDatabase.postgres()) {
            return; // group commits are SQLite's (GroupCommitWriterTest); PostgreSQL runs one job per transaction
        }
        CountDownLatch queued = new CountDownLatch(1);
        Future<Integer> first = callers.submit(() -> writer.write(h -> {
            await(queued);
            return h.update(INSERT, p -> p.text("first").integer(1));
        }));
        List<Future<Integer>> others = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String key = "k" + i;
            others.add(callers.submit(() -> insert(key, 1)));
        }
        Future<Integer> failing = callers.submit(() -> writer.write(h -> {
            h.update(INSERT, p -> p.text("half").integer(1));
            return h.update(INSERT, p -> p.text("k0").integer(2)); // duplicate key
        }));
        Thread.sleep(200);
        queued.countDown();

        assertThat(first.get()).isEqualTo(1);
        for (Future<Integer> f : others) {
            assertThat(f.get()).isEqualTo(1);
        }
        assertThatThrownBy(failing::get).hasRootCauseInstanceOf(SQLException.class);
        assertThat(count()).isEqualTo(11);
        assertThat(insert("after", 1)).isEqualTo(1);
    }

    @Test
    void discardingAConnectionDropsItsStatements() throws Exception {
        PinnedHandle pinned = new PinnedHandle(jdbi);
        pinned.open();
        Statement before = countStatement(pinned);
        assertThat(pinned.cachedStatements()).isEqualTo(1);

        pinned.discard();
        assertThat(pinned.cachedStatements()).isZero();
        assertThat(before.isClosed()).isTrue();
        assertThatThrownBy(() -> countStatement(pinned)).isInstanceOf(IllegalStateException.class);

        pinned.open();
        assertThat(countStatement(pinned)).isNotSameAs(before);
        pinned.discard();
    }

    @Test
    void aCachedReadSeesEveryCommitMadeBeforeIt() {
        ReadPool readers = new ReadPool(jdbi, 1);
        try {
            // The same cached statement on the same connection must not keep an old snapshot between reads.
            int before = readers.read(h -> h.query(COUNT, p -> p.integer(0), rs -> rs.next() ? rs.getInt(1) : -1));
            insert("a", 1);
            int after = readers.read(h -> h.query(COUNT, p -> p.integer(0), rs -> rs.next() ? rs.getInt(1) : -1));
            assertThat(before).isZero();
            assertThat(after).isEqualTo(1);
        } finally {
            readers.close();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
