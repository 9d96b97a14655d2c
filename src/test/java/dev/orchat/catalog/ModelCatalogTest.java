package dev.orchat.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.openrouter.OpenRouterClient;
import dev.orchat.openrouter.OpenRouterFactory;
import dev.orchat.openrouter.UpstreamException;
import dev.orchat.testing.CatalogFixture;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.web.ApiException;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jackson.Jackson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** docs/api.md §2.16 caching against the fake upstream over loopback; time is a settable clock, never the wall clock. */
class ModelCatalogTest {
    private static final ObjectMapper MAPPER = Jackson.newObjectMapper();
    private static FakeOpenRouter fake;
    private static OpenRouterClient client;
    private final MutableClock clock = new MutableClock();
    private final MetricRegistry metrics = new MetricRegistry();
    private ModelCatalog catalog;

    @BeforeAll
    static void start() throws Exception {
        fake = FakeOpenRouter.start();
        OpenRouterFactory config = MAPPER.readValue("{\"baseUrl\":\"" + fake.baseUrl() + "\",\"flavor\":\"OPENROUTER\","
                + "\"apiKey\":\"k\",\"timeoutSeconds\":10}", OpenRouterFactory.class);
        client = config.build(new Environment("test"), false);
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    @BeforeEach
    void fresh() {
        fake.reset();
        fake.setModelsJson(CatalogFixture.json());
        catalog = new ModelCatalog(client, MAPPER, clock, Duration.ofSeconds(60), metrics);
    }

    @Test
    void fiftyConcurrentMissesShareOneUpstreamFetch() throws Exception {
        fake.setModelsDelay(Duration.ofMillis(300)); // keeps the first fetch open while the others arrive
        ExecutorService pool = Executors.newFixedThreadPool(50);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            results.add(pool.submit(() -> {
                go.await();
                return catalog.current().snapshot().models().size();
            }));
        }
        go.countDown();
        for (Future<Integer> r : results) {
            assertThat(r.get()).isEqualTo(557);
        }
        pool.shutdown();
        assertThat(fake.modelsRequestCount()).isEqualTo(1);
        assertThat(metrics.meter("models.catalog.refreshes").getCount()).isEqualTo(1);
    }

    @Test
    void cachedForTheTtlThenRefetched() {
        catalog.current();
        clock.advance(Duration.ofSeconds(59));
        catalog.current();
        assertThat(fake.modelsRequestCount()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(2));
        assertThat(catalog.current().stale()).isFalse();
        assertThat(fake.modelsRequestCount()).isEqualTo(2);
    }

    @Test
    void aFailedRefreshServesTheStaleCopy() {
        ModelCatalog.View first = catalog.current();
        fake.setModelsStatus(503);
        clock.advance(Duration.ofMinutes(30));
        ModelCatalog.View view = catalog.current();
        assertThat(view.stale()).isTrue();
        assertThat(view.snapshot()).isSameAs(first.snapshot());
        assertThat(metrics.meter("models.catalog.errors").getCount()).isEqualTo(1);
        fake.setModelsStatus(200);
        assertThat(catalog.current().stale()).isFalse();
        assertThat(fake.modelsRequestCount()).isEqualTo(3);
    }

    @Test
    void withoutACopyTheUpstreamStatusIsTheAnswer() {
        fake.setModelsStatus(503);
        assertThatThrownBy(catalog::current).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.detail()).isEqualTo("Service Unavailable");
        });
    }

    @Test
    void refreshForcesAFetchAndReportsFailures() throws Exception {
        catalog.current();
        assertThat(catalog.refresh()).isEqualTo(557);
        assertThat(fake.modelsRequestCount()).isEqualTo(2);
        fake.setModelsStatus(500);
        assertThatThrownBy(catalog::refresh).isInstanceOf(UpstreamException.class);
        assertThat(catalog.current().snapshot().models()).hasSize(557); // the good copy is kept
    }

    @Test
    void payloadWithoutDataIsServedUnchanged() {
        fake.setModelsJson("{\"object\":\"list\",\"models\":[1,2]}");
        JsonNode body = catalog.select(catalog.current().snapshot(), true, ModelSearch.parse("x"), ModelFilter.none());
        assertThat(body.toString()).isEqualTo("{\"object\":\"list\",\"models\":[1,2]}");
    }

    @Test
    void inputModalitiesNeverBlocksAndFillsInTheBackground() throws Exception {
        fake.setModelsDelay(Duration.ofMillis(200));
        assertThat(catalog.inputModalities("openrouter/auto")).isEmpty(); // nothing cached: unknown, load started
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Optional<List<String>> modalities = Optional.empty();
        while (modalities.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            modalities = catalog.inputModalities("openrouter/auto");
        }
        assertThat(modalities).contains(List.of("image", "text"));
        assertThat(catalog.inputModalities("no/such-model")).isEmpty();
        assertThat(catalog.inputModalities(null)).isEmpty();
        assertThat(fake.modelsRequestCount()).isEqualTo(1);
    }

    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2025-10-21T16:00:00Z");

        synchronized void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public synchronized Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
