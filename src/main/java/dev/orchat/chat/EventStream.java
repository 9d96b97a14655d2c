package dev.orchat.chat;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import dev.orchat.web.ClientDisconnects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One client's connection to a turn's events: writes events with the ids the turn's {@link TurnEventLog} gave
 * them, serialises writers (the turn, the prober), and remembers the first failed write, which is one way a gone
 * client is noticed (docs/architecture.md §5).
 */
final class EventStream {
    private static final long WRITE_TIMEOUT_SECONDS = 30;
    private final SseEventSink sink;
    private final Sse sse;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile ClientDisconnects.Watch watch = () -> { };
    private volatile long lastWriteNanos = System.nanoTime();
    private volatile long lastPingNanos = System.nanoTime();
    private volatile boolean broken;

    EventStream(SseEventSink sink, Sse sse) {
        this.sink = sink;
        this.sse = sse;
    }

    /** The connection watch to stop before the stream closes (see {@link ClientDisconnects}). */
    void watchWith(ClientDisconnects.Watch watch) {
        this.watch = watch;
    }

    /** Sends one event; false when the client is gone. */
    boolean send(TurnEventLog.Entry entry) {
        lock.lock();
        try {
            if (broken || sink.isClosed()) {
                broken = true;
                return false;
            }
            return write(sse.newEventBuilder().id(Integer.toString(entry.id())).name(entry.name())
                    .data(entry.data()).build());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes a comment when the stream has been quiet for {@code quietNanos}, unless another writer is busy.
     * A write into a connection the client closed fails, so this doubles as the disconnect probe.
     *
     * @return false when the client is gone
     */
    boolean probe(String comment, long quietNanos) {
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

    long nanosSinceLastWrite() {
        return System.nanoTime() - lastWriteNanos;
    }

    long nanosSinceLastPing() {
        return System.nanoTime() - lastPingNanos;
    }

    /** Writes the keep-alive comment unless another writer is busy; false when the client is gone. */
    boolean ping(String comment) {
        boolean alive = probe(comment, 0);
        lastPingNanos = System.nanoTime();
        return alive;
    }

    /** Ends the response: the connection watch goes first, before the response completes. */
    void close() {
        watch.stop();
        try {
            sink.close();
        } catch (RuntimeException e) {
            // The client is gone already.
        }
    }
}
