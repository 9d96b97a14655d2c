package dev.orchat.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** What the fake answers on its catalogue routes; set through {@link FakeOpenRouter}'s public methods. */
final class FakeCatalog {
    volatile String modelsJson = Endpoints.DEFAULT_MODELS;
    volatile int modelsStatus = 200;
    volatile long modelsDelayMillis;
    final AtomicInteger modelsRequests = new AtomicInteger();
    volatile String providersJson = Endpoints.DEFAULT_PROVIDERS;
    volatile int providersStatus = 200;
    final Map<String, String> endpointsJson = new ConcurrentHashMap<>();

    void reset() {
        modelsJson = Endpoints.DEFAULT_MODELS;
        modelsStatus = 200;
        modelsDelayMillis = 0;
        modelsRequests.set(0);
        providersJson = Endpoints.DEFAULT_PROVIDERS;
        providersStatus = 200;
        endpointsJson.clear();
    }

    /** Counts a {@code GET /models} and waits the configured delay, so concurrent catalogue misses overlap. */
    void countModelsRequest() {
        modelsRequests.incrementAndGet();
        if (modelsDelayMillis > 0) {
            try {
                Thread.sleep(modelsDelayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
