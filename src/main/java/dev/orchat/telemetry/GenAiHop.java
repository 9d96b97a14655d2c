package dev.orchat.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.util.List;

/**
 * The telemetry of one model call (one hop of a turn), fed by the relay: {@link #chunk} for each relayed chunk, then
 * exactly one of {@link #refused} or {@link #finished}. Used by one thread. The per-chunk work is a clock read and an
 * array store, no lock (docs/performance.md); the gaps are observed at the end, when the model label is known.
 * When traces are on, the hop's {@code chat} span (docs/operations.md, "Traces") starts with it and ends with it.
 */
public final class GenAiHop {
    private static final String OPERATION = "chat";
    private final GenAiMetrics metrics;
    private final long started;
    private long firstOutput = -1;
    private long lastOutput = -1;
    private int gapCount;
    private double[] gaps = new double[32];
    /** The hop's span; null when traces are off. */
    private final Span span;

    GenAiHop(GenAiMetrics metrics, long started, Span span) {
        this.metrics = metrics;
        this.started = started;
        this.span = span;
    }

    /**
     * A relayed upstream chunk; {@code output} when it carried content, reasoning or a tool-call delta. The gaps are
     * kept until the model is known (the first chunk names it), then observed under that model's label. Returns
     * {@code output}, so the caller's condition can pass through.
     */
    public boolean chunk(boolean output) {
        if (!output) {
            return false;
        }
        long now = System.nanoTime();
        if (firstOutput < 0) {
            firstOutput = now;
        } else {
            if (gapCount == gaps.length) {
                gaps = java.util.Arrays.copyOf(gaps, gaps.length * 2);
            }
            gaps[gapCount++] = (now - lastOutput) / 1e9;
        }
        lastOutput = now;
        return true;
    }

    /** The upstream refused the call before a stream opened (HTTP status, or 502 for a network failure). */
    public void refused(int status) {
        if (span != null) {
            span.setAttribute(GenAiTraces.ERROR_TYPE, Integer.toString(status));
            span.setStatus(StatusCode.ERROR, "upstream refused the call: " + status);
            span.end();
        }
        metrics.upstreamErrors.labelValues(GenAiMetrics.PROVIDER, Integer.toString(status)).inc();
        metrics.operationDuration.labelValues(OPERATION, GenAiMetrics.PROVIDER, "unknown", Integer.toString(status))
                .observe((System.nanoTime() - started) / 1e9);
    }

    /** What the upstream said about its answer: the generation id and why it stopped (for the span). */
    public void response(String id, String finishReason) {
        if (span != null) {
            if (id != null) {
                span.setAttribute(GenAiTraces.RESPONSE_ID, id);
            }
            if (finishReason != null) {
                span.setAttribute(GenAiTraces.FINISH_REASONS, List.of(finishReason));
            }
        }
    }

    /**
     * The stream ended: {@code status} is complete, cancelled or failed; {@code failureStatus} the HTTP status of a
     * failure (ignored otherwise). Token counts and cost are the upstream's own report ({@code usage}: prompt,
     * completion and reasoning tokens), left out when it sent none.
     */
    public void finished(String model, JsonNode usage, Double cost, String status, int failureStatus) {
        Long inputTokens = count(usage, "prompt_tokens");
        Long outputTokens = count(usage, "completion_tokens");
        Long reasoningTokens = usage == null ? null : count(usage.path("completion_tokens_details"), "reasoning_tokens");
        String m = GenAiMetrics.label(model);
        String errorType = switch (status) {
            case "complete" -> "";
            case "cancelled" -> "cancelled";
            default -> Integer.toString(failureStatus);
        };
        metrics.operationDuration.labelValues(OPERATION, GenAiMetrics.PROVIDER, m, errorType)
                .observe((System.nanoTime() - started) / 1e9);
        if ("failed".equals(status)) {
            metrics.upstreamErrors.labelValues(GenAiMetrics.PROVIDER, Integer.toString(failureStatus)).inc();
        }
        if (firstOutput >= 0) {
            metrics.timeToFirstChunk.labelValues(OPERATION, GenAiMetrics.PROVIDER, m).observe((firstOutput - started) / 1e9);
            var perChunk = metrics.timePerOutputChunk.labelValues(OPERATION, GenAiMetrics.PROVIDER, m);
            for (int i = 0; i < gapCount; i++) {
                perChunk.observe(gaps[i]);
            }
        }
        token(m, "input", inputTokens);
        token(m, "output", outputTokens);
        token(m, "reasoning", reasoningTokens);
        if (cost != null && cost > 0) {
            metrics.cost.labelValues(GenAiMetrics.PROVIDER, m).inc(cost);
        }
        if (span != null) {
            endSpan(m, inputTokens, outputTokens, cost, status, errorType);
        }
    }

    private void endSpan(String model, Long inputTokens, Long outputTokens, Double cost, String status,
                         String errorType) {
        span.setAttribute(GenAiTraces.RESPONSE_MODEL, model);
        if (inputTokens != null) {
            span.setAttribute(GenAiTraces.INPUT_TOKENS, inputTokens);
        }
        if (outputTokens != null) {
            span.setAttribute(GenAiTraces.OUTPUT_TOKENS, outputTokens);
        }
        if (cost != null) {
            span.setAttribute(GenAiTraces.COST, cost);
        }
        if (!errorType.isEmpty()) {
            span.setAttribute(GenAiTraces.ERROR_TYPE, errorType);
        }
        if ("failed".equals(status)) {
            span.setStatus(StatusCode.ERROR, "stream failed: " + errorType);
        }
        span.end();
    }

    private static Long count(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isNumber() ? value.asLong() : null;
    }

    private void token(String model, String type, Long count) {
        if (count != null && count >= 0) {
            metrics.tokenUsage.labelValues(OPERATION, GenAiMetrics.PROVIDER, model, type).observe(count);
        }
    }
}
