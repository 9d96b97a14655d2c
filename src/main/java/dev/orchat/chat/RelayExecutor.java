package dev.orchat.chat;

import io.dropwizard.lifecycle.Managed;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads for turns and tool calls: a turn holds one while it opens a hop, stores it or runs a tool round, not
 * while a hop's body streams (docs/architecture.md §5). Small platform threads on Java 17, virtual threads on 21+
 * when {@code chat.virtualThreads} is on (looked up reflectively because the code compiles for 17).
 */
public final class RelayExecutor implements Managed {
    private final ExecutorService executor;

    public RelayExecutor(String name, boolean virtualThreads) {
        this.executor = virtualThreads ? virtualExecutor() : Executors.newCachedThreadPool(platformThreads(name));
    }

    public ExecutorService executor() {
        return executor;
    }

    /**
     * Runs each task on this executor, or on the caller's thread once the executor is shut down, so a turn whose
     * hop ends during shutdown still stores its end.
     */
    public Executor continuations() {
        return task -> {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException e) {
                task.run();
            }
        };
    }

    private static ThreadFactory platformThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        // 512 KiB stacks: relays are shallow, and thousands of streams should not reserve 1 MiB each.
        return r -> {
            Thread t = new Thread(null, r, name + "-" + n.incrementAndGet(), 512 * 1024);
            t.setDaemon(true);
            return t;
        };
    }

    private static ExecutorService virtualExecutor() {
        try {
            return (ExecutorService) MethodHandles.publicLookup()
                    .findStatic(Executors.class, "newVirtualThreadPerTaskExecutor", MethodType.methodType(ExecutorService.class))
                    .invoke();
        } catch (Throwable e) {
            throw new IllegalStateException("chat.virtualThreads needs Java 21 or newer", e);
        }
    }

    @Override
    public void stop() throws InterruptedException {
        // Turns were cancelled before Jetty stopped; give them time to store their final state before interrupting.
        executor.shutdown();
        if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
            executor.shutdownNow();
            executor.awaitTermination(2, TimeUnit.SECONDS);
        }
    }
}
