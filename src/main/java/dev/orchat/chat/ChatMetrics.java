package dev.orchat.chat;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import dev.orchat.telemetry.GenAiMetrics;

/** The chat metrics of docs/operations.md, "Admin port", registered once. */
public final class ChatMetrics {
    final Meter started;
    final Meter completed;
    final Meter failed;
    final Meter cancelled;
    final Timer turnDuration;
    final Timer ttft;
    final Histogram hops;
    final Timer upstreamRequests;
    final Meter upstreamErrors;
    final Counter promptTokens;
    final Counter completionTokens;
    final Counter reasoningTokens;
    final Counter cost;
    final Timer toolCalls;
    final Meter toolTimeouts;
    final GenAiMetrics genAi; // issue 17 telemetry hook

    public ChatMetrics(MetricRegistry registry, TurnRegistry turns) {
        registry.register("chat.streams.active", (Gauge<Integer>) turns::active);
        started = registry.meter("chat.turns.started");
        completed = registry.meter("chat.turns.completed");
        failed = registry.meter("chat.turns.failed");
        cancelled = registry.meter("chat.cancelled");
        turnDuration = registry.timer("chat.turn.duration");
        ttft = registry.timer("chat.ttft");
        hops = registry.histogram("chat.hops");
        upstreamRequests = registry.timer("chat.upstream.requests");
        upstreamErrors = registry.meter("chat.upstream.errors");
        promptTokens = registry.counter("chat.tokens.prompt");
        completionTokens = registry.counter("chat.tokens.completion");
        reasoningTokens = registry.counter("chat.tokens.reasoning");
        cost = registry.counter("chat.cost");
        toolCalls = registry.timer("chat.tools.calls");
        toolTimeouts = registry.meter("chat.tools.timeouts");
        genAi = GenAiMetrics.of(registry); // issue 17 telemetry hook
    }
}
