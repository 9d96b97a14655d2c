package dev.orchat.chat;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The turn's SSE output: numbers events 1..n (docs/api.md §3.1), serialises writers (relay, tool tasks, prober) and
 * remembers the first failed write, which is how a gone client is noticed.
 */
public final class EventStream {
    private static final long WRITE_TIMEOUT_SECONDS = 30;
    private final SseEventSink sink;
    private final Sse sse;
    private final ReentrantLock lock = new ReentrantLock();
    private int lastId;
    private volatile long lastWriteNanos = System.nanoTime();
    private volatile long lastPingNanos = System.nanoTime();
    private volatile boolean broken;

    public EventStream(SseEventSink sink, Sse sse) {
        this.sink = sink;
        this.sse = sse;
    }

    /** Sends one event with the next id; false when the client is gone. */
    public boolean send(String name, String data) {
        lock.lock();
        try {
            if (broken || sink.isClosed()) {
                broken = true;
                return false;
            }
            OutboundSseEvent event = sse.newEventBuilder().id(Integer.toString(lastId + 1)).name(name).data(data).build();
            if (!write(event)) {
                return false;
            }
            lastId++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes a comment when the stream has been quiet for {@code quietNanos}, unless another writer is busy.
     * A write into a connection the client closed fails, so this doubles as the disconnect probe (docs/api.md §3.5).
     *
     * @return false when the client is gone
     */
    public boolean probe(String comment, long quietNanos) {
        if (broken) {
            return false;
        }
        if (System.nanoTime() - lastWriteNanos < quietNanos || !lock.tryLock()) {
            return true;
        }
        try {
            if (sink.isClosed()) {
                broken = true;
                return false;
            }
            return write(sse.newEventBuilder().comment(comment).build());
        } finally {
            lock.unlock();
        }
    }

    private boolean write(OutboundSseEvent event) {
        try {
            sink.send(event).toCompletableFuture().get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            lastWriteNanos = System.nanoTime();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            broken = true;
            return false;
        } catch (Exception e) {
            broken = true;
            return false;
        }
    }

    public boolean isWritable() {
        return !broken && !sink.isClosed();
    }

    public int lastId() {
        lock.lock();
        try {
            return lastId;
        } finally {
            lock.unlock();
        }
    }

    public long nanosSinceLastWrite() {
        return System.nanoTime() - lastWriteNanos;
    }

    public long nanosSinceLastPing() {
        return System.nanoTime() - lastPingNanos;
    }

    /** Writes the keep-alive comment (docs/api.md §3.1) unless another writer is busy; false when the client is gone. */
    public boolean ping(String comment) {
        boolean alive = probe(comment, 0);
        lastPingNanos = System.nanoTime();
        return alive;
    }

    public void close() {
        try {
            sink.close();
        } catch (RuntimeException e) {
            // The client is gone already.
        }
    }
}
