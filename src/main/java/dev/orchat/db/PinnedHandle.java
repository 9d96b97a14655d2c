package dev.orchat.db;

import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A long-lived connection with its DAOs attached once. Attaching a SqlObject DAO to a fresh handle costs ~0.4 ms
 * (JDBI rebuilds its per-handle caches), which made each turn transaction ~30× slower than its SQL. The writer
 * thread of {@link GroupCommitWriter} owns one; {@link ReadPool} lends out a few more. A pinned handle is used by
 * one thread at a time.
 */
public final class PinnedHandle {
    private final Jdbi jdbi;
    private final Map<Class<?>, Object> daos = new HashMap<>();
    private Handle handle;

    PinnedHandle(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public <D> D dao(Class<D> type) {
        return type.cast(daos.computeIfAbsent(type, t -> handle.attach(t)));
    }

    /**
     * The open connection itself, for plain JDBI statements that have no DAO (the import's column-by-name inserts).
     * Valid only inside the {@link GroupCommitWriter} job or {@link ReadPool} read that was given this handle, on
     * its thread. The writer owns the transaction and its savepoints: never begin, commit, roll back or close it.
     */
    public Handle handle() {
        if (handle == null) {
            throw new IllegalStateException("Only inside a write job or a read");
        }
        return handle;
    }

    Handle open() {
        if (handle == null || handle.isClosed()) {
            daos.clear();
            handle = jdbi.open();
        }
        return handle;
    }

    /** Drops the connection after an unexpected failure; the next use opens a fresh one. */
    void discard() {
        daos.clear();
        if (handle != null) {
            try {
                handle.close();
            } catch (RuntimeException e) {
                // Already broken; nothing more to release.
            }
        }
        handle = null;
    }
}
