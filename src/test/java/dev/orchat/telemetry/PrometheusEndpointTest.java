package dev.orchat.telemetry;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.PrometheusText;
import dev.orchat.testing.PrometheusText.Family;
import dev.orchat.testing.Scripts;
import dev.orchat.testing.SseClient;
import dev.orchat.testing.TestApp;
import dev.orchat.testing.ToolCallSpec;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admin port's {@code /prometheus} (docs/operations.md, "Prometheus"): strictly valid text format, Dropwizard
 * and JVM metrics under conventional names, and the GenAI series moving with a turn that has a tool round.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class PrometheusEndpointTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, TestApp.tempDir());
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String MODEL = "openai/gpt-4o-mini";
    static final Map<String, String> CHAT = Map.of("gen_ai_operation_name", "chat", "gen_ai_provider_name", "openrouter",
            "gen_ai_response_model", MODEL);
    static final Map<String, String> CALCULATOR = Map.of("mcp_server", "local-calculator");

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    static HttpResponse<String> admin(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getAdminPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static Map<String, Family> scrape() throws Exception {
        HttpResponse<String> response = admin("/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/plain; version=0.0.4");
        return PrometheusText.parse(response.body());
    }

    static double sum(Map<String, Family> families, String name, Map<String, String> labels) {
        return PrometheusText.sum(families, name, labels);
    }

    static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> labels = new java.util.HashMap<>(base);
        labels.put(key, value);
        return labels;
    }

    @Test
    void aTurnWithAToolRoundMovesTheGenAiSeries() throws Exception {
        Map<String, Family> before = scrape();
        FAKE.enqueue(Scripts.toolCalls(
                        new ToolCallSpec("call_ok", "calculator_evaluate", "{\"operation\":\"multiply\",\"a\":6,\"b\":7}"),
                        new ToolCallSpec("call_bad", "calculator_evaluate", "{\"operation\":\"divide\",\"a\":1,\"b\":0}")),
                Scripts.text("The", " answer", " is", " 42."));
        try (SseClient.Stream stream = SseClient.post(APP.getLocalPort(),
                "{\"session_id\":\"prometheus-tools\",\"messages\":[{\"role\":\"user\",\"content\":\"compute\"}]}")) {
            assertThat(stream.readAll()).anyMatch(e -> e.data().equals("[DONE]"));
        }
        FAKE.enqueue(Scripts.httpError(400, "Bad model"));
        try (SseClient.Stream stream = SseClient.post(APP.getLocalPort(),
                "{\"session_id\":\"prometheus-refused\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")) {
            stream.readAll();
        }
        Map<String, Family> after = scrape();

        // Two model calls (the tool-call hop and the answer), each with input and output tokens and a cost.
        for (String type : new String[] {"input", "output"}) {
            Map<String, String> labels = with(CHAT, "gen_ai_token_type", type);
            assertThat(sum(after, "gen_ai_client_token_usage_count", labels) - sum(before, "gen_ai_client_token_usage_count", labels))
                    .as(type + " token observations").isEqualTo(2);
        }
        assertThat(sum(after, "gen_ai_client_token_usage_sum", with(CHAT, "gen_ai_token_type", "input"))
                - sum(before, "gen_ai_client_token_usage_sum", with(CHAT, "gen_ai_token_type", "input"))).isEqualTo(20);
        Map<String, String> ok = with(CHAT, "error_type", "");
        assertThat(sum(after, "gen_ai_client_operation_duration_seconds_count", ok)
                - sum(before, "gen_ai_client_operation_duration_seconds_count", ok)).isEqualTo(2);
        assertThat(sum(after, "gen_ai_client_operation_time_to_first_chunk_seconds_count", CHAT)
                - sum(before, "gen_ai_client_operation_time_to_first_chunk_seconds_count", CHAT)).isEqualTo(2);
        assertThat(sum(after, "gen_ai_client_operation_time_per_output_chunk_seconds_count", CHAT)
                - sum(before, "gen_ai_client_operation_time_per_output_chunk_seconds_count", CHAT))
                .as("one observation per output chunk after the first").isGreaterThanOrEqualTo(3);
        Map<String, String> model = Map.of("gen_ai_response_model", MODEL);
        assertThat(sum(after, "orchat_gen_ai_cost_usd_total", model) - sum(before, "orchat_gen_ai_cost_usd_total", model))
                .isCloseTo(0.00024, org.assertj.core.data.Offset.offset(1e-9));

        // Two tool calls on the calculator, one of them an error result.
        assertThat(sum(after, "gen_ai_execute_tool_duration_seconds_count", CALCULATOR)
                - sum(before, "gen_ai_execute_tool_duration_seconds_count", CALCULATOR)).isEqualTo(2);
        assertThat(sum(after, "orchat_tool_call_errors_total", CALCULATOR)
                - sum(before, "orchat_tool_call_errors_total", CALCULATOR)).isEqualTo(1);
        assertThat(PrometheusText.samples(after, "orchat_tool_call_errors_total"))
                .allSatisfy(s -> assertThat(s.labels()).containsKeys("mcp_server", "gen_ai_tool_name"));
        assertThat(PrometheusText.samples(after, "gen_ai_execute_tool_duration_seconds_count"))
                .anySatisfy(s -> assertThat(s.labels()).containsEntry("mcp_server", "local-calculator")
                        .containsEntry("error_type", "tool_error"));

        // The refused call counts under its status.
        Map<String, String> refused = Map.of("status", "400");
        assertThat(sum(after, "orchat_upstream_errors_total", refused) - sum(before, "orchat_upstream_errors_total", refused))
                .isEqualTo(1);

        // Dropwizard metrics through the bridge, under Prometheus names, and per-server MCP metrics as a label.
        assertThat(sum(after, "chat_turns_started_total", Map.of()) - sum(before, "chat_turns_started_total", Map.of()))
                .isEqualTo(2);
        assertThat(sum(after, "chat_ttft_seconds_count", Map.of())).isPositive();
        assertThat(sum(after, "mcp_server_calls_seconds_count", Map.of("server", "local-calculator"))).isGreaterThanOrEqualTo(2);
        assertThat(sum(after, "mcp_server_errors_total", Map.of("server", "local-calculator"))).isGreaterThanOrEqualTo(1);

        // Every series the Grafana dashboard (docs/grafana/orchat.json) queries exists after such a run.
        java.util.Set<String> sampleNames = new java.util.HashSet<>();
        java.util.Set<String> labelNames = new java.util.HashSet<>();
        after.values().forEach(f -> f.samples().forEach(smp -> {
            sampleNames.add(smp.name());
            labelNames.addAll(smp.labels().keySet());
        }));
        com.fasterxml.jackson.databind.JsonNode dashboard = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(java.nio.file.Path.of("docs/grafana/orchat.json").toFile());
        java.util.regex.Pattern series = java.util.regex.Pattern.compile(
                "\\b(?:chat|gen_ai|orchat|mcp|jvm|io_dropwizard|process)_[A-Za-z0-9_]+");
        int checked = 0;
        for (com.fasterxml.jackson.databind.JsonNode panel : dashboard.get("panels")) {
            for (com.fasterxml.jackson.databind.JsonNode target : panel.get("targets")) {
                java.util.regex.Matcher m = series.matcher(target.get("expr").asText());
                while (m.find()) {
                    if (labelNames.contains(m.group())) {
                        continue;
                    }
                    assertThat(sampleNames).as(panel.get("title").asText()).contains(m.group());
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(10);
    }

    @Test
    void namesFollowPrometheusConventionsAndJvmMetricsArePresent() throws Exception {
        Map<String, Family> families = scrape();
        assertThat(families.values()).filteredOn(f -> f.type().equals("counter"))
                .allSatisfy(f -> assertThat(f.name()).endsWith("_total"));
        assertThat(families.values()).filteredOn(f -> f.name().startsWith("chat_") && f.type().equals("summary")
                && !f.name().equals("chat_hops")).allSatisfy(f -> assertThat(f.name()).endsWith("_seconds"));
        assertThat(families).containsKeys("jvm_memory_used_bytes", "jvm_threads_current", "jvm_gc_collection_seconds",
                "chat_streams_active", "chat_turn_duration_seconds", "chat_upstream_requests_seconds");
        assertThat(sum(families, "jvm_memory_used_bytes", Map.of("area", "heap"))).isPositive();
        assertThat(families.keySet()).as("Dropwizard's jvm.* gauges are replaced by the client's").noneMatch(
                n -> n.startsWith("jvm_memory_heap") || n.startsWith("jvm_attribute"));
        assertThat(admin("/metrics").statusCode()).as("Dropwizard's JSON metrics stay").isEqualTo(200);
    }

    @Test
    void theParserRejectsWhatPrometheusRejects() {
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a_total counter\na_total 1\n# TYPE a_total gauge\n")).hasMessageContaining("second TYPE");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a gauge\nb 1\n")).hasMessageContaining("outside");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a gauge\na{x=\"1\\t\"} 1\n")).hasMessageContaining("escape");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a gauge\na one\n")).hasMessageContaining("bad value");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a gauge\na 1\na 2\n")).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\n"
                + "h_count 1\nh_sum 1\n")).hasMessageContaining("cumulative");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a gauge\na 1")).hasMessageContaining("line feed");
        assertThat(PrometheusText.parse("# HELP a x\n# TYPE a gauge\na{b=\"q\\\"\\\\\\n\"} +Inf 123\n")).containsKey("a");
    }
}
