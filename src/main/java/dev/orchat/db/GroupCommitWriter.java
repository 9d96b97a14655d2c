package dev.orchat.db;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's one database writer (docs/architecture.md, "The store"). Callers hand it small write jobs; one
 * thread drains whatever has queued up into a single transaction, runs each job inside its own savepoint, commits
 * once, and only then tells each caller its own outcome. Concurrent turns therefore share one commit instead of
 * queueing for SQLite's write lock one by one, while each job stays all-or-nothing: a job that throws is rolled
 * back to its savepoint and its caller gets the exception; the others of the batch still commit.
 *
 * <p>A job runs on the writer thread. A job that calls {@link #write} itself runs inline, inside the same batch.
 */
public final class GroupCommitWriter implements Writer {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final Job<?> STOP = new Job<>(h -> null);
    private final PinnedHandle handle;
    private final int maxBatch;
    private final BlockingQueue<Job<?>> queue = new LinkedBlockingQueue<>();
    private volatile Thread thread;
    private volatile boolean accepting = true;
    /** True on the thread running jobs, so a job's own nested write joins its transaction. */
    private final ThreadLocal<Boolean> inJob = ThreadLocal.withInitial(() -> false);

    public GroupCommitWriter(Jdbi jdbi, int maxBatch) {
        this.handle = new PinnedHandle(jdbi);
        this.maxBatch = Math.max(1, maxBatch);
    }

    private static final class Job<T> {
        final Function<PinnedHandle, T> work;
        final CompletableFuture<T> result = new CompletableFuture<>();

        Job(Function<PinnedHandle, T> work) {
            this.work = work;
        }

        @SuppressWarnings("unchecked")
        void succeed(Object value) {
            result.complete((T) value);
        }
    }

    /** Runs one job in a committed transaction and returns its value, or throws the job's own exception. */
    @Override
    public <T> T write(Function<PinnedHandle, T> work) {
        if (inJob.get()) {
            return work.apply(handle);
        }
        Job<T> job = new Job<>(work);
        if (!accepting) {
            throw new IllegalStateException("The database writer has stopped");
        }
        if (thread == null) {
            // Not started (a command, or a test building the store by hand): run under the queue's lock instead.
            synchronized (this) {
                runBatch(List.of(job));
            }
        } else {
            queue.add(job);
        }
        try {
            return job.result.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    @Override
    public void start() {
        Thread t = new Thread(this::loop, "db-writer");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Finishes every queued job, then closes the connection. */
    @Override
    public void stop() throws InterruptedException {
        accepting = false;
        Thread t = thread;
        if (t != null) {
            queue.add(STOP);
            t.join(TimeUnit.SECONDS.toMillis(10));
        }
        handle.discard();
    }

    private void loop() {
        List<Job<?>> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
                queue.drainTo(batch, maxBatch - 1);
            } catch (InterruptedException e) {
                return;
            }
            boolean stop = batch.remove(STOP);
            if (!batch.isEmpty()) {
                runBatch(batch);
            }
            batch.clear();
            if (stop) {
                failQueued();
                return;
            }
        }
    }

    private void failQueued() {
        List<Job<?>> left = new ArrayList<>();
        queue.drainTo(left);
        for (Job<?> job : left) {
            job.result.completeExceptionally(new IllegalStateException("The database writer has stopped"));
        }
    }

    private void runBatch(List<Job<?>> batch) {
        boolean savepoints = batch.size() > 1;
        Object[] values = new Object[batch.size()];
        Throwable[] failures = new Throwable[batch.size()];
        Handle h = null;
        inJob.set(true);
        try {
            h = handle.open();
            h.begin();
            for (int i = 0; i < batch.size(); i++) {
                runOne(h, batch.get(i), i, values, failures, savepoints);
            }
            if (!savepoints && failures[0] != null) {
                // A lone job that failed (a conflict, a missing row): undo it; the connection stays good.
                h.rollback();
                batch.get(0).result.completeExceptionally(failures[0]);
                return;
            }
            h.commit();
        } catch (RuntimeException | Error e) {
            if (h != null) {
                rollbackQuietly(h);
            }
            handle.discard();
            if (savepoints) {
                // The batch as a whole failed (commit, savepoint): give every job its own transaction, so one
                // job's trouble is reported to that job only.
                LOG.warn("A group commit of {} writes failed; retrying them one by one", batch.size(), e);
                for (Job<?> job : batch) {
                    runBatch(List.of(job));
                }
                return;
            }
            batch.get(0).result.completeExceptionally(failures[0] != null ? failures[0] : e);
            return;
        } finally {
            inJob.set(false);
        }
        for (int i = 0; i < batch.size(); i++) {
            if (failures[i] != null) {
                batch.get(i).result.completeExceptionally(failures[i]);
            } else {
                batch.get(i).succeed(values[i]);
            }
        }
    }

    private void runOne(Handle h, Job<?> job, int i, Object[] values, Throwable[] failures, boolean savepoint) {
        if (savepoint) {
            h.savepoint("job");
        }
        try {
            values[i] = job.work.apply(handle);
        } catch (RuntimeException | Error e) {
            failures[i] = e;
            if (savepoint) {
                h.rollbackToSavepoint("job");
            }
        }
        if (savepoint) {
            h.releaseSavepoint("job");
        }
    }

    private static void rollbackQuietly(Handle h) {
        try {
            h.rollback();
        } catch (RuntimeException e) {
            // The connection is discarded next.
        }
    }
}
