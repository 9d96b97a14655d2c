package dev.orchat.telemetry;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Model and tool telemetry after the OpenTelemetry GenAI semantic conventions, as labelled Prometheus metrics
 * (docs/operations.md, "GenAI metrics"). Dropwizard metrics carry no labels, so these live in the Prometheus registry
 * of the admin port's {@code /prometheus}.
 *
 * <p>One instance per application, found through the application's {@link MetricRegistry} ({@link #of}): the chat
 * and MCP features already hold that registry, so reaching these instruments costs them one line each instead of a
 * new constructor parameter threaded through their wiring.
 */
public final class GenAiMetrics {
    static final String PROVIDER = "openrouter";
    private static final Map<MetricRegistry, GenAiMetrics> BY_REGISTRY = new WeakHashMap<>();
    private static final double[] SECONDS = {0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48,
            40.96, 81.92};
    private static final double[] CHUNK_SECONDS = {0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25,
            0.5, 0.75, 1.0, 2.5};
    private static final double[] TOKENS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576};

    final Histogram tokenUsage = Histogram.builder().name("gen_ai_client_token_usage")
            .help("Tokens per model call as reported by the upstream (gen_ai.client.token.usage); "
                    + "gen_ai_token_type is input, output or reasoning (reasoning is part of output)")
            .labelNames("gen_ai_operation_name", "gen_ai_provider_name", "gen_ai_response_model", "gen_ai_token_type")
            .classicOnly().classicUpperBounds(TOKENS).build();
    final Histogram operationDuration = Histogram.builder().name("gen_ai_client_operation_duration_seconds")
            .help("Model call from request sent to end of stream (gen_ai.client.operation.duration); "
                    + "error_type is empty on success, else the HTTP status or 'cancelled'")
            .labelNames("gen_ai_operation_name", "gen_ai_provider_name", "gen_ai_response_model", "error_type")
            .classicOnly().classicUpperBounds(SECONDS).build();
    final Histogram timeToFirstChunk = Histogram.builder().name("gen_ai_client_operation_time_to_first_chunk_seconds")
            .help("Request sent to first output chunk (gen_ai.client.operation.time_to_first_chunk)")
            .labelNames("gen_ai_operation_name", "gen_ai_provider_name", "gen_ai_response_model")
            .classicOnly().classicUpperBounds(SECONDS).build();
    final Histogram timePerOutputChunk = Histogram.builder().name("gen_ai_client_operation_time_per_output_chunk_seconds")
            .help("Time between consecutive output chunks after the first (gen_ai.client.operation.time_per_output_chunk)")
            .labelNames("gen_ai_operation_name", "gen_ai_provider_name", "gen_ai_response_model")
            .classicOnly().classicUpperBounds(CHUNK_SECONDS).build();
    final Counter cost = Counter.builder().name("orchat_gen_ai_cost_usd")
            .help("Cost reported by the upstream per model call, in USD (OpenRouter credits)")
            .labelNames("gen_ai_provider_name", "gen_ai_response_model").build();
    final Counter upstreamErrors = Counter.builder().name("orchat_upstream_errors")
            .help("Failed model calls by HTTP status (refused before the stream, or failed in it)")
            .labelNames("gen_ai_provider_name", "status").build();
    final Histogram toolDuration = Histogram.builder().name("gen_ai_execute_tool_duration_seconds")
            .help("Tool call from dispatch to result, by MCP server and tool (gen_ai.execute_tool.duration)")
            .labelNames("mcp_server", "gen_ai_tool_name", "error_type")
            .classicOnly().classicUpperBounds(SECONDS).build();
    final Counter toolErrors = Counter.builder().name("orchat_tool_call_errors")
            .help("Tool calls that ended in an error result or a failure, by MCP server and tool")
            .labelNames("mcp_server", "gen_ai_tool_name").build();

    /** Null unless {@code telemetry.otlpEndpoint} is set and {@link OtlpTraces} runs; read once per turn, hop, call. */
    private volatile GenAiTraces traces;

    GenAiMetrics() {
    }

    /** How a turn ended, for its span: {@code status} is complete, cancelled or failed (then {@code errorStatus}). */
    public record TurnEnd(String status, int hops, int errorStatus, long inputTokens, long outputTokens,
                          Double cost) {
    }

    /** The instruments of the application that owns {@code registry}, created on first use. */
    public static GenAiMetrics of(MetricRegistry registry) {
        synchronized (BY_REGISTRY) {
            return BY_REGISTRY.computeIfAbsent(registry, r -> new GenAiMetrics());
        }
    }

    void register(PrometheusRegistry registry) {
        registry.register(tokenUsage);
        registry.register(operationDuration);
        registry.register(timeToFirstChunk);
        registry.register(timePerOutputChunk);
        registry.register(cost);
        registry.register(upstreamErrors);
        registry.register(toolDuration);
        registry.register(toolErrors);
    }

    void useTraces(GenAiTraces traces) {
        this.traces = traces;
    }

    /** A turn started: with traces on, its root span opens (docs/operations.md, "Traces"). */
    public void turnStarted(String sessionId, String turnId, String model) {
        GenAiTraces t = traces;
        if (t != null) {
            t.turnStarted(sessionId, turnId, model);
        }
    }

    /** The turn ended, after its last hop and tool call: with traces on, its root span closes. */
    public void turnEnded(String turnId, TurnEnd end) {
        GenAiTraces t = traces;
        if (t != null) {
            t.turnEnded(turnId, end);
        }
    }

    /**
     * Starts timing one model call ("chat" operation) of a turn, hop number {@code hop}, asking for {@code model};
     * the caller reports its chunks and its end.
     */
    public GenAiHop hopStarted(String turnId, int hop, String model) {
        GenAiTraces t = traces;
        return new GenAiHop(this, System.nanoTime(), t == null ? null : t.hopStarted(turnId, hop, model));
    }

    /**
     * Starts one tool call of a turn on {@code server} ({@code tool} is the server's own name); the caller reports
     * its end on the same thread. With traces on, the call's span is current until then.
     */
    public GenAiToolCall toolCallStarted(String turnId, String server, String tool) {
        GenAiTraces t = traces;
        return new GenAiToolCall(this, server, tool, t == null ? null : t.toolStarted(turnId, server, tool));
    }

    /** One finished tool call; {@code error} is true for an error result as well as a failure. */
    void toolCallFinished(String server, String tool, long nanos, boolean error) {
        String s = label(server);
        String t = label(tool);
        toolDuration.labelValues(s, t, error ? "tool_error" : "").observe(nanos / 1e9);
        if (error) {
            toolErrors.labelValues(s, t).inc();
        }
    }

    static String label(String value) {
        return value == null || value.isBlank() ? "unknown" : value;
    }
}
