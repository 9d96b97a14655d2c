package dev.orchat.chat;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.ApiClient;
import dev.orchat.testing.Db;
import dev.orchat.testing.FakeCompletions;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.RecordedRequest;
import dev.orchat.testing.Scripts;
import dev.orchat.testing.SseClient;
import dev.orchat.testing.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code chat.titles.mode: model} (docs/configuration.md, chat.titles): a model's title after the first turn, asynchronously. */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class ModelTitlesTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, DIR,
            TestApp.set("chat.titles.mode", "model"),
            TestApp.set("chat.titles.model", "acme/titler"));
    static final Db DB = new Db(DIR.resolve("chat.db"));
    static final ObjectMapper JSON = new ObjectMapper();
    /** The cost of each turn's single hop in {@link Scripts#text}. */
    static final double TURN_COST = 0.00012;

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    @BeforeEach
    void resetFake() {
        FAKE.reset();
    }

    @Test
    void firstTurnGetsTheModelTitleAndItsCost() throws Exception {
        FAKE.completions().setJson(FakeCompletions.answer("  \"Lisbon   trip\n planning\"  ", 0.00005));
        String question = "Q" + "u".repeat(2_500);
        String answer = "A" + "v".repeat(2_500);
        FAKE.enqueue(Scripts.text(answer));
        String sessionId = turn(null, question);

        await(() -> "model".equals(session(sessionId).get("title_source")));
        Map<String, Object> row = session(sessionId);
        assertThat(row.get("title")).isEqualTo("Lisbon trip planning");
        await(() -> ((Number) session(sessionId).get("total_cost")).doubleValue() > TURN_COST);
        assertThat(((Number) session(sessionId).get("total_cost")).doubleValue()).isCloseTo(TURN_COST + 0.00005, within(1e-12));

        RecordedRequest sent = titleRequests().get(0);
        JsonNode body = sent.json();
        assertThat(body.get("model").asText()).isEqualTo("acme/titler");
        assertThat(body.get("stream").asBoolean(true)).isFalse();
        assertThat(body.get("max_tokens").asInt()).isEqualTo(32);
        assertThat(body.has("tools")).isFalse();
        assertThat(body.get("usage").get("include").asBoolean()).isTrue();
        assertThat(sent.header("authorization")).isEqualTo("Bearer test-key");
        String prompt = body.get("messages").toString();
        assertThat(prompt).contains("Q" + "u".repeat(1_999)).doesNotContain("u".repeat(2_000))
                .contains("A" + "v".repeat(1_999)).doesNotContain("v".repeat(2_000));
        assertThat(FAKE.completions().requestCount()).isEqualTo(1);
    }

    @Test
    void aRenameBeforeTheTitleArrivesWins() throws Exception {
        FAKE.completions().setJson(FakeCompletions.answer("Model title", 0.00003));
        FAKE.completions().setDelay(Duration.ofMillis(500));
        String sessionId = turn(null, "Where should I travel?");
        await(() -> FAKE.completions().requestCount() == 1);
        ApiClient.Reply renamed = new ApiClient(APP.getLocalPort())
                .send("PATCH", "/api/chat/session/" + sessionId, "{\"title\":\"Mine\"}", "application/json");
        assertThat(renamed.status()).isEqualTo(200);

        // The cost is stored even when the title is not used, so it marks the end of the title work.
        await(() -> ((Number) session(sessionId).get("total_cost")).doubleValue() > TURN_COST);
        assertThat(session(sessionId)).containsEntry("title", "Mine").containsEntry("title_source", "user");
    }

    @Test
    void anUpstreamFailureKeepsTheTruncateTitle() throws Exception {
        FAKE.completions().setStatus(500);
        String sessionId = turn(null, "Why is the sky blue?");
        await(() -> FAKE.completions().requestCount() == 1);
        Thread.sleep(500); // let the failed answer be handled; nothing may change
        assertThat(session(sessionId)).containsEntry("title", "Why is the sky blue?")
                .containsEntry("title_source", "auto");
        assertThat(((Number) session(sessionId).get("total_cost")).doubleValue()).isCloseTo(TURN_COST, within(1e-12));
    }

    @Test
    void aBlankAnswerKeepsTheTruncateTitle() throws Exception {
        FAKE.completions().setJson(FakeCompletions.answer(" \"\" ", 0.0));
        String sessionId = turn(null, "Blank please");
        await(() -> FAKE.completions().requestCount() == 1);
        Thread.sleep(500);
        assertThat(session(sessionId)).containsEntry("title", "Blank please").containsEntry("title_source", "auto");
    }

    @Test
    void onlyTheFirstTurnAsksForATitle() throws Exception {
        FAKE.completions().setJson(FakeCompletions.answer("First title", 0.0));
        String sessionId = turn(null, "One");
        await(() -> "model".equals(session(sessionId).get("title_source")));
        turn(sessionId, "Two");
        turn(sessionId, "Three");
        Thread.sleep(500); // a wrongly triggered request would arrive well within this
        assertThat(FAKE.completions().requestCount()).isEqualTo(1);
        assertThat(session(sessionId)).containsEntry("title", "First title");
    }

    /** Runs one turn to its {@code [DONE]}; returns the session id. */
    static String turn(String sessionId, String text) throws Exception {
        String body = JSON.createObjectNode()
                .put("session_id", sessionId)
                .set("messages", JSON.createArrayNode().add(JSON.createObjectNode().put("role", "user").put("content", text)))
                .toString();
        if (sessionId == null) {
            body = body.replace("\"session_id\":null,", "");
        }
        try (SseClient.Stream stream = SseClient.post(APP.getLocalPort(), body)) {
            assertThat(stream.status()).isEqualTo(200);
            String id = stream.nextNamed("session").json().get("session_id").asText();
            var rest = stream.readAll();
            assertThat(rest.get(rest.size() - 1).data()).isEqualTo("[DONE]");
            return id;
        }
    }

    static java.util.List<RecordedRequest> titleRequests() {
        return FAKE.requests().stream()
                .filter(r -> r.path().endsWith("/chat/completions") && r.json().path("stream").isBoolean()
                        && !r.json().get("stream").asBoolean())
                .toList();
    }

    static Map<String, Object> session(String id) {
        return DB.query("SELECT title, title_source, total_cost FROM sessions WHERE id = ?", id).get(0);
    }

    /** Polls with a generous deadline; failing only when the condition never holds. */
    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("condition not met in time").isNegative();
            Thread.sleep(20);
        }
    }
}
