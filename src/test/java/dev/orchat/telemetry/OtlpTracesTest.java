package dev.orchat.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.McpTestServers;
import dev.orchat.testing.OtlpReceiver;
import dev.orchat.testing.OtlpReceiver.ReceivedSpan;
import dev.orchat.testing.Scripts;
import dev.orchat.testing.SseClient;
import dev.orchat.testing.TestApp;
import dev.orchat.testing.ToolCallSpec;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OTLP traces (docs/operations.md, "Traces"): with {@code telemetry.otlpEndpoint} set, a real turn with a tool round
 * arrives at a real OTLP/HTTP receiver as one trace — the turn's root span, a child span per model call and per tool
 * call, with the GenAI attribute names — and the MCP server that ran a tool received the call's trace context in
 * {@code _meta}.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class OtlpTracesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String MODEL = "openai/gpt-4o-mini";
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final OtlpReceiver RECEIVER = OtlpReceiver.start();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, withMetaServer(TestApp.tempDir()),
            TestApp.set("telemetry.otlpEndpoint", RECEIVER.baseUrl().toString()),
            TestApp.set("telemetry.exportInterval", "100ms"));
    static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The calculator built-in and our stdio server that echoes the {@code _meta} of its calls. */
    static Path withMetaServer(Path dir) {
        try {
            Files.writeString(dir.resolve("mcp_servers.json"), "{\"servers\":["
                    + "{\"id\":\"local-calculator\",\"transport\":\"builtin\",\"builtin\":\"calculator\"},"
                    // allow: an external tool without readOnlyHint would otherwise wait for approval (api.md §3.7)
                    + "{\"id\":\"metasrv\",\"transport\":\"stdio\",\"default_policy\":\"allow\",\"command\":["
                    + JSON.writeValueAsString(McpTestServers.node()) + ","
                    + JSON.writeValueAsString(McpTestServers.metaServer().toString()) + "]}]}");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dir;
    }

    @AfterAll
    static void stop() {
        FAKE.close();
        RECEIVER.close();
    }

    static void awaitConnected(int port, String id) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode servers = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/mcp/servers")).build(), HttpResponse.BodyHandlers.ofString()).body()).get("servers");
            for (JsonNode s : servers) {
                if (s.get("id").asText().equals(id) && s.get("state").asText().equals("connected")) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError(id + " did not connect");
    }

    /** Runs one turn whose first hop calls the calculator twice (one error) and {@code echo_meta}; the tool events. */
    static Map<String, JsonNode> toolTurn(int port, FakeOpenRouter fake, String session) throws Exception {
        awaitConnected(port, "metasrv");
        fake.enqueue(Scripts.toolCalls(
                        new ToolCallSpec("call_ok", "calculator_evaluate", "{\"operation\":\"multiply\",\"a\":6,\"b\":7}"),
                        new ToolCallSpec("call_bad", "calculator_evaluate", "{\"operation\":\"divide\",\"a\":1,\"b\":0}"),
                        new ToolCallSpec("call_meta", "echo_meta", "{}")),
                Scripts.text("The", " answer", " is", " 42."));
        List<SseClient.Received> events;
        try (SseClient.Stream stream = SseClient.post(port,
                "{\"session_id\":\"" + session + "\",\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"compute\"}]}")) {
            events = stream.readAll();
        }
        assertThat(events).anyMatch(e -> e.data().equals("[DONE]"));
        return events.stream().filter(e -> e.name().equals("tool")).map(SseClient.Received::json)
                .filter(t -> t.get("status").asText().equals("finished"))
                .collect(Collectors.toMap(t -> t.get("call_id").asText(), t -> t));
    }

    static List<ReceivedSpan> trace(List<ReceivedSpan> spans, String session) {
        String traceId = spans.stream().filter(s -> session.equals(s.attribute("gen_ai.conversation.id")))
                .map(ReceivedSpan::traceId).findFirst().orElse(null);
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    @Test
    void aTurnWithAToolRoundIsOneTraceWithHopAndToolSpansAndTheMcpServerSeesItsContext() throws Exception {
        String session = "otlp-tools-" + java.util.UUID.randomUUID(); // a rerun gets its own session and trace
        Map<String, JsonNode> tools = toolTurn(APP.getLocalPort(), FAKE, session);
        // Root + 2 hops + 3 tool calls.
        List<ReceivedSpan> spans = trace(RECEIVER.await(all -> trace(all, session).size() >= 6), session);
        assertThat(spans).hasSize(6);
        assertThat(RECEIVER.contentTypes()).allMatch(t -> t.startsWith("application/x-protobuf"));

        List<ReceivedSpan> roots = spans.stream().filter(ReceivedSpan::isRoot).toList();
        assertThat(roots).hasSize(1);
        ReceivedSpan root = roots.get(0);
        assertThat(root.name()).isEqualTo("invoke_agent orchat");
        assertThat(root.kind()).isEqualTo(SpanKind.SPAN_KIND_INTERNAL);
        assertThat(root.attributes()).containsEntry("gen_ai.operation.name", "invoke_agent")
                .containsEntry("gen_ai.provider.name", "openrouter")
                .containsEntry("gen_ai.agent.name", "orchat")
                .containsEntry("gen_ai.request.model", MODEL)
                .containsEntry("gen_ai.conversation.id", session)
                .containsEntry("orchat.turn.status", "complete")
                .containsEntry("orchat.turn.hops", 2L)
                .containsEntry("gen_ai.usage.input_tokens", 20L)
                .containsKeys("orchat.turn.id", "gen_ai.usage.output_tokens", "orchat.cost_usd");
        assertThat(root.status().getCode()).isEqualTo(StatusCode.STATUS_CODE_UNSET);
        assertThat(root.resource()).containsEntry("service.name", "orchat").containsKey("service.version");

        List<ReceivedSpan> hops = spans.stream().filter(s -> s.name().startsWith("chat ")).toList();
        assertThat(hops).hasSize(2).allSatisfy(hop -> {
            assertThat(hop.name()).isEqualTo("chat " + MODEL);
            assertThat(hop.parentSpanId()).isEqualTo(root.spanId());
            assertThat(hop.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
            assertThat(hop.attributes()).containsEntry("gen_ai.operation.name", "chat")
                    .containsEntry("gen_ai.provider.name", "openrouter")
                    .containsEntry("gen_ai.request.model", MODEL)
                    .containsEntry("gen_ai.response.model", MODEL)
                    .containsKeys("gen_ai.response.id", "gen_ai.usage.output_tokens", "orchat.cost_usd");
            assertThat((String) hop.attribute("gen_ai.response.id")).startsWith("gen-");
        });
        assertThat(hops).extracting(h -> h.attribute("orchat.hop")).containsExactlyInAnyOrder(1L, 2L);
        assertThat(hops).extracting(h -> h.attribute("gen_ai.response.finish_reasons"))
                .containsExactlyInAnyOrder(List.of("tool_calls"), List.of("stop"));
        assertThat(hops.stream().mapToLong(h -> (Long) h.attribute("gen_ai.usage.input_tokens")).sum())
                .isEqualTo((Long) root.attribute("gen_ai.usage.input_tokens"));

        List<ReceivedSpan> calls = spans.stream().filter(s -> s.name().startsWith("execute_tool ")).toList();
        assertThat(calls).hasSize(3).allSatisfy(call -> {
            assertThat(call.parentSpanId()).isEqualTo(root.spanId());
            assertThat(call.attributes()).containsEntry("gen_ai.operation.name", "execute_tool")
                    .containsEntry("gen_ai.tool.type", "function")
                    .containsEntry("mcp.method.name", "tools/call")
                    .containsEntry("gen_ai.tool.name", call.name().substring("execute_tool ".length()));
        });
        List<ReceivedSpan> calculator = calls.stream()
                .filter(c -> "local-calculator".equals(c.attribute("orchat.mcp.server"))).toList();
        assertThat(calculator).hasSize(2).extracting(c -> c.status().getCode())
                .containsExactlyInAnyOrder(StatusCode.STATUS_CODE_UNSET, StatusCode.STATUS_CODE_ERROR);
        assertThat(calculator).filteredOn(c -> c.status().getCode() == StatusCode.STATUS_CODE_ERROR)
                .singleElement().satisfies(c -> assertThat(c.attributes()).containsEntry("error.type", "tool_error"));
        ReceivedSpan echo = calls.stream().filter(c -> "metasrv".equals(c.attribute("orchat.mcp.server")))
                .findFirst().orElseThrow();
        assertThat(echo.name()).isEqualTo("execute_tool echo_meta");

        // The stdio server got the trace context of the call's own span: W3C traceparent, version 00, the sampled
        // flag set (the SDK may also set the "random trace id" flag, 02).
        JsonNode meta = JSON.readTree(tools.get("call_meta").get("result").asText());
        String[] traceparent = meta.path("traceparent").asText().split("-");
        assertThat(traceparent).hasSize(4);
        assertThat(traceparent[0]).isEqualTo("00");
        assertThat(traceparent[1]).isEqualTo(root.traceId());
        assertThat(traceparent[2]).isEqualTo(echo.spanId());
        assertThat(Integer.parseInt(traceparent[3], 16) & 1).as("sampled").isEqualTo(1);
    }

    @Test
    void aRefusedModelCallEndsTheTraceWithErrors() throws Exception {
        String session = "otlp-refused-" + java.util.UUID.randomUUID();
        FAKE.enqueue(Scripts.httpError(400, "Bad model"));
        try (SseClient.Stream stream = SseClient.post(APP.getLocalPort(),
                "{\"session_id\":\"" + session + "\",\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")) {
            stream.readAll();
        }
        List<ReceivedSpan> spans = trace(RECEIVER.await(all -> trace(all, session).size() >= 2), session);
        assertThat(spans).hasSize(2);
        ReceivedSpan root = spans.stream().filter(ReceivedSpan::isRoot).findFirst().orElseThrow();
        assertThat(root.attributes()).containsEntry("orchat.turn.status", "failed").containsEntry("error.type", "400");
        assertThat(root.status().getCode()).isEqualTo(StatusCode.STATUS_CODE_ERROR);
        ReceivedSpan hop = spans.stream().filter(s -> !s.isRoot()).findFirst().orElseThrow();
        assertThat(hop.parentSpanId()).isEqualTo(root.spanId());
        assertThat(hop.attributes()).containsEntry("error.type", "400");
        assertThat(hop.status().getCode()).isEqualTo(StatusCode.STATUS_CODE_ERROR);
    }

    @Test
    void theExporterIsAManagedObjectOfTheApplication() {
        assertThat(managed(APP)).anyMatch(OtlpTraces.class::isInstance);
    }

    static List<Object> managed(DropwizardAppExtension<OrchatConfiguration> app) {
        return app.getEnvironment().lifecycle().getManagedObjects().stream()
                .map(o -> o instanceof io.dropwizard.lifecycle.JettyManaged m ? (Object) m.getManaged() : o)
                .toList();
    }
}
