package dev.orchat.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Markdown tables of one run; every figure is a measurement of that run, targets are quoted beside them. */
final class Report {
    private final StringBuilder sb = new StringBuilder();

    void header(Path jar, List<String> jvm, boolean quick, Path work) {
        sb.append("# orchat benchmark ").append(quick ? "(quick mode) " : "").append(Instant.now()).append("\n\n");
        sb.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch")).append('\n');
        sb.append("- jar: `").append(jar.getFileName()).append("`, JVM flags ").append(jvm)
                .append("; driver + fake on ").append(System.getProperty("java.version")).append('\n');
        sb.append("- service logs and DBs: `").append(work).append("`\n");
        sb.append("- \"direct\" = the same client and load against the fake upstream with no service in between\n\n");
    }

    void ttft(LoadRun direct, LoadRun service, LoadRun openai) {
        sb.append("## 1. TTFT at concurrency 1 (").append(service.ttft.size()).append(" sequential streams)\n\n");
        sb.append("Request written → first `message` event (service: `/api/chat/stream`) / first chunk (direct; ")
                .append("`/v1`: `POST /v1/chat/completions`, stateless, streaming).\n\n");
        table("", "direct", "service", "overhead", "/v1", "/v1 overhead", "target");
        row("TTFT p50 (ms)", f(direct.ttft.p50()), f(service.ttft.p50()),
                f(service.ttft.p50() - direct.ttft.p50()), f(openai.ttft.p50()),
                f(openai.ttft.p50() - direct.ttft.p50()), "overhead ≤ 1 ms");
        row("TTFT p99 (ms)", f(direct.ttft.p99()), f(service.ttft.p99()),
                f(service.ttft.p99() - direct.ttft.p99()), f(openai.ttft.p99()),
                f(openai.ttft.p99() - direct.ttft.p99()), "");
        row("failures", i(direct.failed.get()), i(service.failed.get()), "", i(openai.failed.get()), "", "0");
        errors(service);
        errors(openai);
        sb.append('\n');
    }

    /** Scenario 1 on continuing sessions, next to the new-session direct column of the same run. */
    void ttftContinuing(LoadRun direct, LoadRun continuing, int earlier) {
        sb.append("### 1b. TTFT at concurrency 1, continuing sessions (").append(continuing.ttft.size())
                .append(" turns, each with ").append(earlier).append(" earlier turns in its session)\n\n");
        table("", "direct", "service", "overhead", "target");
        row("TTFT p50 (ms)", f(direct.ttft.p50()), f(continuing.ttft.p50()),
                f(continuing.ttft.p50() - direct.ttft.p50()), "overhead ≤ 0.5 ms");
        row("TTFT p99 (ms)", f(direct.ttft.p99()), f(continuing.ttft.p99()),
                f(continuing.ttft.p99() - direct.ttft.p99()), "overhead ≤ 2 ms");
        row("failures", i(direct.failed.get()), i(continuing.failed.get()), "", "0");
        errors(continuing);
        sb.append('\n');
    }

    /**
     * CPU used during one scenario: the driver's own process (client and fake) in the direct run, the service's
     * process in the service run (the driver's share of that run is the same work as in the direct run).
     */
    void cpu(String scenario, long driverMillis, int directStreams, long serviceMillis, int serviceStreams,
             int chunks) {
        sb.append("CPU during scenario ").append(scenario).append(": driver (client + fake) in the direct run ")
                .append(driverMillis).append(" ms for ").append(directStreams).append(" streams (")
                .append(f(driverMillis * 1000.0 / Math.max(1, directStreams * (long) chunks)))
                .append(" µs per chunk); service process in the service run ").append(serviceMillis)
                .append(" ms for ").append(serviceStreams).append(" streams (")
                .append(f(serviceMillis / (double) Math.max(1, serviceStreams))).append(" ms per stream, ")
                .append(f(serviceMillis * 1000.0 / Math.max(1, serviceStreams * (long) chunks)))
                .append(" µs per chunk).\n\n");
    }

