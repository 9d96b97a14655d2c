package dev.orchat.db;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
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
 * <p>A job runs on the writer thread, except when the writer is idle: then the caller runs its own job as a batch
 * of one on its own thread, under the same lock, saving the two thread hand-offs (queue to writer, writer back to
 * caller) that dominate a write at low concurrency (docs/performance.md, "Turn engine and resumable runs"). A job
 * that calls {@link #write} itself runs inline, inside the same batch.
 */
public final class GroupCommitWriter implements Writer {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final Job<?> STOP = new Job<>(h -> null);
    private final PinnedHandle handle;
    private final int maxBatch;
    private final BlockingQueue<Job<?>> queue = new LinkedBlockingQueue<>();
    /** Held by whichever thread runs a batch on {@link #handle}: the writer thread, or an idle-time caller. */
    private final ReentrantLock running = new ReentrantLock();
    /** Set while the writer thread holds a drained batch, so callers do not keep taking the lock before it. */
    private volatile boolean batchPending;
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
            // Not started (a command, or a test building the store by hand): run on the caller, one at a time.
            runOwn(job, true);
        } else if (batchPending || !queue.isEmpty() || !runOwn(job, false)) {
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

    /**
     * Runs {@code job} as its own batch on the calling thread if the connection is free ({@code wait}: waits for
     * it). Returns false, without running it, when the writer thread is busy: the job must be queued then, so it
     * shares the next commit instead of waiting for the lock.
     */
    private boolean runOwn(Job<?> job, boolean wait) {
        if (wait) {
            running.lock();
        } else if (!running.tryLock()) {
            return false;
        }
        try {
            if (!accepting) {
                job.result.completeExceptionally(new IllegalStateException("The database writer has stopped"));
            } else {
                runBatch(List.of(job));
            }
            return true;
        } finally {
            running.unlock();
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
        running.lock(); // a caller may still be running its own job
        try {
            handle.discard();
        } finally {
            running.unlock();
        }
    }

    private void loop() {
        List<Job<?>> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
                batchPending = true;
                queue.drainTo(batch, maxBatch - 1);
            } catch (InterruptedException e) {
                return;
            }
            boolean stop = batch.remove(STOP);
            if (!batch.isEmpty()) {
                running.lock();
                try {
                    runBatch(batch);
                } finally {
                    running.unlock();
                }
            }
            batchPending = false;
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
