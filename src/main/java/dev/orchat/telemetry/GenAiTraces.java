package dev.orchat.telemetry;

import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The spans of docs/operations.md, "Traces", named after the OpenTelemetry GenAI semantic conventions: a turn is one
 * trace whose root span is {@code invoke_agent orchat}; each model call is a child {@code chat <model>} span and each
 * tool call a child {@code execute_tool <tool>} span.
 *
 * <p>The turn's span is found by turn id, not through a thread-local context: hops run on the turn's thread but tool
 * calls run on pool threads, and looking the parent up by the id the tool call already carries keeps the chat
 * package free of tracing code. Only the tool call makes its span current (on its own thread, for its duration), so
 * that the MCP request built there can carry it in {@code _meta} ({@link McpTraceContext}).
 */
final class GenAiTraces {
    static final String AGENT = "orchat";
    static final AttributeKey<String> OPERATION = stringKey("gen_ai.operation.name");
    static final AttributeKey<String> PROVIDER = stringKey("gen_ai.provider.name");
    static final AttributeKey<String> AGENT_NAME = stringKey("gen_ai.agent.name");
    static final AttributeKey<String> CONVERSATION = stringKey("gen_ai.conversation.id");
    static final AttributeKey<String> REQUEST_MODEL = stringKey("gen_ai.request.model");
    static final AttributeKey<String> RESPONSE_MODEL = stringKey("gen_ai.response.model");
    static final AttributeKey<String> RESPONSE_ID = stringKey("gen_ai.response.id");
    static final AttributeKey<List<String>> FINISH_REASONS = stringArrayKey("gen_ai.response.finish_reasons");
    static final AttributeKey<Long> INPUT_TOKENS = longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<String> TOOL_NAME = stringKey("gen_ai.tool.name");
    static final AttributeKey<String> TOOL_TYPE = stringKey("gen_ai.tool.type");
    static final AttributeKey<String> MCP_METHOD = stringKey("mcp.method.name");
    static final AttributeKey<String> ERROR_TYPE = stringKey("error.type");
    static final AttributeKey<String> TURN_ID = stringKey("orchat.turn.id");
    static final AttributeKey<String> TURN_STATUS = stringKey("orchat.turn.status");
    static final AttributeKey<Long> TURN_HOPS = longKey("orchat.turn.hops");
    static final AttributeKey<Long> HOP = longKey("orchat.hop");
    static final AttributeKey<Double> COST = doubleKey("orchat.cost_usd");
    static final AttributeKey<String> MCP_SERVER = stringKey("orchat.mcp.server");

    private final Tracer tracer;
    /** Open turn spans by turn id; a turn's entry lives from its start to its end. */
    private final Map<String, Span> turns = new ConcurrentHashMap<>();

    GenAiTraces(Tracer tracer) {
        this.tracer = tracer;
    }

    void turnStarted(String sessionId, String turnId, String model) {
        Span span = tracer.spanBuilder("invoke_agent " + AGENT).setNoParent().setSpanKind(SpanKind.INTERNAL)
                .setAttribute(OPERATION, "invoke_agent")
                .setAttribute(PROVIDER, GenAiMetrics.PROVIDER)
                .setAttribute(AGENT_NAME, AGENT)
                .setAttribute(REQUEST_MODEL, GenAiMetrics.label(model))
                .setAttribute(CONVERSATION, sessionId)
                .setAttribute(TURN_ID, turnId)
                .startSpan();
        Span previous = turns.put(turnId, span);
        if (previous != null) {
            previous.end(); // never expected: turn ids are unique
        }
    }

    void turnEnded(String turnId, GenAiMetrics.TurnEnd end) {
        Span span = turns.remove(turnId);
        if (span == null) {
            return;
        }
        span.setAttribute(TURN_STATUS, end.status());
        span.setAttribute(TURN_HOPS, end.hops());
        span.setAttribute(INPUT_TOKENS, end.inputTokens());
        span.setAttribute(OUTPUT_TOKENS, end.outputTokens());
        if (end.cost() != null) {
            span.setAttribute(COST, end.cost());
        }
        if ("failed".equals(end.status())) {
            String type = end.errorStatus() > 0 ? Integer.toString(end.errorStatus()) : "failed";
            span.setAttribute(ERROR_TYPE, type);
            span.setStatus(StatusCode.ERROR, "turn failed: " + type);
        }
        span.end();
    }

    /** A model call's span, or null when its turn has no span (not traced, or not a turn). */
    Span hopStarted(String turnId, int hop, String model) {
        Span parent = turnId == null ? null : turns.get(turnId);
        if (parent == null) {
            return null;
        }
        String m = GenAiMetrics.label(model);
        return tracer.spanBuilder("chat " + m).setParent(Context.root().with(parent)).setSpanKind(SpanKind.CLIENT)
                .setAttribute(OPERATION, "chat")
                .setAttribute(PROVIDER, GenAiMetrics.PROVIDER)
                .setAttribute(REQUEST_MODEL, m)
                .setAttribute(HOP, hop)
                .startSpan();
    }

    /** A tool call's span, or null when its turn has no span. */
    Span toolStarted(String turnId, String server, String tool) {
        Span parent = turnId == null ? null : turns.get(turnId);
        if (parent == null) {
            return null;
        }
        return tracer.spanBuilder("execute_tool " + tool).setParent(Context.root().with(parent))
                .setSpanKind(SpanKind.INTERNAL)
                .setAttribute(OPERATION, "execute_tool")
                .setAttribute(TOOL_NAME, tool)
                .setAttribute(TOOL_TYPE, "function")
                .setAttribute(MCP_SERVER, server)
                .setAttribute(MCP_METHOD, "tools/call")
                .startSpan();
    }

    /** At shutdown: turns still open end as interrupted, so their traces are not lost. */
    void endOpenTurns() {
        for (String turnId : List.copyOf(turns.keySet())) {
            Span span = turns.remove(turnId);
            if (span != null) {
                span.setAttribute(TURN_STATUS, "interrupted");
                span.end();
            }
        }
    }
}
