package dev.orchat.stt;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.ApiClient;
import dev.orchat.testing.FakeDeepgram;
import dev.orchat.testing.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/** docs/api.md §2.20 against a fake Deepgram: success, failure mapping, 503, rate limit, fallback, and no key leaks. */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class DeepgramTokenTest {
    static final String KEY = "dg-secret-key-0123456789";
    static final FakeDeepgram DEEPGRAM = FakeDeepgram.start();
    static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();

    /*
     * Config overrides are JVM system properties that stay set while the class's apps run, so every app sets
     * every deepgram key itself; otherwise one app's setting would leak into the next one started.
     */
    static final DropwizardAppExtension<OrchatConfiguration> APP = app(KEY, 1000, false, "INFO");
    static final DropwizardAppExtension<OrchatConfiguration> NO_KEY = app("", 1000, false, "INFO");
    static final DropwizardAppExtension<OrchatConfiguration> LIMITED = app(KEY, 3, false, "INFO");
    static final DropwizardAppExtension<OrchatConfiguration> FALLBACK = app(KEY, 1000, true, "INFO");
    static final DropwizardAppExtension<OrchatConfiguration> UNREACHABLE = app(KEY, 1000, false, "INFO", "http://127.0.0.1:9");

    static DropwizardAppExtension<OrchatConfiguration> app(String key, int perMinute, boolean fallback, String level) {
        return app(key, perMinute, fallback, level, DEEPGRAM.baseUrl() + "/");
    }

    static DropwizardAppExtension<OrchatConfiguration> app(String key, int perMinute, boolean fallback, String level,
                                                           String baseUrl) {
        return TestApp.create(null, TestApp.tempDir(), TestApp.set("deepgram.apiKey", key),
                TestApp.set("deepgram.baseUrl", baseUrl),
                TestApp.set("deepgram.rateLimitPerMinute", Integer.toString(perMinute)),
                TestApp.set("deepgram.allowApiKeyFallback", Boolean.toString(fallback)),
                TestApp.set("deepgram.timeout", "1s"), TestApp.set("logging.level", level));
    }

    /** After the apps started: each start reconfigures logback and would detach an earlier appender. */
    @org.junit.jupiter.api.BeforeAll
    static void captureLogs() {
        LOGS.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(LOGS);
    }

    @AfterAll
    static void stop() {
        DEEPGRAM.close();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
    }

    @BeforeEach
    void reset() {
        DEEPGRAM.reset();
    }

    static ApiClient api(DropwizardAppExtension<OrchatConfiguration> app) {
        return new ApiClient(app.getLocalPort());
    }

    @Test
    void successReturnsTheTemporaryToken() {
        ApiClient.Reply reply = api(APP).post("/api/stt/deepgram/token", "{\"ignored\": true}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("{\"access_token\":\"dg-temp-token-1\",\"expires_in\":30}");
        FakeDeepgram.Request sent = DEEPGRAM.requests().get(0);
        assertThat(sent.path()).isEqualTo("/v1/auth/grant");
        assertThat(sent.authorization()).isEqualTo("Token " + KEY);
        assertThat(sent.body()).isEqualTo("{\"ttl_seconds\":30}");
        assertThat(api(APP).post("/api/stt/deepgram/token", null).status()).as("no body needed").isEqualTo(200);
        assertThat(LOGS.list).as("the capture works").anyMatch(e -> e.getFormattedMessage().contains("Deepgram grant answered 200"));
        assertThat(logsMention(KEY)).isFalse();
        JsonNode metrics = new ApiClient(APP.getAdminPort()).get("/metrics").json();
        assertThat(metrics.get("meters").get("stt.deepgram.tokens").get("count").asInt()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void okWithoutTokenIs502AndExpiresInMayBeNull() {
        DEEPGRAM.respond(200, "{\"expires_in\":30}");
        ApiClient.Reply missing = api(APP).post("/api/stt/deepgram/token", null);
        assertThat(missing.status()).isEqualTo(502);
        assertThat(missing.json().get("detail").asText()).isEqualTo("Deepgram did not return a token");
        DEEPGRAM.respond(200, "{\"access_token\":\"t2\"}");
        assertThat(api(APP).post("/api/stt/deepgram/token", null).body()).isEqualTo("{\"access_token\":\"t2\",\"expires_in\":null}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "401|{\"err_code\":\"INVALID_AUTH\",\"err_msg\":\"Invalid credentials.\"}|Deepgram API key is invalid or lacks permission to create tokens",
            "401|{\"err_code\":\"FORBIDDEN\",\"err_msg\":\"Insufficient permissions.\"}|Deepgram API key lacks permission to create tokens; it needs the Member role or higher",
            "402|{\"err_code\":\"PAYMENT_REQUIRED\",\"err_msg\":\"No funds\"}|Deepgram account has insufficient funds",
            "403|{\"err_code\":\"FORBIDDEN\"}|Deepgram API key lacks permission to create tokens; it needs the Member role or higher",
            "500|{\"err_code\":\"INTERNAL\",\"err_msg\":\"Something broke\"}|Deepgram: Something broke",
            "503|{\"error\":\"Overloaded\"}|Deepgram: Overloaded",
            "500|not json|Deepgram token request failed (500)"})
    void upstreamFailuresAre502WithSpecificDetail(int status, String body, String detail) {
        DEEPGRAM.respond(status, body);
        ApiClient.Reply reply = api(APP).post("/api/stt/deepgram/token", null);
        assertThat(reply.status()).isEqualTo(502);
        assertThat(reply.json().get("detail").asText()).isEqualTo(detail);
        assertThat(reply.body()).doesNotContain(KEY);
    }

    @Test
    void anEchoedKeyIsRedacted() {
        DEEPGRAM.respond(500, "{\"err_msg\":\"bad key " + KEY + "\"}");
        ApiClient.Reply reply = api(APP).post("/api/stt/deepgram/token", null);
        assertThat(reply.body()).doesNotContain(KEY).contains("***");
        assertThat(logsMention(KEY)).isFalse();
    }

    @Test
    void slowGrantIs504() {
        DEEPGRAM.delay(3_000);
        ApiClient.Reply reply = api(APP).post("/api/stt/deepgram/token", null);
        assertThat(reply.status()).isEqualTo(504);
        assertThat(reply.json().get("detail").asText()).isEqualTo("Deepgram request timed out");
    }

    @Test
    void networkFailureIs502() {
        ApiClient.Reply reply = api(UNREACHABLE).post("/api/stt/deepgram/token", null);
        assertThat(reply.status()).isEqualTo(502);
        assertThat(reply.json().get("detail").asText()).startsWith("Deepgram request failed: ");
        assertThat(reply.body()).doesNotContain(KEY);
    }

    @Test
    void notConfiguredIs503() {
        ApiClient.Reply reply = api(NO_KEY).post("/api/stt/deepgram/token", null);
        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.body()).isEqualTo("{\"detail\":\"Deepgram is not configured on server\"}");
        assertThat(DEEPGRAM.requests()).isEmpty();
    }

    @Test
    void rateLimitIs429WithRetryAfter() {
        for (int i = 0; i < 3; i++) {
            assertThat(api(LIMITED).post("/api/stt/deepgram/token", null).status()).isEqualTo(200);
        }
        ApiClient.Reply limited = api(LIMITED).post("/api/stt/deepgram/token", null);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().has("detail")).isTrue();
        assertThat(Integer.parseInt(limited.raw().headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 60);
        assertThat(DEEPGRAM.requests()).hasSize(3);
    }

    @Test
    void fallbackHandsOutTheKeyOnlyWhenExplicitlyOn() {
        DEEPGRAM.respond(401, "{\"err_code\":\"INVALID_AUTH\"}");
        ApiClient.Reply off = api(APP).post("/api/stt/deepgram/token", null);
        assertThat(off.status()).isEqualTo(502);
        assertThat(off.body()).doesNotContain(KEY);
        ApiClient.Reply on = api(FALLBACK).post("/api/stt/deepgram/token", null);
        assertThat(on.status()).isEqualTo(200);
        assertThat(on.body()).isEqualTo("{\"access_token\":\"" + KEY + "\",\"expires_in\":null}");
        assertThat(LOGS.list).anyMatch(e -> e.getFormattedMessage().contains("allowApiKeyFallback is on"));
        assertThat(logsMention(KEY)).as("even the fallback never logs the key").isFalse();
    }

    @Test
    void rateLimiterWindowSlides() {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_000_000);
        java.time.Clock clock = new java.time.Clock() {
            @Override public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
            @Override public java.time.Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public java.time.Instant instant() { return java.time.Instant.ofEpochMilli(now.get()); }
        };
        MintRateLimiter limiter = new MintRateLimiter(2, clock);
        assertThat(limiter.tryAcquire()).isEmpty();
        now.addAndGet(10_000);
        assertThat(limiter.tryAcquire()).isEmpty();
        assertThat(limiter.tryAcquire().getAsLong()).isEqualTo(50);
        now.addAndGet(50_000);
        assertThat(limiter.tryAcquire()).isEmpty();
        assertThat(new MetricRegistry()).isNotNull();
    }

    static boolean logsMention(String text) {
        return LOGS.list.stream().anyMatch(e -> e.getFormattedMessage().contains(text)
                || (e.getThrowableProxy() != null && String.valueOf(e.getThrowableProxy().getMessage()).contains(text)));
    }
}
