package dev.orchat.db;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * PostgreSQL's writer: a few long-lived connections, each write its own transaction on one of them, so writes of
 * different turns run side by side and conflicts are settled by the server (row locks, the unique indexes that hold
 * the invariants). Batching commits as on SQLite would gain nothing here: PostgreSQL commits concurrent
 * transactions together in its WAL flush already.
 */
final class PooledWriter implements Writer {
    private final BlockingQueue<PinnedHandle> idle;
    /** The handle a thread is writing on, so a nested write joins its transaction. */
    private final ThreadLocal<PinnedHandle> current = new ThreadLocal<>();
    private volatile boolean accepting = true;

    PooledWriter(Jdbi jdbi, int connections) {
        int n = Math.max(1, connections);
        this.idle = new ArrayBlockingQueue<>(n);
        for (int i = 0; i < n; i++) {
            idle.add(new PinnedHandle(jdbi));
        }
    }

    @Override
    public <T> T write(Function<PinnedHandle, T> work) {
        PinnedHandle nested = current.get();
        if (nested != null) {
            return work.apply(nested);
        }
        if (!accepting) {
            throw new IllegalStateException("The database writer has stopped");
        }
        PinnedHandle pinned;
        try {
            pinned = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a write connection", e);
        }
        current.set(pinned);
        Handle h = null;
        try {
            h = pinned.open();
            h.begin();
            T value = work.apply(pinned);
            h.commit();
            return value;
        } catch (RuntimeException | Error e) {
            rollback(h, pinned);
            throw e;
        } finally {
            current.remove();
            idle.add(pinned);
        }
    }

    private static void rollback(Handle h, PinnedHandle pinned) {
        if (h == null) {
            return;
        }
        try {
            h.rollback();
        } catch (RuntimeException broken) {
            pinned.discard(); // the connection itself failed; the next write opens a fresh one
        }
    }

    @Override
    public void start() {
        // Connections open on first use.
    }

    @Override
    public void stop() {
        accepting = false;
        for (PinnedHandle h : idle) {
            h.discard();
        }
    }
}
