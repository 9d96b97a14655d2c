package dev.orchat.conversation;

import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A long-lived connection with its DAOs attached once. Attaching a SqlObject DAO to a fresh handle costs ~0.4 ms
 * (JDBI rebuilds its per-handle caches), which made each turn transaction ~30× slower than its SQL. The turn path
 * uses two: one for writes (SQLite admits one writer anyway) and one for the per-hop history read. Each is used
 * only under its lock in {@link ConversationStore}.
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

    Handle open() {
        if (handle == null || handle.isClosed()) {
            daos.clear();
            handle = jdbi.open();
        }
        return handle;
    }

    /** Drops the connection after an unexpected failure; the next write opens a fresh one. */
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
