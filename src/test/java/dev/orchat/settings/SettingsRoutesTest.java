package dev.orchat.settings;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.ApiClient;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.SseClient;
import dev.orchat.testing.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** docs/api.md §2.18 routes and §4.5: stored settings reach the upstream payload. */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class SettingsRoutesTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, TestApp.tempDir(),
            TestApp.set("chat.defaultSystemPrompt", "Default prompt for tests."));

    @AfterAll
    static void stop() {
        FAKE.close();
    }

    static ApiClient api() {
        return new ApiClient(APP.getLocalPort());
    }

    @Test
    @Order(1)
    void beforeAnyPutTheDefaultsShow() {
        JsonNode model = api().get("/api/settings/model").json();
        assertThat(model.toString()).isEqualTo("{\"model\":\"openrouter/auto\",\"provider\":null,\"parameters\":null,\"updated_at\":null}");
        assertThat(api().get("/api/settings/system-prompt").json().get("system_prompt").asText()).isEqualTo("Default prompt for tests.");
    }

    @Test
    @Order(2)
    void putReplacesTheWholeObjectAndRoundTrips() {
        ApiClient.Reply put = api().put("/api/settings/model", """
                {"model": " anthropic/claude-lyric-2.1-pro ", "provider": {"order": ["Anthropic"], "allow_fallbacks": false,
                 "data_collection": "deny", "zdr": null, "max_price": {"prompt": "1.5", "completion": 2}},
                 "parameters": {"temperature": 0.3, "top_k": 40, "stop": ["END"], "reasoning": {"effort": "high"},
                 "seed": null}}""");
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        JsonNode body = put.json();
        assertThat(body.get("model").asText()).isEqualTo("anthropic/claude-lyric-2.1-pro");
        assertThat(body.get("provider").has("zdr")).as("null members are omitted").isFalse();
        assertThat(body.get("parameters").has("seed")).isFalse();
        assertThat(body.get("updated_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(api().get("/api/settings/model").json()).isEqualTo(body);

        JsonNode replaced = api().put("/api/settings/model", "{\"model\": \"openai/gpt-n-1.2-mini\"}").json();
        assertThat(replaced.get("provider").isNull()).isTrue();
        assertThat(replaced.get("parameters").isNull()).isTrue();
        assertThat(api().get("/health").json().get("active_model").asText()).isEqualTo("openai/gpt-n-1.2-mini");
    }

    @Test
    @Order(3)
    void unknownKeysAndRangeViolationsAreFieldErrors() {
        ApiClient.Reply reply = api().put("/api/settings/model", """
                {"model": "", "colour": "blue", "provider": {"sort": "fastest", "order": "x", "max_price": {"tokens": 1,
                 "prompt": "cheap"}, "vibes": 1}, "parameters": {"temperature": 2.5, "top_p": -0.1, "top_k": 1.5,
                 "max_tokens": 0, "frequency_penalty": -3, "logit_bias": {"50256": "x"}, "stop": [1], "banana": true,
                 "reasoning": {"effort": "extreme"}, "tool_choice": 3}}""");
        assertThat(reply.status()).isEqualTo(422);
        List<String> locs = new ArrayList<>();
        reply.json().get("detail").forEach(e -> {
            locs.add(e.get("loc").toString());
            assertThat(e.get("msg").asText()).isNotBlank();
            assertThat(e.get("type").asText()).isNotBlank();
        });
        assertThat(locs).containsExactlyInAnyOrder(
                "[\"body\",\"colour\"]", "[\"body\",\"model\"]", "[\"body\",\"provider\",\"vibes\"]",
                "[\"body\",\"provider\",\"sort\"]", "[\"body\",\"provider\",\"order\"]",
                "[\"body\",\"provider\",\"max_price\",\"tokens\"]", "[\"body\",\"provider\",\"max_price\",\"prompt\"]",
                "[\"body\",\"parameters\",\"banana\"]", "[\"body\",\"parameters\",\"temperature\"]",
                "[\"body\",\"parameters\",\"top_p\"]", "[\"body\",\"parameters\",\"top_k\"]",
                "[\"body\",\"parameters\",\"max_tokens\"]", "[\"body\",\"parameters\",\"frequency_penalty\"]",
                "[\"body\",\"parameters\",\"logit_bias\",\"50256\"]", "[\"body\",\"parameters\",\"stop\",0]",
                "[\"body\",\"parameters\",\"reasoning\",\"effort\"]", "[\"body\",\"parameters\",\"tool_choice\"]");
        assertThat(api().get("/api/settings/model").json().get("model").asText()).as("nothing stored").isEqualTo("openai/gpt-n-1.2-mini");
    }

    @Test
    @Order(4)
    void badBodiesAreClientErrors() {
        assertThat(api().put("/api/settings/model", "{}").json().get("detail").get(0).get("type").asText()).isEqualTo("missing");
        assertThat(api().put("/api/settings/model", "[1]").status()).isEqualTo(422);
        assertThat(api().put("/api/settings/model", "{\"model\":").status()).isEqualTo(400);
        assertThat(api().send("PUT", "/api/settings/model", "{\"model\":\"a/b\"}", "text/plain").status()).isEqualTo(415);
        assertThat(api().put("/api/settings/system-prompt", "{}").status()).isEqualTo(422);
        assertThat(api().put("/api/settings/system-prompt", "{\"system_prompt\": 5}").status()).isEqualTo(422);
        assertThat(api().put("/api/settings/system-prompt", "{\"system_prompt\": \"" + "x".repeat(100_001) + "\"}").status())
                .isEqualTo(422);
    }

    @Test
    @Order(5)
    void systemPromptIsTrimmedAndCanBeCleared() {
        assertThat(api().put("/api/settings/system-prompt", "{\"system_prompt\": \"  Be brief.  \"}").json().get("system_prompt").asText())
                .isEqualTo("Be brief.");
        assertThat(api().get("/api/settings/system-prompt").json().get("system_prompt").asText()).isEqualTo("Be brief.");
        assertThat(api().put("/api/settings/system-prompt", "{\"system_prompt\": \"   \"}").json().get("system_prompt").isNull()).isTrue();
        assertThat(api().get("/api/settings/system-prompt").json().get("system_prompt").isNull()).as("cleared, not default").isTrue();
    }

    @Test
    @Order(6)
    void settingsFeedTheNextTurnsPayload() throws Exception {
        api().put("/api/settings/model", """
                {"model": "openai/gpt-n-2.0-pro", "provider": {"order": ["OpenAI"], "allow_fallbacks": false},
                 "parameters": {"temperature": 0.25, "max_tokens": 99}}""");
        api().put("/api/settings/system-prompt", "{\"system_prompt\": \"Answer in French.\"}");
        try (SseClient.Stream s = SseClient.post(APP.getLocalPort(), "{\"session_id\":\"settings-1\",\"temperature\":0.9,"
                + "\"provider\":{\"allow_fallbacks\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")) {
            s.readAll();
        }
        JsonNode payload = FAKE.lastChatRequest().json();
        assertThat(payload.get("model").asText()).isEqualTo("openai/gpt-n-2.0-pro");
        assertThat(payload.get("temperature").asDouble()).as("the request wins").isEqualTo(0.9);
        assertThat(payload.get("max_tokens").asInt()).isEqualTo(99);
        assertThat(payload.get("provider").get("order").toString()).isEqualTo("[\"OpenAI\"]");
        assertThat(payload.get("provider").get("allow_fallbacks").asBoolean()).isTrue();
        assertThat(payload.get("messages").get(0).get("role").asText()).isEqualTo("system");
        assertThat(payload.get("messages").get(0).get("content").asText()).contains("Answer in French.");
    }

    @Test
    @Order(7)
    void activeProviderExplainsRouting() {
        api().put("/api/settings/model", "{\"model\": \"openai/gpt-n-2.0-pro\"}");
        JsonNode plain = api().get("/api/settings/model/active-provider").json();
        assertThat(plain.get("provider").asText()).isEqualTo("OpenRouter default routing");
        assertThat(plain.get("provider_type").asText()).isEqualTo("default");
        assertThat(plain.get("total_providers").asInt()).isEqualTo(3);
        assertThat(plain.get("has_model_endpoints").asBoolean()).isFalse(); // the fake has no endpoints for it: 404

        FAKE.setEndpoints("openai/gpt-n-2.0-pro", """
                {"data": {"id": "openai/gpt-n-2.0-pro", "name": "GPT N 2.0 Pro", "endpoints": [
                 {"name": "Alpha | openai/gpt-n-2.0-pro", "provider_name": "Alpha", "tag": "alpha", "region": "eu-west",
                  "pricing": {"prompt": "0.000001", "completion": "0.000004", "request": "0", "image": "0"},
                  "throughput_tokens_per_second": 80.4, "latency_ms": 420},
                 {"name": "Beta | openai/gpt-n-2.0-pro", "provider_name": "Beta", "tag": "beta",
                  "pricing": {"prompt": "0.000002", "completion": "0.0000025"}, "throughput_tokens_per_second": 150,
                  "latency_ms": 900, "zdr": true},
                 {"name": "Gamma | openai/gpt-n-2.0-pro", "provider_name": "Gamma", "tag": "gamma",
                  "pricing": {"prompt": "0.000003"}, "latency_ms": 200}]}}""");
        api().put("/api/settings/model", "{\"model\": \"openai/gpt-n-2.0-pro\", \"provider\": {\"sort\": \"price\"}}");
        JsonNode price = api().get("/api/settings/model/active-provider").json();
        assertThat(price.get("provider_type").asText()).isEqualTo("dynamic_sort");
        assertThat(price.get("provider_slug").asText()).isEqualTo("beta");
        assertThat(price.get("selected_endpoint").get("summary").asText()).isEqualTo("Beta · $2.50/m completion · 150 tok/s · 900 ms latency");
        assertThat(price.get("routing_strategy").asText()).isEqualTo("dynamic");
        assertThat(price.get("has_model_endpoints").asBoolean()).isTrue();
        assertThat(price.get("available_providers").asInt()).isEqualTo(3);

        api().put("/api/settings/model", "{\"model\": \"openai/gpt-n-2.0-pro\", \"provider\": {\"sort\": \"latency\", \"ignore\": [\"gamma\"]}}");
        JsonNode latency = api().get("/api/settings/model/active-provider").json();
        assertThat(latency.get("provider_slug").asText()).isEqualTo("alpha");
        assertThat(latency.get("selected_endpoint").get("summary").asText())
                .isEqualTo("Alpha · eu-west · $4.00/m completion · 80 tok/s · 420 ms latency");
        assertThat(latency.get("filters_applied").toString()).isEqualTo("[\"ignore: gamma\"]");

        api().put("/api/settings/model", "{\"model\": \"openai/gpt-n-2.0-pro\", \"provider\": {\"order\": [\"Zeta\", \"Gamma\"], \"data_collection\": \"deny\"}}");
        JsonNode order = api().get("/api/settings/model/active-provider").json();
        assertThat(order.get("provider_type").asText()).isEqualTo("explicit_order");
        assertThat(order.get("provider").asText()).as("no ZDR candidate in order: the first name").isEqualTo("Zeta");
        assertThat(order.get("available_providers").asInt()).isEqualTo(1);

        FAKE.setProviders(500, "{}");
        api().put("/api/settings/model", "{\"model\": \"openrouter/auto\", \"provider\": {\"sort\": \"throughput\"}}");
        JsonNode degraded = api().get("/api/settings/model/active-provider").json();
        assertThat(degraded.get("total_providers").asInt()).isZero();
        assertThat(degraded.get("has_model_endpoints").asBoolean()).isFalse();
        assertThat(degraded.has("selected_endpoint")).isFalse();
    }
}