    void relay(int streams, int chunks, LoadRun direct, LoadRun service) {
        sb.append("## 2. Per-chunk relay latency (").append(streams).append(" streams × ").append(chunks)
                .append(" chunks @ 20 ms)\n\n");
        sb.append("Fake's `System.nanoTime()` at write (stamped into the chunk) → client read.\n\n");
        table("", "direct", "service", "target");
        row("chunks measured", i(direct.chunkLatency.size()), i(service.chunkLatency.size()), "");
        row("latency p50 (ms)", f(direct.chunkLatency.p50()), f(service.chunkLatency.p50()), "");
        row("latency p99 (ms)", f(direct.chunkLatency.p99()), f(service.chunkLatency.p99()), "≤ 10 ms");
        row("latency max (ms)", f(direct.chunkLatency.max()), f(service.chunkLatency.max()), "");
        row("failures", i(direct.failed.get()), i(service.failed.get()), "0");
        errors(service);
        sb.append('\n');
    }

    void concurrent(int n, int chunks, Scenarios.Concurrent direct, Map<String, Scenarios.Concurrent> services) {
        sb.append("## 3. ").append(n).append(" concurrent streams (").append(chunks)
                .append(" chunks @ 100 ms, opened over 2 s)\n\n");
        sb.append("RSS/threads: `/proc/<pid>/status` of the jar, max of samples taken while all streams were open, "
                + "minus the idle value before the load.\n\n");
        servicesHeader(services);
        concurrentRow("streams ok", direct, services, c -> i(c.run().ok.get()), "");
        concurrentRow("failures", direct, services, c -> i(c.run().failed.get()), "0");
        concurrentRow("TTFT p50 (ms)", direct, services, c -> f(c.run().ttft.p50()), "");
        concurrentRow("TTFT p99 (ms)", direct, services, c -> f(c.run().ttft.p99()), "≤ 250 ms");
        concurrentRow("response headers p50 / p99 (ms)", direct, services,
                c -> f(c.run().headers.p50()) + " / " + f(c.run().headers.p99()), "");
        concurrentRow("streams open when sampled", direct, services, c -> i(c.openAtPeak()), "");
        concurrentRow("RSS idle → loaded (MiB)", direct, services,
                c -> c.peakRssKib() == 0 ? "n/a" : f(c.baseRssKib() / 1024.0) + " → " + f(c.peakRssKib() / 1024.0), "");
        concurrentRow("RSS per open stream (KiB)", direct, services,
                c -> c.peakRssKib() == 0 ? "n/a" : f((c.peakRssKib() - c.baseRssKib()) / (double) c.openAtPeak()),
                "≤ 64 KiB");
        concurrentRow("threads idle → loaded", direct, services,
                c -> c.peakRssKib() == 0 ? "n/a" : c.baseThreads() + " → " + c.peakThreads(), "");
        concurrentRow("threads per open stream", direct, services,
                c -> c.peakRssKib() == 0 ? "n/a" : f((c.peakThreads() - c.baseThreads()) / (double) c.openAtPeak()),
                "1 on 17");
        for (Scenarios.Concurrent c : services.values()) {
            errors(c.run());
        }
        sb.append('\n');
    }

    /** Scenario 3b: every request of the batch written at once; how long each waited for its response headers. */
    void burst(int n, Scenarios.Concurrent direct, Map<String, Scenarios.Concurrent> services) {
        sb.append("## 3b. ").append(n).append(" simultaneous new turns (5 chunks @ 100 ms, all requests written at once)\n\n");
        servicesHeader(services);
        concurrentRow("streams ok / failures", direct, services,
                c -> c.run().ok.get() + " / " + c.run().failed.get(), "0 failures");
        concurrentRow("response headers p50 (ms)", direct, services, c -> f(c.run().headers.p50()), "");
        concurrentRow("response headers p99 (ms)", direct, services, c -> f(c.run().headers.p99()), "≤ 250 ms");
        concurrentRow("TTFT p50 / p99 (ms)", direct, services,
                c -> f(c.run().ttft.p50()) + " / " + f(c.run().ttft.p99()), "");
        for (Scenarios.Concurrent c : services.values()) {
            errors(c.run());
        }
        sb.append('\n');
    }

    /** The header of a table with the direct column, one column per service variant, and the target. */
    private void servicesHeader(Map<String, Scenarios.Concurrent> services) {
        StringBuilder head = new StringBuilder("| | direct |");
        StringBuilder sep = new StringBuilder("|---|---|");
        for (String label : services.keySet()) {
            head.append(" service: ").append(label).append(" |");
            sep.append("---|");
        }
        sb.append(head).append(" target |\n").append(sep).append("---|\n");
    }

