package dev.orchat.bench;

import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.Scripts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Benchmark driver (not a test): hosts the fake upstream in this JVM, runs the jar as a child process against
 * it and runs every scenario twice, through the service and straight at the fake, so the report shows what
 * the service adds. Run through {@code bench/run.sh}.
 *
 * <p>Arguments: {@code jar config java17Home java25Home outFile [quick]}.
 */
public final class Bench {
    private final Map<String, String> args;
    private final boolean quick;
    private final Report report = new Report();

    private Bench(Map<String, String> args) {
        this.args = args;
        this.quick = args.containsKey("quick");
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        String[] names = {"jar", "config", "java17", "java25", "out"};
        for (int i = 0; i < argv.length; i++) {
            args.put(i < names.length ? names[i] : argv[i], argv[i]);
        }
        new Bench(args).run();
        // The fake's connection threads are daemons, but the HttpClient used for /health is not worth waiting for.
        System.exit(0);
    }

    private void run() throws Exception {
        Path jar = Path.of(args.get("jar")).toAbsolutePath();
        Path config = Path.of(args.get("config")).toAbsolutePath();
        Path java17 = Path.of(args.get("java17"));
        Path java25 = Path.of(args.get("java25"));
        Path work = Files.createTempDirectory("orchat-bench");
        List<String> jvm = new java.util.ArrayList<>(List.of("-Xmx1g"));
        String extra = System.getenv("BENCH_JVM_EXTRA"); // e.g. a -XX:StartFlightRecording=… for profiling
        if (extra != null && !extra.isBlank()) {
            jvm.addAll(List.of(extra.trim().split("\\s+")));
        }
        report.header(jar, jvm, quick, work);
        try (FakeOpenRouter fake = FakeOpenRouter.start(); StreamClient client = new StreamClient()) {
            fake.setRecording(false);
            String upstream = fake.baseUrl().toString();
            LoadRun.Target direct = new LoadRun.Target("direct",
                    new InetSocketAddress("127.0.0.1", fake.port()),
                    StreamClient.chatRequest("127.0.0.1", fake.port(), "/api/v1/chat/completions", "bench-key"));
            Scenarios sc = new Scenarios(client, fake);
            if (args.containsKey("resume")) {
                // `bench/run.sh resume`: only scenario 9.
                resume(java17, jar, config, work, upstream, jvm, fake, client);
                finish();
                return;
            }
            if (args.containsKey("instances")) {
                // `bench/run.sh instances`: only scenario 10 (SQLite vs PostgreSQL, one vs two instances).
                log("scenario 10: SQLite, PostgreSQL with one and with two instances");
                InstancesScenario instances = new InstancesScenario(client, fake, quick);
                report.instances(instances.run(direct, (label, overrides) ->
                        ServiceProcess.start(label, java17, jar, config, work, upstream, overrides, jvm)));
                report.crossInstance(instances.crossInstance());
                finish();
                return;
            }
            if (args.containsKey("concurrent")) {
                // `bench/run.sh concurrent`: only scenario 3 (BENCH_CONCURRENT_JVMS=17 skips Java 25).
                concurrent(sc, direct, java17, java25, jar, config, work, upstream, jvm);
                finish();
                return;
            }
            if (args.containsKey("uploads")) {
                uploads(java17, jar, config, work, upstream, jvm);
                finish();
                return;
            }

            fake.setModelsJson(dev.orchat.testing.CatalogFixture.json());
            try (ServiceProcess svc = ServiceProcess.start("java17", java17, jar, config, work, upstream,
                    Map.of(), jvm)) {
                LoadRun.Target service = serviceTarget(svc);
                if (args.containsKey("catalog")) {
                    // `bench/run.sh catalog`: only the cheap catalogue cell (scenario 8).
                    runCatalog(svc);
                    finish();
                    return;
                }
                if (args.containsKey("openai")) {
                    // `bench/run.sh openai`: only scenario 1, TTFT of /api/chat/stream and /v1/chat/completions.
                    runTtft(sc, direct, service, openAiTarget(svc));
                    finish();
                    return;
                }
                if (args.containsKey("relay") || args.containsKey("cancel")) {
                    // `bench/run.sh relay` / `bench/run.sh cancel`: only scenario 2 / 5, after a short warm-up.
                    sc.warmUp(service, 8, quick ? 2_000 : 6_000);
                    if (args.containsKey("relay")) {
                        // BENCH_RELAY_ROUNDS repeats scenario 2 on the same process (the later rounds run on
                        // compiled code: docs/performance.md, "CPU per relayed chunk").
                        String roundsEnv = System.getenv("BENCH_RELAY_ROUNDS");
                        int rounds = roundsEnv == null || roundsEnv.isBlank() ? 1 : Integer.parseInt(roundsEnv.strip());
                        for (int r = 0; r < rounds; r++) {
                            relay(sc, direct, service, svc);
                        }
                    }
                    if (args.containsKey("cancel")) {
                        cancel(sc, direct, service);
                    }
                    finish();
                    return;
                }
                runTtft(sc, direct, service, openAiTarget(svc));
                if (args.containsKey("ttft")) {
                    // `bench/run.sh ttft`: scenarios 1 (with /v1) and 4 only, for quick checks of the turn path.
                    long[] wd = new long[1];
                    long[] ws = new long[1];
                    long c0 = ServiceProcess.cpuMillis(ProcessHandle.current().pid());
                    LoadRun d = sc.throughput(direct, 50, 20, 5_000, wd);
                    long c1 = ServiceProcess.cpuMillis(ProcessHandle.current().pid());
                    long s0 = svc.cpuMillis();
                    LoadRun s4 = sc.throughput(service, 50, 20, 5_000, ws);
                    long s1 = svc.cpuMillis();
                    report.throughput(d, wd[0], s4, ws[0]);
                    report.cpu("4", c1 - c0, d.ok.get(), s1 - s0, s4.ok.get(), 20);
                    finish();
                    return;
                }

                relay(sc, direct, service, svc);

                long ms4 = quick ? 3_000 : 10_000;
                long[] wallD = new long[1];
                long[] wallS = new long[1];
                log("scenario 4: throughput, concurrency 50, 20 chunks flat out, " + ms4 + " ms");
                long c0 = ServiceProcess.cpuMillis(ProcessHandle.current().pid());
                LoadRun d4 = sc.throughput(direct, 50, 20, ms4, wallD);
                long c1 = ServiceProcess.cpuMillis(ProcessHandle.current().pid());
                long s0 = svc.cpuMillis();
                LoadRun s4 = sc.throughput(service, 50, 20, ms4, wallS);
                long s1 = svc.cpuMillis();
                report.throughput(d4, wallD[0], s4, wallS[0]);
                report.cpu("4", c1 - c0, d4.ok.get(), s1 - s0, s4.ok.get(), 20);

                cancel(sc, direct, service);

                int n6 = quick ? 50 : 200;
                log("scenario 6: tool round on a built-in server, " + n6 + " sequential turns");
                ToolRoundScenario.run(svc.port, fake, 30); // warm-up of the tool path
                report.toolRound(ToolRoundScenario.run(svc.port, fake, n6));
                runCatalog(svc);
            }

            uploads(java17, jar, config, work, upstream, jvm);
            resume(java17, jar, config, work, upstream, jvm, fake, client);

            concurrent(sc, direct, java17, java25, jar, config, work, upstream, jvm);
        }
        finish();
    }

