package dev.orchat.bench;

import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.Scripts;
import dev.orchat.testing.TestDatabase;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Scenario 10 (docs/performance.md, "Several instances"): the same turn load on SQLite with one instance, on
 * PostgreSQL with one instance and on PostgreSQL with two instances sharing the database (the client spreads the
 * requests over both, as a load balancer would). TTFT at concurrency 1 and closed-loop streams/s at 50 concurrent,
 * next to the fake hit directly in the same run. PostgreSQL is the embedded server the tests use, on this machine.
 */
final class InstancesScenario {
    record Row(String label, Samples ttft, int ttftFailures, double streamsPerSecond, int loopFailures) { }

    /** A turn on A followed from B: per event, B's arrival minus A's; a cancel on B until A's stream ended. */
    record CrossInstance(Samples followDelay, int followed, Samples cancelLatency, int cancelled) { }

    private CrossInstance crossInstance;

    CrossInstance crossInstance() {
        return crossInstance;
    }

    private final StreamClient client;
    private final FakeOpenRouter fake;
    private final boolean quick;

    InstancesScenario(StreamClient client, FakeOpenRouter fake, boolean quick) {
        this.client = client;
        this.fake = fake;
        this.quick = quick;
    }

    interface Starter {
        ServiceProcess start(String label, Map<String, String> overrides) throws Exception;
    }

    List<Row> run(LoadRun.Target direct, Starter starter) throws Exception {
        List<Row> rows = new ArrayList<>();
        rows.add(measure("direct (fake upstream)", List.of(direct)));
        try (ServiceProcess svc = starter.start("inst-sqlite", Map.of())) {
            rows.add(measure("SQLite, 1 instance", List.of(target(svc))));
        }
        String pg1 = TestDatabase.freshPostgresUrl();
        try (ServiceProcess svc = starter.start("inst-pg1", Map.of("database.url", pg1))) {
            rows.add(measure("PostgreSQL, 1 instance", List.of(target(svc))));
        }
        String pg2 = TestDatabase.freshPostgresUrl();
        try (ServiceProcess a = starter.start("inst-pg2a", Map.of("database.url", pg2));
             ServiceProcess b = starter.start("inst-pg2b", Map.of("database.url", pg2))) {
            rows.add(measure("PostgreSQL, 2 instances", List.of(target(a), target(b))));
            crossInstance = crossInstance(a, b, quick ? 10 : 30);
        }
        return rows;
    }

    /** Turns run on {@code a}, each followed from {@code b}, then cancelled through {@code b}. */
    private CrossInstance crossInstance(ServiceProcess a, ServiceProcess b, int turns) throws Exception {
        Samples delay = new Samples();
        Samples cancel = new Samples();
        int followed = 0;
        int cancelled = 0;
        fake.setDefaultScript(Scripts.paced(2_000, 20));
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            for (int i = 0; i < turns; i++) {
                String session = "cross-" + i + "-" + System.nanoTime();
                try (dev.orchat.testing.SseClient.Stream onA = dev.orchat.testing.SseClient.post(a.port,
                        "{\"session_id\":\"" + session + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")) {
                    String turnId = onA.next().json().get("turn_id").asText();
                    java.util.Map<String, Long> atA = new java.util.concurrent.ConcurrentHashMap<>();
                    Future<?> readA = reader.submit(() -> {
                        dev.orchat.testing.SseClient.Received r;
                        while ((r = onA.next()) != null) {
                            atA.put(r.id(), r.nanos());
                        }
                        return null;
                    });
                    try (dev.orchat.testing.SseClient.Stream onB = dev.orchat.testing.SseClient.get(b.port,
                            "/api/chat/turns/" + turnId + "/events", null)) {
                        // The replay first, then live: measure 40 live events.
                        int live = 0;
                        dev.orchat.testing.SseClient.Received r;
                        while (live < 40 && (r = onB.next()) != null) {
                            Long t = atA.get(r.id());
                            if (t != null && Integer.parseInt(r.id()) > 3) {
                                delay.add(Math.max(0, r.nanos() - t));
                                live++;
                            }
                        }
                        followed += live == 40 ? 1 : 0;
                        long asked = System.nanoTime();
                        java.net.http.HttpResponse<String> res = java.net.http.HttpClient.newHttpClient().send(
                                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + b.port
                                                + "/api/chat/session/" + session + "/cancel"))
                                        .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString());
                        readA.get(10, java.util.concurrent.TimeUnit.SECONDS);
                        if (res.statusCode() == 200 && res.body().contains("\"cancelled\":true")) {
                            cancel.add(System.nanoTime() - asked);
                            cancelled++;
                        }
                    }
                }
            }
        } finally {
            reader.shutdownNow();
        }
        Thread.sleep(500);
        return new CrossInstance(delay, followed, cancel, cancelled);
    }

    private static LoadRun.Target target(ServiceProcess svc) {
        return new LoadRun.Target(svc.label, new InetSocketAddress("127.0.0.1", svc.port),
                StreamClient.chatRequest("127.0.0.1", svc.port, "/api/chat/stream", null));
    }

    /** Warm-up, then TTFT alternating over the targets one at a time, then a closed loop split over them. */
    private Row measure(String label, List<LoadRun.Target> targets) throws Exception {
        fake.setDefaultScript(Scripts.paced(5, 0));
        for (LoadRun.Target t : targets) {
            new LoadRun(client, t).closedLoop(8, quick ? 1_500 : 4_000);
        }
        Thread.sleep(300);
        fake.setDefaultScript(Scripts.paced(3, 0));
        int n = quick ? 60 : 300;
        Samples ttft = new Samples();
        int ttftFailures = 0;
        for (int i = 0; i < n; i++) {
            LoadRun one = new LoadRun(client, targets.get(i % targets.size()));
            one.sequential(1);
            ttft.addAll(one.ttft);
            ttftFailures += one.failed.get();
        }
        Thread.sleep(300);
        fake.setDefaultScript(Scripts.paced(20, 0));
        long millis = quick ? 3_000 : 8_000;
        int each = 50 / targets.size();
        ExecutorService pool = Executors.newFixedThreadPool(targets.size());
        try {
            List<LoadRun> runs = new ArrayList<>();
            List<Future<Long>> walls = new ArrayList<>();
            for (LoadRun.Target t : targets) {
                LoadRun run = new LoadRun(client, t);
                runs.add(run);
                walls.add(pool.submit(() -> run.closedLoop(each, millis)));
            }
            long wall = 0;
            for (Future<Long> w : walls) {
                wall = Math.max(wall, w.get());
            }
            int ok = runs.stream().mapToInt(r -> r.ok.get()).sum();
            int failed = runs.stream().mapToInt(r -> r.failed.get()).sum();
            Thread.sleep(500);
            return new Row(label, ttft, ttftFailures, ok / (wall / 1e9), failed);
        } finally {
            pool.shutdownNow();
        }
    }
}