    private void concurrentRow(String name, Scenarios.Concurrent direct, Map<String, Scenarios.Concurrent> services,
                               java.util.function.Function<Scenarios.Concurrent, String> value, String target) {
        sb.append("| ").append(name).append(" | ").append(value.apply(direct)).append(" |");
        for (Scenarios.Concurrent c : services.values()) {
            sb.append(' ').append(value.apply(c)).append(" |");
        }
        sb.append(' ').append(target).append(" |\n");
    }

    void throughput(LoadRun direct, long directNanos, LoadRun service, long serviceNanos) {
        sb.append("## 4. Throughput, no pacing (20 chunks per stream, 50 concurrent, closed loop)\n\n");
        table("", "direct", "service");
        row("streams completed", i(direct.ok.get()), i(service.ok.get()));
        row("streams/s", f(direct.ok.get() / (directNanos / 1e9)), f(service.ok.get() / (serviceNanos / 1e9)));
        row("TTFT p50 / p99 (ms)", f(direct.ttft.p50()) + " / " + f(direct.ttft.p99()),
                f(service.ttft.p50()) + " / " + f(service.ttft.p99()));
        row("failures", i(direct.failed.get()), i(service.failed.get()));
        errors(service);
        sb.append('\n');
    }

    void cancel(Scenarios.Cancel dStall, Scenarios.Cancel sStall, Scenarios.Cancel dFlow, Scenarios.Cancel sFlow) {
        sb.append("## 5. Upstream-cancel latency (").append(sStall.closed())
                .append(" streams, client connections closed in one burst)\n\n");
        sb.append("Burst start → the fake seeing the upstream connection close (`cancellationTimes()`).\n\n");
        table("", "direct", "service", "target");
        cancelRows("stalled upstream", dStall, sStall);
        cancelRows("chunks flowing @ 20/s", dFlow, sFlow);
        sb.append('\n');
    }

    private void cancelRows(String what, Scenarios.Cancel d, Scenarios.Cancel s) {
        row(what + ": detected / closed", d.detected() + " / " + d.closed(), s.detected() + " / " + s.closed(), "all");
        row(what + ": p50 (ms)", f(d.latency().p50()), f(s.latency().p50()), "");
        row(what + ": p99 (ms)", f(d.latency().p99()), f(s.latency().p99()), "≤ 50 ms");
        row(what + ": max (ms)", f(d.latency().max()), f(s.latency().max()), "spec: ≤ 1000 ms");
        row(what + ": close burst took (ms)", f(d.burstMillis()), f(s.burstMillis()), "");
    }

    void instances(List<InstancesScenario.Row> rows) {
        sb.append("## 10. Several instances (TTFT at concurrency 1; 20 chunks flat out, 50 concurrent in all)\n\n");
        table("", "TTFT p50 (ms)", "TTFT p99 (ms)", "TTFT overhead p50 / p99 (ms)", "streams/s", "failures");
        InstancesScenario.Row direct = rows.get(0);
        for (InstancesScenario.Row r : rows) {
            row(r.label(), f(r.ttft().p50()), f(r.ttft().p99()), r == direct ? "—"
                    : f(r.ttft().p50() - direct.ttft().p50()) + " / " + f(r.ttft().p99() - direct.ttft().p99()),
                    f(r.streamsPerSecond()), i(r.ttftFailures() + r.loopFailures()));
        }
        sb.append('\n');
    }

    void crossInstance(InstancesScenario.CrossInstance c) {
        sb.append("Turns on instance A (2000 chunks @ 20 ms) followed from instance B, then cancelled through B:\n\n");
        table("", "p50 (ms)", "p99 (ms)", "n", "target");
        row("added delay of an event followed via B", f(c.followDelay().p50()), f(c.followDelay().p99()),
                i(c.followed()) + " turns × 40 events", "≤ 250 ms");
        row("cancel on B → A's stream ended", f(c.cancelLatency().p50()), f(c.cancelLatency().p99()),
                i(c.cancelled()), "≤ 1000 ms");
        sb.append('\n');
    }

    void toolRound(ToolRoundScenario s) {
        sb.append("## 6. Tool round on a built-in server (").append(s.round.size()).append(" sequential turns)\n\n");
        sb.append("Hop 1 asks for `calculator_evaluate`, hop 2 answers. Client receive times of the service's events.\n\n");
        table("", "p50 (ms)", "p99 (ms)");
        row("hop 1 TTFT (request → first chunk)", f(s.firstHopTtft.p50()), f(s.firstHopTtft.p99()));
        row("tool call (`tool` started → finished)", f(s.toolCall.p50()), f(s.toolCall.p99()));
        row("added by the tool round (hop 1 `metadata` → hop 2 first chunk)", f(s.round.p50()), f(s.round.p99()));
        row("failures", i(s.failures), "");
        sb.append('\n');
    }

