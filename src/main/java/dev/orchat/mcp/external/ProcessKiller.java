package dev.orchat.mcp.external;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure a stdio child and the processes it started are gone (docs/architecture.md §10): polite termination first, forcible
 * after the grace period. Descendants are captured by the caller before the graceful close, because once the parent
 * exits they are re-parented and can no longer be found from it (think {@code npx} → {@code node}).
 */
final class ProcessKiller {
    private ProcessKiller() {
    }

    static void terminate(Process process, List<ProcessHandle> descendants, Duration grace) {
        if (!process.isAlive() && descendants.stream().noneMatch(ProcessHandle::isAlive)) {
            return;
        }
        descendants.forEach(ProcessHandle::destroy);
        process.destroy();
        boolean exited = false;
        try {
            exited = process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!exited) {
            process.destroyForcibly();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
