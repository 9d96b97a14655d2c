package dev.orchat.bench;

import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.Script;
import dev.orchat.testing.Scripts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The five measurements of the benchmark, each runnable against any {@link LoadRun.Target}. The fake's default
 * script is switched per scenario, so the service and the direct run see byte-identical upstream streams.
 */
final class Scenarios {
    private final StreamClient client;
    private final FakeOpenRouter fake;

    Scenarios(StreamClient client, FakeOpenRouter fake) {
        this.client = client;
        this.fake = fake;
    }

    /** Concurrent streams; the measured resource figures of scenario 3 when {@code service} is given. */
    record Concurrent(LoadRun run, long wallNanos, long baseRssKib, long baseThreads, long peakRssKib,
                      long peakThreads, int openAtPeak) { }

    record Cancel(Samples latency, int closed, int detected, double burstMillis) { }

    LoadRun warmUp(LoadRun.Target t, int concurrency, long millis) throws InterruptedException {
        fake.setDefaultScript(Scripts.paced(5, 0));
        LoadRun run = new LoadRun(client, t);
        run.closedLoop(concurrency, millis);
        settle();
        return run;
    }

    LoadRun warmSequential(LoadRun.Target t, int n) throws InterruptedException {
        fake.setDefaultScript(Scripts.paced(5, 0));
        LoadRun run = new LoadRun(client, t);
        run.sequential(n);
        settle();
        return run;
    }

    /**
     * Scenario 1, continuing sessions: {@code sessions} sessions get {@code earlier} turns each, then one measured
     * turn each, so every measured turn has exactly {@code earlier} turns of history before it.
     */
    LoadRun ttftContinuing(java.util.function.IntFunction<LoadRun.Target> session, int sessions, int earlier)
            throws InterruptedException {
        fake.setDefaultScript(Scripts.paced(1, 0));
        for (int i = 0; i < sessions; i++) {
            new LoadRun(client, session.apply(i)).sequential(earlier);
        }
        settle();
        fake.setDefaultScript(Scripts.paced(3, 0));
        LoadRun all = null;
        for (int i = 0; i < sessions; i++) {
            LoadRun one = new LoadRun(client, session.apply(i));
            one.sequential(1);
            if (all == null) {
                all = one;
            } else {
                all.ttft.addAll(one.ttft);
                all.ok.addAndGet(one.ok.get());
                all.failed.addAndGet(one.failed.get());
            }
        }
        settle();
        return all;
    }

    /** Scenario 1: one stream at a time, so the TTFT difference is the service's own per-request work. */
    LoadRun ttft(LoadRun.Target t, int n) throws InterruptedException {
        fake.setDefaultScript(Scripts.paced(3, 0));
        LoadRun run = new LoadRun(client, t);
        run.sequential(n);
        settle();
        return run;
    }

    /** Scenario 2: chunks stamped with the fake's send time, read back at the client. */
    LoadRun relayLatency(LoadRun.Target t, int streams, int chunks, long intervalMillis) throws InterruptedException {
        fake.setDefaultScript(Scripts.pacedStamped(chunks, intervalMillis));
        LoadRun run = new LoadRun(client, t);
        // Ramped over one chunk interval so the streams' chunk times interleave rather than all coincide.
        run.openRamped(streams, Math.max(intervalMillis, 1));
        run.awaitAll(chunks * intervalMillis + 60_000);
        settle();
        return run;
    }

    /** Scenario 4: closed loop, no pacing: how many whole streams per second go through. */
    LoadRun throughput(LoadRun.Target t, int concurrency, int chunks, long millis, long[] wallNanos)
            throws InterruptedException {
        fake.setDefaultScript(Scripts.paced(chunks, 0));
        LoadRun run = new LoadRun(client, t);
        wallNanos[0] = run.closedLoop(concurrency, millis);
        settle();
        return run;
    }

    /**
     * Scenario 3: {@code n} streams ramped over {@code rampMillis}; while all of them are open the process is
     * sampled for RSS and threads. {@code rss}/{@code threads} read the service (null for the direct run).
     */
    Concurrent concurrent(LoadRun.Target t, int n, long rampMillis, int chunks, long intervalMillis,
                          LongSupplier rss, LongSupplier threads) throws InterruptedException {
        fake.setDefaultScript(Scripts.paced(chunks, intervalMillis));
        long baseRss = rss == null ? 0 : rss.getAsLong();
        long baseThreads = threads == null ? 0 : threads.getAsLong();
        LoadRun run = new LoadRun(client, t);
        long t0 = System.nanoTime();
        run.openRamped(n, rampMillis);
        long streamMillis = chunks * intervalMillis;
        long deadline = System.nanoTime() + Duration.ofMillis(streamMillis).toNanos();
        long peakRss = 0;
        long peakThreads = 0;
        int openAtPeak = 0;
        // Sampled until the batch ends; the figures kept are those of the moment most streams were open, which
        // is all of them unless the service is slower to open streams than the first ones take to finish.
        while (run.ok.get() + run.failed.get() < n && System.nanoTime() < deadline + Duration.ofSeconds(120).toNanos()) {
            int open = run.open.get();
            if (open > openAtPeak) {
                openAtPeak = open;
                if (rss != null) {
                    peakRss = rss.getAsLong();
                    peakThreads = threads.getAsLong();
                }
            }
            Thread.sleep(50);
        }
        run.awaitAll(streamMillis + 120_000);
        long wall = System.nanoTime() - t0;
        settle();
        return new Concurrent(run, wall, baseRss, baseThreads, peakRss, peakThreads, openAtPeak);
    }

    /**
     * Scenario 5: {@code n} streams get their first chunk, then every client connection is closed in one burst;
     * the latency is from the burst to the fake noticing each upstream connection close.
     */
    Cancel cancel(LoadRun.Target t, Script script, int n, long settleMillis) throws InterruptedException {
        fake.setDefaultScript(script);
        int before = fake.cancellationTimes().size();
        int cancelledBefore = fake.cancelledStreams();
        LoadRun run = new LoadRun(client, t);
        List<StreamClient.Stream> streams = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            streams.add(run.openOne());
            Thread.sleep(2);
        }
        long wait = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (run.open.get() < n && System.nanoTime() < wait) {
            Thread.sleep(5);
        }
        Thread.sleep(settleMillis);
        Instant burst = Instant.now();
        AtomicLong lastClose = new AtomicLong();
        long t0 = System.nanoTime();
        for (StreamClient.Stream s : streams) {
            client.abort(s, lastClose::set);
        }
        fake.awaitCancelled(cancelledBefore + n, Duration.ofSeconds(5));
        List<Instant> times = fake.cancellationTimes();
        Samples latency = new Samples();
        for (Instant at : times.subList(Math.min(before, times.size()), times.size())) {
            latency.add(Duration.between(burst, at).toNanos());
        }
        double burstMillis = (lastClose.get() - t0) / 1e6;
        settle();
        return new Cancel(latency, n, latency.size(), burstMillis);
    }

    /** Lets the previous scenario's upstream streams end, so scenarios do not overlap. */
    void settle() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (fake.openStreams() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(300);
    }
}
