package dev.orchat.bench;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One batch of streams against one target (the service or the fake directly) and everything measured on them.
 * The same code drives both targets, so any difference between the two columns of the report is the service.
 */
final class LoadRun implements StreamClient.Listener {
    private final StreamClient client;
    private final Target target;
    final Samples ttft = new Samples();
    /** Request written → first response bytes (the status line and headers). */
    final Samples headers = new Samples();
    final Samples chunkLatency = new Samples();
    final AtomicInteger ok = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger started = new AtomicInteger();
    /** Streams that delivered a first chunk and have not ended: "open" in the sense of scenario 3. */
    final AtomicInteger open = new AtomicInteger();
    private final List<String> errors = new ArrayList<>();
    private volatile long keepRunningUntil;
    private volatile CountDownLatch allEnded;

    /** Where streams go: host, port and the HTTP path plus headers that make a chat request there. */
    record Target(String label, InetSocketAddress address, byte[] request) { }

    private static final class State {
        boolean first;
        boolean done;
        int messages;
    }

    LoadRun(StreamClient client, Target target) {
        this.client = client;
        this.target = target;
    }

    /** Opens {@code n} streams spread evenly over {@code rampMillis}; returns without waiting for them. */
    void openRamped(int n, long rampMillis) {
        allEnded = new CountDownLatch(n);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long due = t0 + TimeUnit.MILLISECONDS.toNanos(rampMillis) * i / Math.max(1, n);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            openOne();
        }
    }

    /** Keeps {@code concurrency} streams open, replacing each as it ends, for {@code millis}; waits for the tail. */
    long closedLoop(int concurrency, long millis) throws InterruptedException {
        keepRunningUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        allEnded = new CountDownLatch(concurrency);
        long t0 = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            openOne();
        }
        awaitAll(millis + 30_000);
        return System.nanoTime() - t0;
    }

    /** Runs one stream at a time {@code n} times (scenario 1: no queueing anywhere). */
    void sequential(int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            allEnded = new CountDownLatch(1);
            openOne();
            awaitAll(30_000);
        }
    }

    boolean awaitAll(long timeoutMillis) throws InterruptedException {
        return allEnded.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    StreamClient.Stream openOne() {
        started.incrementAndGet();
        StreamClient.Stream s = client.open(target.address(), target.request(), this);
        s.tag = new State();
        return s;
    }

    @Override
    public void onEvent(StreamClient.Stream s, String name, String data, long readNanos) {
        if (!"message".equals(name)) {
            return;
        }
        State st = (State) s.tag;
        if ("[DONE]".equals(data)) {
            st.done = true;
            return;
        }
        if (!st.first) {
            st.first = true;
            ttft.add(readNanos - s.sentNanos);
            open.incrementAndGet();
        }
        st.messages++;
        int at = data.indexOf("\"t=");
        if (at >= 0) {
            int end = data.indexOf(' ', at);
            chunkLatency.add(readNanos - Long.parseLong(data, at + 3, end, 10));
        }
    }

    @Override
    public void onEnd(StreamClient.Stream s, String error, long nanos) {
        State st = (State) s.tag;
        if (s.firstByteNanos != 0) {
            headers.add(s.firstByteNanos - s.sentNanos);
        }
        if (st.first) {
            open.decrementAndGet();
        }
        // Only a stream that reached [DONE] counts: a body cut short after some chunks is a failure.
        if (error == null && st.messages > 0 && st.done) {
            ok.incrementAndGet();
        } else {
            failed.incrementAndGet();
            synchronized (errors) {
                if (errors.size() < 5) {
                    errors.add(error != null ? error : st.messages == 0 ? "ended without a message event"
                            : "ended without [DONE] after " + st.messages + " chunks");
                }
            }
        }
        if (keepRunningUntil != 0 && System.nanoTime() < keepRunningUntil) {
            openOne();
        } else if (allEnded != null) {
            allEnded.countDown();
        }
    }

    int messagesOf(StreamClient.Stream s) {
        return ((State) s.tag).messages;
    }

    List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    String label() {
        return target.label();
    }
}
