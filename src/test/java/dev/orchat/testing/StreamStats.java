package dev.orchat.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counters over chat script executions. Each started script ends in exactly one of completed,
 * cancelled or abandoned (the fake itself was closed), so tests can assert on exact numbers.
 */
final class StreamStats {

    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger cancelled = new AtomicInteger();
    private final List<Instant> cancellationTimes = new ArrayList<>();

    void onStarted() {
        open.incrementAndGet();
    }

    void onCompleted() {
        // Bump the outcome before releasing "open" so a poller never sees the stream in neither state.
        completed.incrementAndGet();
        open.decrementAndGet();
    }

    void onCancelled(Instant detectedAt) {
        // The time is stored before the counter moves, so a test that saw the count can read the time.
        synchronized (cancellationTimes) {
            cancellationTimes.add(detectedAt);
        }
        cancelled.incrementAndGet();
        open.decrementAndGet();
    }

    void onAbandoned() {
        open.decrementAndGet();
    }

    int open() {
        return open.get();
    }

    int completed() {
        return completed.get();
    }

    int cancelled() {
        return cancelled.get();
    }

    List<Instant> cancellationTimes() {
        synchronized (cancellationTimes) {
            return List.copyOf(cancellationTimes);
        }
    }

    /** Clears finished-stream history; streams still running keep counting in {@link #open()}. */
    void reset() {
        synchronized (cancellationTimes) {
            cancellationTimes.clear();
        }
        completed.set(0);
        cancelled.set(0);
    }
}
