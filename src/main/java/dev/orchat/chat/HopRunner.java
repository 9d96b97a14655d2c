package dev.orchat.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.conversation.NewGeneration;
import dev.orchat.conversation.NewMessage;
import dev.orchat.db.Timestamps;
import dev.orchat.openrouter.AbortHandle;
import dev.orchat.openrouter.CompletionStream;
import dev.orchat.openrouter.UpstreamException;
import dev.orchat.openrouter.sse.SseEvent;
import dev.orchat.telemetry.GenAiHop;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upstream call: open, relay every chunk unchanged while accumulating it, then persist the hop and send its
 * {@code metadata} event (SPEC §4.6–4.9, §4.13).
 */
final class HopRunner {
    private static final Logger LOG = LoggerFactory.getLogger(HopRunner.class);
    private static final Set<String> RESERVED = Set.of("session", "metadata", "tool", "error");
    private final ChatServices s;
    private final TurnState state;

    HopRunner(ChatServices s, TurnState state) {
        this.s = s;
        this.state = state;
    }

    HopResult run(int hop, byte[] payload, boolean toolsIncluded, boolean fallbackAllowed) {
        RunningTurn turn = state.turn();
        Instant started = s.clock().instant();
        long t0 = System.nanoTime();
        AbortHandle handle = new AbortHandle();
        turn.attachUpstream(handle);
        GenAiHop telemetry = s.metrics().genAi.hopStarted(); // issue 17 telemetry hook
        CompletionStream stream;
        try {
            stream = s.upstream().openStream(payload, handle, turn::awaitRetry);
        } catch (UpstreamException e) {
            s.metrics().upstreamErrors.mark();
            telemetry.refused(e.status()); // issue 17 telemetry hook
            if (turn.isCancelled()) {
                return HopResult.cancelled();
            }
            if (fallbackAllowed && toolsIncluded && e.status() == 404 && mentionsToolUse(e.detail())) {
                return HopResult.retryWithoutTools();
            }
            LOG.warn("Upstream refused hop {}: {} {}", hop, e.status(), e.detail());
            return HopResult.failed(e.status(), e.detail(), e.retryable());
        }
        HopAccumulator acc = new HopAccumulator(s.mapper());
        Instant firstToken = null;
        UpstreamException failure = null;
        boolean complete = false;
        try (stream) {
            while (!complete && failure == null) {
                SseEvent event = stream.next();
                if (event == null) {
                    if (acc.sawFinishReason()) {
                        complete = true;
                    } else if (!turn.isCancelled()) {
                        failure = new UpstreamException(502, "Upstream stream ended unexpectedly", null, false, null);
                    }
                    break;
                }
                if (!"message".equals(event.name())) {
                    if (RESERVED.contains(event.name())) {
                        LOG.info("Dropped upstream event with reserved name '{}'", event.name());
                    } else if (!state.events().send(event.name(), event.data())) {
                        turn.cancel(CancelReason.CLIENT_DISCONNECT);
                        break;
                    }
                    continue;
                }
                if ("[DONE]".equals(event.data())) {
                    stream.markEnded();
                    complete = true;
                    break;
                }
                JsonNode chunk = parse(event.data());
                if (chunk == null) {
                    LOG.debug("Skipped a non-JSON upstream chunk");
                    continue;
                }
                if (chunk.path("error").isObject()) {
                    failure = midStreamError(chunk.get("error"));
                    break;
                }
                if (telemetry.chunk(acc.accept(chunk)) && firstToken == null) { // issue 17 telemetry hook
                    firstToken = s.clock().instant();
                    s.metrics().ttft.update(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                }
                if (!state.events().send("message", event.data())) {
                    turn.cancel(CancelReason.CLIENT_DISCONNECT);
                    break;
                }
            }
        } catch (UpstreamException e) {
            if (!turn.isCancelled()) {
                failure = e;
            }
        }
        s.metrics().upstreamRequests.update(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        String status = complete ? "complete" : turn.isCancelled() ? "cancelled" : "failed";
        if (status.equals("failed")) {
            s.metrics().upstreamErrors.mark();
            if (failure == null) {
                failure = new UpstreamException(502, "Upstream stream ended unexpectedly", null, false, null);
            }
        }
        List<ToolCall> calls = complete ? acc.finalToolCalls() : List.of();
        record(hop, status, acc, calls, stream.routing(), started, firstToken);
        telemetry.finished(acc.model(), acc.usage(), acc.cost(), status, failure == null ? 0 : failure.status()); // issue 17 telemetry hook
        if (complete) {
            return HopResult.complete(calls);
        }
        if (status.equals("cancelled")) {
            return HopResult.cancelled();
        }
        LOG.warn("Upstream failed during hop {}: {} {}", hop, failure.status(), failure.detail());
        return HopResult.failed(failure.status(), failure.detail(), failure.retryable());
    }

    private void record(int hop, String status, HopAccumulator acc, List<ToolCall> calls, Map<String, String> routing,
                        Instant started, Instant firstToken) {
        String now = Timestamps.format(s.clock().instant());
        ArrayNode toolCalls = null;
        if (!calls.isEmpty()) {
            toolCalls = s.mapper().createArrayNode();
            for (ToolCall call : calls) {
                toolCalls.add(call.toJson(s.mapper()));
            }
        }
        JsonNode usage = acc.usage();
        Long prompt = tokens(usage, "prompt_tokens");
        Long completion = tokens(usage, "completion_tokens");
        Long reasoningTokens = usage == null ? null : asLong(usage.path("completion_tokens_details").get("reasoning_tokens"));
        Long cached = usage == null ? null : asLong(usage.path("prompt_tokens_details").get("cached_tokens"));
        JsonNode routingJson = routing.isEmpty() ? null : s.mapper().valueToTree(routing);
        boolean store = status.equals("complete") || acc.receivedAnything();
        NewMessage message = !store ? null : new NewMessage(state.sessionId(), state.turn().turnId(), 0, "assistant",
                acc.text(), acc.text() == null ? "null" : "text", null, json(toolCalls), null, null, false, false,
                status, state.clientAssistantMessageId(), state.parentClientMessageId(), acc.model(),
                acc.finishReason(), acc.generationId(), json(usage), acc.cost(), json(acc.reasoningSegments()),
                json(acc.reasoningDetails()), json(routingJson), json(acc.meta()), null, now);
        NewGeneration generation = new NewGeneration(state.turn().turnId(), hop, acc.generationId(), acc.model(),
                acc.provider(), status, acc.finishReason(), acc.nativeFinishReason(), prompt, completion,
                reasoningTokens, cached, acc.cost(), json(usage), json(routingJson), json(acc.meta()), null,
                Timestamps.format(started), Timestamps.format(firstToken), now);
        Long messageId = s.store().recordHop(state.sessionId(), message, generation,
                reasoningTokens == null ? 0 : reasoningTokens);
        state.addHopUsage(acc.cost(), prompt, completion, reasoningTokens);
        ObjectNode meta = s.mapper().createObjectNode();
        meta.put("role", "assistant");
        meta.put("turn_id", state.turn().turnId());
        meta.put("hop", hop);
        meta.put("status", status);
        meta.put("finish_reason", acc.finishReason());
        meta.put("native_finish_reason", acc.nativeFinishReason());
        meta.put("model", acc.model());
        meta.put("provider", acc.provider());
        meta.set("usage", usage);
        putNumber(meta, "cost", acc.cost());
        putNumber(meta, "turn_cost", state.turnCost());
        meta.set("routing", routingJson);
        meta.set("meta", acc.meta());
        meta.put("generation_id", acc.generationId());
        meta.set("reasoning", acc.reasoningSegments());
        meta.set("reasoning_details", acc.reasoningDetails());
        meta.set("tool_calls", toolCalls);
        if (state.clientAssistantMessageId() != null) {
            meta.put("client_message_id", state.clientAssistantMessageId());
        }
        if (messageId == null) {
            meta.putNull("message_id");
        } else {
            meta.put("message_id", messageId);
        }
        meta.put("created_at", now);
        meta.put("created_at_utc", now);
        if (state.events().isWritable()) {
            state.send("metadata", meta);
        }
    }

    private static void putNumber(ObjectNode node, String key, Double value) {
        if (value == null) {
            node.putNull(key);
        } else {
            node.put(key, value);
        }
    }

    private UpstreamException midStreamError(JsonNode error) {
        JsonNode code = error.get("code");
        int status = code != null && code.canConvertToInt() && code.isIntegralNumber()
                && code.asInt() >= 400 && code.asInt() <= 599 ? code.asInt() : 502;
        String detail = error.path("message").isTextual() ? error.get("message").asText() : error.toString();
        return new UpstreamException(status, detail, null, false, null);
    }

    static boolean mentionsToolUse(String detail) {
        String lower = detail == null ? "" : detail.toLowerCase(Locale.ROOT);
        return lower.contains("tool") && lower.contains("support") && lower.contains("tool use");
    }

    private JsonNode parse(String data) {
        try {
            return s.mapper().readTree(data);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private String json(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return s.mapper().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Long tokens(JsonNode usage, String field) {
        return usage == null ? null : asLong(usage.get(field));
    }

    private static Long asLong(JsonNode node) {
        return node != null && node.isNumber() ? node.asLong() : null;
    }
}
