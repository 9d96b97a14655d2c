package dev.orchat.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchat.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** PostgreSQL's writer (docs/architecture.md, "The store"): concurrent, all-or-nothing, nested writes join. */
@Tag("database")
@EnabledIfSystemProperty(named = "orchat.test.db", matches = "postgresql")
class PooledWriterTest {
    private Jdbi jdbi;
    private PooledWriter writer;

    @BeforeEach
    void setUp() {
        jdbi = Jdbi.create(TestDatabase.freshPostgresUrl());
        jdbi.useHandle(h -> h.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)"));
        writer = new PooledWriter(jdbi, 4);
        writer.start();
    }

    @AfterEach
    void tearDown() {
        writer.stop();
    }

    private int count() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM t").mapTo(Integer.class).one());
    }

    @Test
    void aFailingWriteLeavesNothingAndItsConnectionStaysUsable() {
        assertThatThrownBy(() -> writer.write(h -> {
            h.handle().execute("INSERT INTO t (k, v) VALUES ('a', 1)");
            return h.handle().execute("INSERT INTO t (k, v) VALUES ('a', 2)"); // duplicate key
        })).hasMessageContaining("duplicate key");
        assertThat(count()).isZero();
        for (int i = 0; i < 8; i++) { // every pooled connection is used again after the failure
            int n = i;
            writer.write(h -> h.handle().execute("INSERT INTO t (k, v) VALUES (?, ?)", "k" + n, n));
        }
        assertThat(count()).isEqualTo(8);
    }

    @Test
    void aNestedWriteJoinsTheOuterTransaction() {
        assertThatThrownBy(() -> writer.write(h -> {
            writer.write(inner -> inner.handle().execute("INSERT INTO t (k, v) VALUES ('inner', 1)"));
            throw new IllegalStateException("outer fails after the nested write");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(count()).isZero();
    }

    @Test
    void concurrentWritersEachGetTheirOwnOutcome() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String key = "c" + (i % 150); // 50 duplicates: each fails alone
                int value = i;
                results.add(callers.submit(() -> {
                    try {
                        return writer.write(h -> h.handle().execute("INSERT INTO t (k, v) VALUES (?, ?)", key, value));
                    } catch (RuntimeException e) {
                        return -1;
                    }
                }));
            }
            int ok = 0;
            int failed = 0;
            for (Future<Integer> r : results) {
                if (r.get() == 1) {
                    ok++;
                } else {
                    failed++;
                }
            }
            assertThat(ok).isEqualTo(150);
            assertThat(failed).isEqualTo(50);
            assertThat(count()).isEqualTo(150);
        } finally {
            callers.shutdownNow();
        }
    }
}