    /** Scenario 3: the fake hit directly, then a fresh service per JVM variant. */
    private void concurrent(Scenarios sc, LoadRun.Target direct, Path java17, Path java25, Path jar, Path config,
                            Path work, String upstream, List<String> jvm) throws Exception {
        int n3 = quick ? 500 : 3_000;
        int chunks3 = 50;
        log("scenario 3: " + n3 + " concurrent streams x " + chunks3 + " chunks @ 100 ms, direct");
        Scenarios.Concurrent d3 = sc.concurrent(direct, n3, 2_000, chunks3, 100, null, null);
        int nBurst = quick ? 300 : 1_000;
        Map<String, Scenarios.Concurrent> services = new LinkedHashMap<>();
        Map<String, Scenarios.Concurrent> bursts = new LinkedHashMap<>();
        String only = System.getenv("BENCH_CONCURRENT_JVMS"); // "17" or "25": only that column
        if (!"25".equals(only)) {
            services.put("Java 17, platform threads", concurrentOnService(sc, "java17-c", java17, jar, config, work,
                    upstream, Map.of(), jvm, n3, chunks3, burst -> bursts.put("Java 17, platform threads", burst)));
        }
        if (!"17".equals(only)) {
            services.put("Java 25, virtual threads",
                    concurrentOnService(sc, "java25-vt", java25, jar, config, work, upstream,
                            Map.of("chat.virtualThreads", "true"), jvm, n3, chunks3,
                            burst -> bursts.put("Java 25, virtual threads", burst)));
        }
        report.concurrent(n3, chunks3, d3, services);
        log("scenario 3b: " + nBurst + " simultaneous new turns, direct");
        report.burst(nBurst, sc.concurrent(direct, nBurst, 0, 5, 100, null, null), bursts);
    }