    void catalog(CatalogScenario s, CatalogScenario health) {
        sb.append("## 8. Model catalogue: `GET /api/models` with a filter (").append(s.clients).append(" concurrent clients)\n\n");
        sb.append("557-model fixture from the fake upstream, cached by the service; `tools_only=true&filters=")
                .append(CatalogScenario.FILTER.replace("|", "\\|")).append("` selects ").append(s.models)
                .append(" models. Closed loop, client-side latency.\n\n");
        table("route", "requests", "req/s", "p50 (ms)", "p99 (ms)", "max (ms)", "KiB/response", "failures");
        catalogRow("`GET /api/models` + filter", s);
        catalogRow("`GET /health` (baseline: same client, no catalogue work)", health);
        sb.append('\n');
    }

    private void catalogRow(String label, CatalogScenario s) {
        double seconds = s.wallNanos / 1e9;
        row(label, i(s.latency.size()), f(s.latency.size() / seconds), f(s.latency.p50()), f(s.latency.p99()),
                f(s.latency.max()), f(s.latency.size() == 0 ? 0 : s.bytes.get() / 1024.0 / s.latency.size()),
                i(s.failures.get()));
    }

    private void errors(LoadRun run) {
        List<String> errors = run.errors();
        if (!errors.isEmpty()) {
            sb.append("\nFirst errors (").append(run.label()).append("): ").append(errors).append('\n');
        }
    }

    private void table(String... cols) {
        sb.append('|');
        for (String c : cols) {
            sb.append(' ').append(c).append(" |");
        }
        sb.append("\n|");
        sb.append("---|".repeat(cols.length)).append('\n');
    }

    private void row(String... cells) {
        table0(cells);
    }

    private void table0(String... cells) {
        sb.append('|');
        for (String c : cells) {
            sb.append(' ').append(c).append(" |");
        }
        sb.append('\n');
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String i(long v) {
        return Long.toString(v);
    }

    void uploads(java.util.List<UploadScenario.Result> results) {
        sb.append("## 7. One 200 MB upload (chunked multipart, one client)\n\n");
        sb.append("RSS of the jar sampled every 20 ms during the upload; \"sent\" = bytes the client managed to write.\n\n");
        sb.append("| case | status | sent | time | rate | RSS before | RSS peak | growth |\n|---|---|---|---|---|---|---|---|\n");
        for (UploadScenario.Result r : results) {
            sb.append(String.format(java.util.Locale.ROOT, "| %s | %d | %.1f MiB | %d ms | %.0f MiB/s | %d MiB | %d MiB | %+d MiB |%n",
                    r.label(), r.status(), r.bytesSent() / 1048576.0, r.millis(), r.mibPerSecond(),
                    r.rssBeforeKib() / 1024, r.rssPeakKib() / 1024, (r.rssPeakKib() - r.rssBeforeKib()) / 1024));
        }
        sb.append('\n');
    }

    void resume(ResumeScenario r, int n, int eventsPerTurn) {
        sb.append("## 9. Resume after a drop (").append(n).append(" turns, each dropped once at a random event)\n\n");
        sb.append("Each turn's client closes after a random number of events and resumes with `Last-Event-ID` on ")
                .append("`GET /api/chat/turns/{id}/events` (`chat.detachGrace: 30s`). Whole = the two parts hold ")
                .append("exactly ").append(eventsPerTurn).append(" events and the full answer text.\n\n");
        table("", "turns", "target");
        row("whole", i(r.whole.get()), i(n));
        row("lost events", i(r.lost.get()), "0");
        row("duplicated events", i(r.duplicated.get()), "0");
        row("failed (no [DONE])", i(r.failed.get()), "0");
        row("resumes that began with a snapshot", i(r.snapshots.get()), "0 (4 MiB buffer)");
        row("resume request → first event p50 / p99 (ms)", f(r.resumeFirstEvent.p50()) + " / "
                + f(r.resumeFirstEvent.p99()), "");
        sb.append('\n');
    }

    String text() {
        return sb.toString();
    }
}
