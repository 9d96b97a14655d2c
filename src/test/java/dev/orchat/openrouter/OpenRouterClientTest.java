package dev.orchat.openrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.Script;
import dev.orchat.testing.Scripts;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jackson.Jackson;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/api.md §2.2: upstream error detail, retry delays and Retry-After handling. */
class OpenRouterClientTest {

    private static final ObjectMapper MAPPER = Jackson.newObjectMapper();
    private static final byte[] PAYLOAD = "{\"model\":\"m\",\"messages\":[],\"stream\":true}"
            .getBytes(StandardCharsets.UTF_8);

    private static FakeOpenRouter fake;
    private static OpenRouterClient client;

    @BeforeAll
    static void start() throws IOException {
        fake = FakeOpenRouter.start();
        OpenRouterFactory config = MAPPER.readValue("{\"baseUrl\":\"" + fake.baseUrl() + "/\","
                + "\"flavor\":\"GENERIC\",\"maxRetries\":2,\"timeoutSeconds\":5}", OpenRouterFactory.class);
        client = config.build(new Environment("test"), false);
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    @BeforeEach
    void reset() {
        fake.reset();
    }

    private static UpstreamException status(int status, Integer retryAfter) {
        return UpstreamException.refused(status, "x", retryAfter);
    }

    private static String detail(String body) {
        return client.errorDetail(body.getBytes(StandardCharsets.UTF_8));
    }

    // ---- error detail ------------------------------------------------------------------------

    @Test
    void detailIsErrorMessage() {
        assertThat(detail("{\"error\":{\"message\":\"Insufficient credits\",\"code\":402}}"))
                .isEqualTo("Insufficient credits");
    }

    @Test
    void detailIsErrorJsonWhenMessageMissingOrNotAString() {
        assertThat(detail("{\"error\":{\"code\":500,\"metadata\":{\"raw\":\"x\"}}}"))
                .isEqualTo("{\"code\":500,\"metadata\":{\"raw\":\"x\"}}");
        assertThat(detail("{\"error\":{\"message\":{\"nested\":true}}}"))
                .isEqualTo("{\"message\":{\"nested\":true}}");
        assertThat(detail("{\"error\":[1,2]}")).isEqualTo("[1,2]");
    }

    @Test
    void detailIsBodyTextForJsonWithoutError() {
        assertThat(detail("{\"detail\":\"nope\"}")).isEqualTo("{\"detail\":\"nope\"}");
        assertThat(detail("{\"error\":null}")).isEqualTo("{\"error\":null}");
        assertThat(detail("[1,2,3]")).isEqualTo("[1,2,3]");
    }

    @Test
    void detailIsBodyTextForNonJson() {
        assertThat(detail("<html>502 Bad Gateway</html>")).isEqualTo("<html>502 Bad Gateway</html>");
        assertThat(detail("Service Unavailable")).isEqualTo("Service Unavailable");
    }

    @Test
    void detailForEmptyBodyIsFixedSentence() {
        assertThat(detail("")).isEqualTo("Upstream returned an empty error response.");
        assertThat(detail("  \n ")).isEqualTo("Upstream returned an empty error response.");
    }

    // ---- retry delay -------------------------------------------------------------------------

    @Test
    void delayIsHalfSecondTimesPowerOfTwoWithTwentyPercentJitter() {
        for (int attempt = 0; attempt < 4; attempt++) {
            double base = 500.0 * (1 << attempt);
            List<Long> delays = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                delays.add(OpenRouterClient.retryDelay(status(503, null), attempt));
            }
            assertThat(delays).allSatisfy(d -> assertThat(d).isBetween(Math.round(base * 0.8), Math.round(base * 1.2)));
            // jitter really spreads both ways
            assertThat(delays).anySatisfy(d -> assertThat(d).isLessThan(Math.round(base * 0.95)));
            assertThat(delays).anySatisfy(d -> assertThat(d).isGreaterThan(Math.round(base * 1.05)));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 429, 500, 502, 503, 504})
    void retryableStatusesAreRetried(int code) {
        assertThat(OpenRouterClient.retryDelay(status(code, null), 0)).isBetween(400L, 600L);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 402, 403, 404, 409, 413, 422, 501, 505})
    void otherStatusesAreNotRetried(int code) {
        assertThat(OpenRouterClient.retryDelay(status(code, null), 0)).isEqualTo(-1);
        assertThat(OpenRouterClient.retryDelay(status(code, 1), 0)).isEqualTo(-1);
    }

    @Test
    void transportFailuresAreRetried() {
        UpstreamException refused = UpstreamException.unreachable("Upstream connection failed: ConnectException",
                true, new ConnectException("refused"));

        assertThat(OpenRouterClient.retryDelay(refused, 1)).isBetween(800L, 1200L);
    }

    @Test
    void retryAfterUpToTenSecondsIsHonoured() {
        assertThat(OpenRouterClient.retryDelay(status(429, 0), 0)).isEqualTo(0);
        assertThat(OpenRouterClient.retryDelay(status(429, 3), 0)).isEqualTo(3000);
        assertThat(OpenRouterClient.retryDelay(status(503, 10), 2)).isEqualTo(10_000);
    }

    @Test
    void retryAfterLongerThanTenSecondsIsNotRetried() {
        assertThat(OpenRouterClient.retryDelay(status(429, 11), 0)).isEqualTo(-1);
        assertThat(OpenRouterClient.retryDelay(status(503, 3600), 0)).isEqualTo(-1);
    }

    // ---- Retry-After header ------------------------------------------------------------------

    @Test
    void retryAfterSeconds() {
        assertThat(OpenRouterClient.retryAfter("5")).isEqualTo(5);
        assertThat(OpenRouterClient.retryAfter(" 12 ")).isEqualTo(12);
        assertThat(OpenRouterClient.retryAfter("0")).isEqualTo(0);
        assertThat(OpenRouterClient.retryAfter("-4")).isEqualTo(0);
    }

    @Test
    void retryAfterAbsentOrInvalid() {
        assertThat(OpenRouterClient.retryAfter(null)).isNull();
        assertThat(OpenRouterClient.retryAfter("")).isNull();
        assertThat(OpenRouterClient.retryAfter("  ")).isNull();
        assertThat(OpenRouterClient.retryAfter("soon")).isNull();
        assertThat(OpenRouterClient.retryAfter("1.5")).isNull();
    }

    @Test
    void retryAfterHttpDate() {
        String future = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30));
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).minusHours(1));

        assertThat(OpenRouterClient.retryAfter(future)).isBetween(27, 30);
        assertThat(OpenRouterClient.retryAfter(past)).isEqualTo(0);
    }

    // ---- against the fake upstream ---------------------------------------------------------------

    private static final class Waiter implements OpenRouterClient.RetryWait {
        final List<Long> delays = new CopyOnWriteArrayList<>();
        final boolean proceed;

        Waiter(boolean proceed) {
            this.proceed = proceed;
        }

        @Override
        public CompletableFuture<Boolean> after(long delay) {
            delays.add(delay);
            return CompletableFuture.completedFuture(proceed);
        }
    }

    /** Opens a stream and waits for the outcome: the stream, or the call's {@link UpstreamException}. */
    private static CompletionStream open(Waiter waiter) throws UpstreamException {
        try {
            return client.openStream(PAYLOAD, new AbortHandle(), waiter).join();
        } catch (CompletionException e) {
            throw (UpstreamException) e.getCause();
        }
    }

    @Test
    void flavorAndConfiguredFromFactory() {
        assertThat(client.flavor()).isEqualTo(Flavor.GENERIC);
        assertThat(client.isConfigured()).isTrue();
    }

    @Test
    void serverErrorIsRetriedThenSucceeds() throws Exception {
        fake.enqueue(Scripts.httpError(500, "boom"), Scripts.httpError(502, "bad gateway"), Scripts.text("ok"));
        Waiter waiter = new Waiter(true);

        try (CompletionStream stream = open(waiter)) {
            assertThat(stream).isNotNull();
        }

        assertThat(fake.chatRequestCount()).isEqualTo(3);
        assertThat(waiter.delays).hasSize(2);
        assertThat(waiter.delays.get(0)).isBetween(400L, 600L);
        assertThat(waiter.delays.get(1)).isBetween(800L, 1200L);
    }

    @Test
    void retriesStopAtMaxRetriesWithLastFailure() {
        fake.enqueue(Scripts.httpError(503, "one"), Scripts.httpError(503, "two"), Scripts.httpError(503, "three"),
                Scripts.text("never"));
        Waiter waiter = new Waiter(true);

        UpstreamException e = catchThrowableOfType(() -> open(waiter),
                UpstreamException.class);

        assertThat(e.status()).isEqualTo(503);
        assertThat(e.detail()).isEqualTo("three");
        assertThat(e.beforeStream()).isTrue();
        assertThat(fake.chatRequestCount()).isEqualTo(3);
        assertThat(waiter.delays).hasSize(2);
    }

    @Test
    void clientErrorIsNotRetriedAndCarriesDetail() {
        fake.enqueue(Scripts.httpError(402, "Insufficient credits"), Scripts.text("never"));
        Waiter waiter = new Waiter(true);

        UpstreamException e = catchThrowableOfType(() -> open(waiter),
                UpstreamException.class);

        assertThat(e.status()).isEqualTo(402);
        assertThat(e.detail()).isEqualTo("Insufficient credits");
        assertThat(fake.chatRequestCount()).isEqualTo(1);
        assertThat(waiter.delays).isEmpty();
    }

    @Test
    void requestTimeoutIsRetried() throws Exception {
        fake.enqueue(Scripts.httpError(408, "slow"), Scripts.text("ok"));
        Waiter waiter = new Waiter(true);

        try (CompletionStream stream = open(waiter)) {
            assertThat(stream).isNotNull();
        }
        assertThat(fake.chatRequestCount()).isEqualTo(2);
        assertThat(waiter.delays).hasSize(1);
    }

    @Test
    void shortRetryAfterIsHonoured() throws Exception {
        fake.enqueue(Scripts.rateLimited(2), Scripts.text("ok"));
        Waiter waiter = new Waiter(true);

        try (CompletionStream stream = open(waiter)) {
            assertThat(stream).isNotNull();
        }
        assertThat(waiter.delays).containsExactly(2000L);
    }

    @Test
    void longRetryAfterIsNotRetried() {
        fake.enqueue(Scripts.rateLimited(30), Scripts.text("never"));
        Waiter waiter = new Waiter(true);

        UpstreamException e = catchThrowableOfType(() -> open(waiter),
                UpstreamException.class);

        assertThat(e.status()).isEqualTo(429);
        assertThat(e.retryAfterSeconds()).isEqualTo(30);
        assertThat(e.detail()).isEqualTo("Rate limit exceeded");
        assertThat(fake.chatRequestCount()).isEqualTo(1);
        assertThat(waiter.delays).isEmpty();
    }

    @Test
    void cancelledWaitStopsRetrying() {
        fake.enqueue(Scripts.httpError(500, "boom"), Scripts.text("never"));
        Waiter waiter = new Waiter(false);

        UpstreamException e = catchThrowableOfType(() -> open(waiter),
                UpstreamException.class);

        assertThat(e.status()).isEqualTo(500);
        assertThat(fake.chatRequestCount()).isEqualTo(1);
        assertThat(waiter.delays).hasSize(1);
    }

    @Test
    void emptyErrorBodyGivesFixedSentence() {
        fake.enqueue(Script.builder().status(400, "").build());

        UpstreamException e = catchThrowableOfType(
                () -> open(new Waiter(true)), UpstreamException.class);

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.detail()).isEqualTo("Upstream returned an empty error response.");
    }
}
