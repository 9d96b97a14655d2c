package dev.orchat.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;

/**
 * One tool call as telemetry sees it (docs/operations.md, "GenAI metrics" and "Traces"): started and finished on the
 * thread that runs the call. With traces on, its {@code execute_tool} span is current in between, so an MCP request
 * built on that thread carries the trace context ({@link McpTraceContext}).
 */
public final class GenAiToolCall {
    private final GenAiMetrics metrics;
    private final String server;
    private final String tool;
    private final long started = System.nanoTime();
    /** Null when traces are off. */
    private final Span span;
    private final Scope scope;
    private String failure;

    GenAiToolCall(GenAiMetrics metrics, String server, String tool, Span span) {
        this.metrics = metrics;
        this.server = server;
        this.tool = tool;
        this.span = span;
        this.scope = span == null ? null : span.makeCurrent();
    }

    /** The server failed (an exception rather than an error result); recorded as the span's error type. */
    public void failed(Throwable e) {
        failure = e.getClass().getName();
    }

    /** The call ended; {@code error} is true for an error result as well as a failure. Call once. */
    public void finished(boolean error) {
        metrics.toolCallFinished(server, tool, System.nanoTime() - started, error);
        if (span != null) {
            scope.close();
            if (error) {
                String type = failure == null ? "tool_error" : failure;
                span.setAttribute(GenAiTraces.ERROR_TYPE, type);
                span.setStatus(StatusCode.ERROR, type);
            }
            span.end();
        }
    }
}
