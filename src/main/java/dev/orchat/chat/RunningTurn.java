package dev.orchat.chat;

import dev.orchat.openrouter.AbortHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The live state of one turn, shared between its steps and whoever cancels it. Cancelling aborts the current
 * upstream call (also one still waiting for its headers) and ends any wait at once (docs/architecture.md §6).
 */
public final class RunningTurn {
    private final String sessionId;
    private final String turnId;
    private final AtomicReference<CancelReason> cancelReason = new AtomicReference<>();
    private final CompletableFuture<Void> cancelled = new CompletableFuture<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final java.util.Set<Future<?>> tasks = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile AbortHandle upstream;
    private volatile TurnEventLog log;
    private final TurnDecisions decisions = new TurnDecisions();

    RunningTurn(String sessionId, String turnId) {
        this.sessionId = sessionId;
        this.turnId = turnId;
    }

    public String sessionId() { return sessionId; }
    public String turnId() { return turnId; }
    public CompletableFuture<Void> finished() { return finished; }
    public CancelReason cancelReason() { return cancelReason.get(); }
    public boolean isCancelled() { return cancelReason.get() != null; }

    TurnEventLog log() { return log; }
    TurnDecisions decisions() { return decisions; }

    /** True while a call of the turn waits for the person's decision (docs/api.md §3.7). */
    public boolean awaitingApproval() { return decisions.awaiting(); }
    void attachLog(TurnEventLog eventLog) { this.log = eventLog; }

    /** First reason wins; later calls only return false. */
    public boolean cancel(CancelReason reason) {
        if (!cancelReason.compareAndSet(null, reason)) {
            return false;
        }
        cancelled.complete(null);
        AbortHandle handle = upstream;
        if (handle != null) {
            handle.abort();
        }
        tasks.forEach(task -> task.cancel(true));
        return true;
    }

    /** Registers the upstream call of the current hop; aborts it at once if the turn is already cancelled. */
    void attachUpstream(AbortHandle handle) {
        this.upstream = handle;
        if (isCancelled()) {
            handle.abort();
        }
    }

    void track(Future<?> task) {
        tasks.add(task);
        if (isCancelled()) {
            task.cancel(true);
        }
    }

    void untrack(Future<?> task) {
        tasks.remove(task);
    }

    /**
     * The wait between upstream retries, without a thread: true after {@code millis}, false at once when the turn
     * is cancelled. The timer is the JDK's shared delay scheduler, which only completes the future.
     */
    CompletableFuture<Boolean> retryAfter(long millis) {
        CompletableFuture<Boolean> wait = new CompletableFuture<>();
        CompletableFuture.runAsync(() -> wait.complete(!isCancelled()),
                CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS, Runnable::run));
        cancelled.thenRun(() -> wait.complete(false));
        return wait;
    }
}
