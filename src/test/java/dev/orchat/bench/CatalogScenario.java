package dev.orchat.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 8: {@code GET /api/models} with a filter over the cached catalogue (the 557-model test fixture), closed
 * loop at a fixed number of concurrent clients. Measures the per-request cost of search + filter + serialisation;
 * the upstream is fetched once at the start and then served from the cache.
 */
final class CatalogScenario {
    static final String FILTER = "{\"pricing.prompt\": {\"max\": 0.000001}, \"input_modalities\": [\"image\"]}";
    final Samples latency = new Samples();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicLong bytes = new AtomicLong();
    int clients;
    int models;
    long wallNanos;

    static final String PATH = "/api/models?tools_only=true&filters=" + URLEncoder.encode(FILTER, StandardCharsets.UTF_8);

    /** {@code path} is {@link #PATH}, or {@code /health} for the baseline row (same client, no catalogue work). */
    static CatalogScenario run(int port, String path, int clients, long millis) throws Exception {
        CatalogScenario s = new CatalogScenario();
        s.clients = clients;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://127.0.0.1:" + port + path);
        HttpResponse<String> first = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        if (first.statusCode() != 200) {
            throw new IllegalStateException("catalogue unavailable: " + first.statusCode() + " " + first.body());
        }
        s.models = first.body().split("\"id\":").length - 1;
        long end = System.nanoTime() + millis * 1_000_000;
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() == 200) {
                            s.latency.add(System.nanoTime() - sent);
                            s.bytes.addAndGet(r.body().length);
                        } else {
                            s.failures.incrementAndGet();
                        }
                    } catch (Exception e) {
                        s.failures.incrementAndGet();
                    }
                }
            }, "catalog-client-" + c);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        s.wallNanos = System.nanoTime() - start;
        return s;
    }
}
