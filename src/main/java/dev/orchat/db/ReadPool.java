package dev.orchat.db;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;

/**
 * A few long-lived read connections (docs/architecture.md, "The store"). In WAL mode SQLite readers run beside
 * the writer and beside each other, so reads are spread over the pool instead of queueing behind one lock; a
 * reader waits only when every connection is lent out.
 */
public final class ReadPool {
    private final BlockingQueue<PinnedHandle> idle;

    public ReadPool(Jdbi jdbi, int size) {
        int n = Math.max(1, size);
        this.idle = new ArrayBlockingQueue<>(n);
        for (int i = 0; i < n; i++) {
            idle.add(new PinnedHandle(jdbi));
        }
    }

    public <T> T read(Function<PinnedHandle, T> work) {
        PinnedHandle h;
        try {
            h = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a read connection", e);
        }
        try {
            h.open();
            return work.apply(h);
        } catch (RuntimeException e) {
            h.discard();
            throw e;
        } finally {
            idle.add(h);
        }
    }

    /** Closes every idle connection; called at shutdown after the relays stopped. */
    public void close() {
        for (PinnedHandle h : idle) {
            h.discard();
        }
    }
}
