package dev.orchat.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The group-commit writer on a real SQLite file: concurrent callers' writes share commits, yet each job stays
 * all-or-nothing and each caller learns its own outcome.
 */
class GroupCommitWriterTest {
    private Jdbi jdbi;
    private GroupCommitWriter writer;
    private ExecutorService callers;

    @BeforeEach
    void setUp() throws Exception {
        Path dir = Files.createTempDirectory("orchat-writer");
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + dir.resolve("w.db"));
        jdbi = Jdbi.create(ds);
        jdbi.useHandle(h -> h.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)"));
        writer = new GroupCommitWriter(jdbi, 64);
        writer.start();
        callers = Executors.newFixedThreadPool(16);
    }

    @AfterEach
    void tearDown() throws Exception {
        callers.shutdownNow();
        writer.stop();
    }

    private int insert(String key, int value) {
        return writer.write(h -> {
            PinnedHandle pinned = h;
            return pinned.open().execute("INSERT INTO t (k, v) VALUES (?, ?)", key, value);
        });
    }

    @Test
    void aFailingJobIsUndoneAloneWhileTheRestOfItsBatchCommits() throws Exception {
        // The first job holds the writer until every other caller has queued, so they share one batch.
        CountDownLatch queued = new CountDownLatch(1);
        Future<Integer> first = callers.submit(() -> writer.write(h -> {
            await(queued);
            return h.open().execute("INSERT INTO t (k, v) VALUES ('first', 1)");
        }));
        List<Future<Integer>> others = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String key = "k" + i;
            others.add(callers.submit(() -> insert(key, 1)));
        }
        // Half-done then failing: its first insert must be rolled back with it.
        Future<Integer> failing = callers.submit(() -> writer.write(h -> {
            h.open().execute("INSERT INTO t (k, v) VALUES ('half', 1)");
            return h.open().execute("INSERT INTO t (k, v) VALUES ('k0', 2)"); // duplicate key
        }));
        Thread.sleep(200);
        queued.countDown();

        assertThat(first.get()).isEqualTo(1);
        for (Future<Integer> f : others) {
            assertThat(f.get()).isEqualTo(1);
        }
        assertThatThrownBy(failing::get).hasRootCauseInstanceOf(java.sql.SQLException.class);
        assertThat(count("1 = 1")).isEqualTo(21);
        assertThat(count("k = 'half'")).isZero();
        Integer kept = jdbi.withHandle(h -> h.createQuery("SELECT v FROM t WHERE k = 'k0'").mapTo(Integer.class).one());
        assertThat(kept).isEqualTo(1);
    }

    @Test
    void aJobsOwnExceptionReachesItsCallerUnwrapped() {
        assertThatThrownBy(() -> writer.write(h -> {
            throw new IllegalArgumentException("no");
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("no");
        assertThat(insert("after", 1)).isEqualTo(1); // the connection is still good
    }

    @Test
    void aNestedWriteJoinsTheOuterTransaction() {
        assertThatThrownBy(() -> writer.write(h -> {
            insert("inner", 1);
            throw new IllegalStateException("outer fails");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(count("k = 'inner'")).isZero();
    }

    @Test
    void manyConcurrentWritersAllLand() throws Exception {
        List<Future<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String key = "c" + i;
            futures.add(callers.submit(() -> insert(key, 1)));
        }
        for (Future<Integer> f : futures) {
            assertThat(f.get()).isEqualTo(1);
        }
        assertThat(count("k LIKE 'c%'")).isEqualTo(500);
    }

    private int count(String where) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM t WHERE " + where).mapTo(Integer.class).one());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
