package dev.orchat.mcp;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A tool call's time limit that stops counting while the call waits for the person (an elicitation, docs/api.md
 * §3.7): the time spent asking is added to the deadline, so a server's {@code call_timeout_s} measures the server,
 * not the reader. Thread-safe; waits may overlap (several requests of one call).
 */
public final class PausableDeadline {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private long pausedNanos;
    private int open;
    private long openSince;

    /** The call starts waiting for the person. */
    public synchronized void pause() {
        if (open++ == 0) {
            openSince = System.nanoTime();
        }
    }

    /** The person answered (or the wait ended). */
    public synchronized void resume() {
        if (open > 0 && --open == 0) {
            pausedNanos += System.nanoTime() - openSince;
        }
    }

    private synchronized boolean paused() {
        return open > 0;
    }

    private synchronized long pausedSoFar() {
        return pausedNanos + (open > 0 ? System.nanoTime() - openSince : 0);
    }

    /** Waits for {@code future} up to {@code timeoutNanos} of time not spent waiting for the person. */
    public <T> T await(Future<T> future, long timeoutNanos) throws InterruptedException, ExecutionException,
            TimeoutException {
        long start = System.nanoTime();
        while (true) {
            long remaining = start + timeoutNanos + pausedSoFar() - System.nanoTime();
            if (remaining <= 0 && !paused()) {
                throw new TimeoutException();
            }
            try {
                return future.get(paused() ? POLL_NANOS : Math.max(remaining, 1),
                        TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // Re-check: the person may have been asked meanwhile, which moves the deadline.
            }
        }
    }
}