    /** Scenario 2: relay latency of paced chunks. */
    private void relay(Scenarios sc, LoadRun.Target direct, LoadRun.Target service, ServiceProcess svc)
            throws InterruptedException, IOException {
        int n2 = 100;
        int chunks2 = quick ? 20 : 50;
        log("scenario 2: relay latency, " + n2 + " streams x " + chunks2 + " chunks @ 20 ms");
        long c0 = ServiceProcess.cpuMillis(ProcessHandle.current().pid());
        LoadRun d = sc.relayLatency(direct, n2, chunks2, 20);
        long c1 = ServiceProcess.cpuMillis(ProcessHandle.current().pid());
        long s0 = svc.cpuMillis();
        LoadRun s = sc.relayLatency(service, n2, chunks2, 20);
        long s1 = svc.cpuMillis();
        report.relay(n2, chunks2, d, s);
        report.cpu("2", c1 - c0, d.ok.get(), s1 - s0, s.ok.get(), chunks2);
    }

    /** Scenario 5: upstream cancel after the clients close, stalled and flowing. */
    private void cancel(Scenarios sc, LoadRun.Target direct, LoadRun.Target service) throws InterruptedException {
        int n5 = 100;
        log("scenario 5: upstream cancel, " + n5 + " streams, stalled and flowing");
        Scenarios.Cancel dStall = sc.cancel(direct, Scripts.stallAfter("x"), n5, 100);
        Scenarios.Cancel sStall = sc.cancel(service, Scripts.stallAfter("x"), n5, 100);
        Scenarios.Cancel dFlow = sc.cancel(direct, Scripts.paced(2_000, 50), n5, 300);
        Scenarios.Cancel sFlow = sc.cancel(service, Scripts.paced(2_000, 50), n5, 300);
        report.cancel(dStall, sStall, dFlow, sFlow);
    }

    /** Scenario 1, with the OpenAI-compatible route next to the chat stream (docs/api.md §5). */
    private void runTtft(Scenarios sc, LoadRun.Target direct, LoadRun.Target service, LoadRun.Target openai)
            throws InterruptedException {
        // BENCH_WARMUP_MS lengthens the service's warm-up: with the default, the JIT is still compiling the turn
        // path during scenario 4 (docs/performance.md, turn engine), so a longer one shows the steady state.
        String warmEnv = System.getenv("BENCH_WARMUP_MS");
        long warm = warmEnv == null || warmEnv.isBlank() ? (quick ? 2_000 : 6_000) : Long.parseLong(warmEnv.strip());
        log("warm-up (" + warm + " ms per service route)");
        sc.warmUp(direct, 8, quick ? 1_000 : 3_000);
        sc.warmUp(service, 8, warm);
        sc.warmUp(openai, 8, warm);
        int n1 = quick ? 50 : 300;
        log("scenario 1: TTFT at concurrency 1, " + n1 + " streams each (direct, /api/chat/stream, /v1)");
        LoadRun d = sc.ttft(direct, n1);
        LoadRun s = sc.ttft(service, n1);
        report.ttft(d, s, sc.ttft(openai, n1));
        int sessions = quick ? 20 : 100;
        log("scenario 1, continuing sessions: " + sessions + " sessions with 20 earlier turns each");
        InetSocketAddress address = service.address();
        String run = Long.toString(System.nanoTime(), 36); // fresh sessions on every run of the same database
        LoadRun continuing = sc.ttftContinuing(i -> new LoadRun.Target("continuing", address,
                StreamClient.chatRequest(address.getHostString(), address.getPort(), "/api/chat/stream", null,
                        "bench-" + run + "-" + i)), sessions, 20);
        report.ttftContinuing(d, continuing, 20);
    }

    private void runCatalog(ServiceProcess svc) throws Exception {
        log("scenario 8: GET /api/models with a filter, 50 concurrent clients");
        CatalogScenario.run(svc.port, CatalogScenario.PATH, 8, quick ? 1_000 : 2_000); // warm-up: JIT, cache filled
        CatalogScenario health = CatalogScenario.run(svc.port, "/health", 50, quick ? 3_000 : 10_000);
        report.catalog(CatalogScenario.run(svc.port, CatalogScenario.PATH, 50, quick ? 3_000 : 10_000), health);
    }

    private void finish() throws IOException {
        String text = report.text();
        System.out.println(text);
        Path out = Path.of(args.get("out"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, text);
        log("report written to " + out + " (" + Instant.now() + ")");
    }

    private void uploads(Path java17, Path jar, Path config, Path work, String upstream, List<String> jvm)
            throws Exception {
        log("scenario 7: a 200 MB upload, accepted (cap 256 MiB) and refused (cap 10 MiB)");
        try (ServiceProcess svc = ServiceProcess.start("uploads", java17, jar, config, work, upstream,
                Map.of("attachments.maxSizeBytes", Long.toString(256L * 1024 * 1024)), jvm)) {
            UploadScenario.run(svc, "warm-up", 8L * 1024 * 1024);
            UploadScenario.Result accepted = UploadScenario.run(svc, "accepted (cap 256 MiB)", 200L * 1024 * 1024);
            try (ServiceProcess small = ServiceProcess.start("uploads-cap", java17, jar, config, work, upstream,
                    Map.of(), jvm)) {
                report.uploads(List.of(accepted, UploadScenario.run(small, "refused (cap 10 MiB)", 200L * 1024 * 1024)));
            }
        }
    }

    /** Scenario 9: turns dropped once and resumed, on a process that keeps client-less turns running. */
    private void resume(Path java17, Path jar, Path config, Path work, String upstream, List<String> jvm,
                        FakeOpenRouter fake, StreamClient client) throws Exception {
        int n = quick ? 200 : 1_000;
        log("scenario 9: " + n + " turns dropped once and resumed");
        fake.setDefaultScript(Scripts.paced(20, 20));
        try (ServiceProcess svc = ServiceProcess.start("resume", java17, jar, config, work, upstream,
                Map.of("chat.detachGrace", "30s"), jvm)) {
            int perTurn;
            try (dev.orchat.testing.SseClient.Stream whole = dev.orchat.testing.SseClient.post(svc.port,
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")) {
                perTurn = whole.readAll().size();
            }
            ResumeScenario r = ResumeScenario.run(client, new InetSocketAddress("127.0.0.1", svc.port), svc.port, n,
                    20, perTurn, 2_000);
            report.resume(r, n, perTurn);
        } finally {
            fake.setDefaultScript(Scripts.text("Hello", " from", " the fake."));
        }
    }

    /** A fresh process per JVM variant, so the idle baseline holds no threads cached by earlier scenarios. */
    private Scenarios.Concurrent concurrentOnService(Scenarios sc, String label, Path javaHome, Path jar, Path config,
                                                     Path work, String upstream, Map<String, String> overrides,
                                                     List<String> jvm, int n, int chunks,
                                                     java.util.function.Consumer<Scenarios.Concurrent> burst)
            throws Exception {
        try (ServiceProcess svc = ServiceProcess.start(label, javaHome, jar, config, work, upstream, overrides, jvm)) {
            LoadRun.Target service = serviceTarget(svc);
            log("scenario 3 via service (" + label + ", pid " + svc.pid() + ")");
            // Warm with one stream at a time: JIT and DB are primed without leaving idle relay threads behind.
            sc.warmSequential(service, quick ? 50 : 200);
            // BENCH_CONCURRENT_WARMUP_MS adds a concurrent warm-up, so the JIT has compiled the paths this load
            // takes (docs/performance.md, "Scenario 3 and the JIT"); it leaves cached threads and a grown heap in
            // the idle baseline, so the RSS figures of such a run are not comparable with the default.
            String warmEnv = System.getenv("BENCH_CONCURRENT_WARMUP_MS");
            long warm = warmEnv == null || warmEnv.isBlank() ? 0 : Long.parseLong(warmEnv.strip());
            if (warm > 0) {
                log("concurrent warm-up, " + warm + " ms");
                long until = System.nanoTime() + warm * 1_000_000;
                while (System.nanoTime() < until) {
                    sc.throughput(service, 50, 20, 3_000, new long[1]);
                    sc.concurrent(service, Math.min(n, 500), 1_000, 20, 100, null, null);
                }
            }
            Thread.sleep(1_000);
            log("scenario 3 load starts (" + label + ")");
            LongSupplier rss = () -> unchecked(svc::rssKib);
            LongSupplier threads = () -> unchecked(svc::threads);
            Scenarios.Concurrent result = sc.concurrent(service, n, 2_000, chunks, 100, rss, threads);
            // Scenario 3b on the same process, after scenario 3 has ended: every request written at once.
            int nBurst = quick ? 300 : 1_000;
            log("scenario 3b via service (" + label + "): " + nBurst + " simultaneous new turns");
            burst.accept(sc.concurrent(service, nBurst, 0, 5, 100, null, null));
            return result;
        }
    }

    private static LoadRun.Target serviceTarget(ServiceProcess svc) {
        return new LoadRun.Target("service", new InetSocketAddress("127.0.0.1", svc.port),
                StreamClient.chatRequest("127.0.0.1", svc.port, "/api/chat/stream", null));
    }

    /** {@code POST /v1/chat/completions} with {@code "stream": true}: stateless, server tools offered. */
    private static LoadRun.Target openAiTarget(ServiceProcess svc) {
        return new LoadRun.Target("openai", new InetSocketAddress("127.0.0.1", svc.port),
                StreamClient.chatRequest("127.0.0.1", svc.port, "/v1/chat/completions", null));
    }

    private interface IoLong {
        long get() throws IOException;
    }

    private static long unchecked(IoLong f) {
        try {
            return f.get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void log(String msg) {
        System.err.println("[bench " + Instant.now() + "] " + msg);
    }
}
