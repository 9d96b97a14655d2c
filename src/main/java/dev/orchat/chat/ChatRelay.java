package dev.orchat.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.openrouter.Flavor;
import dev.orchat.settings.SettingsSnapshot;
import dev.orchat.upload.AttachmentInput;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One turn after its stream opened: hops and tool rounds until an answer, a failure or a cancellation, then the
 * final state, {@code [DONE]} and the closed sink. The relay owns the sink; it closes it in {@code finally}.
 */
final class ChatRelay implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ChatRelay.class);
    private final ChatServices s;
    private final TurnRegistry registry;
    private final TurnState state;
    private final ChatRequest request;
    private final String model;
    private final SettingsSnapshot settings;
    private final ObjectNode sessionEvent;
    private final String requestId;
    private final long startedNanos = System.nanoTime();
    private boolean toolsDisabled;
    private boolean fallbackUsed;
    private HopResult lastOutcome = HopResult.cancelled();

    ChatRelay(ChatServices s, TurnRegistry registry, TurnState state, ChatRequest request, String model,
              SettingsSnapshot settings, ObjectNode sessionEvent, String requestId) {
        this.s = s;
        this.registry = registry;
        this.state = state;
        this.request = request;
        this.model = model;
        this.settings = settings;
        this.sessionEvent = sessionEvent;
        this.requestId = requestId;
    }

    @Override
    public void run() {
        RunningTurn turn = state.turn();
        MDC.put("request_id", requestId);
        MDC.put("session_id", turn.sessionId());
        MDC.put("turn_id", turn.turnId());
        HopResult outcome = HopResult.cancelled();
        int hops = 0;
        try {
            if (state.send("session", sessionEvent)) {
                hops = runHops();
                outcome = lastOutcome;
            }
        } catch (RuntimeException | Error e) {
            LOG.error("Turn failed with an internal error", e);
            outcome = HopResult.failed(500, "Internal error", false);
        } finally {
            finish(outcome, hops);
            MDC.clear();
        }
    }

    /** The hop loop of SPEC §4.10; returns the number of model calls made. */
    private int runHops() {
        int hop = 0;
        int rounds = 0;
        boolean finalAnswerHop = false;
        ToolRound tools = new ToolRound(s, state);
        while (true) {
            hop++;
            HopResult result = runHop(hop, finalAnswerHop);
            if (result.status() == HopResult.Status.RETRY_WITHOUT_TOOLS) {
                fallbackUsed = true;
                toolsDisabled = true;
                ObjectNode notice = s.mapper().createObjectNode();
                notice.put("status", "notice");
                notice.put("name", "system");
                notice.put("message", "Tools unavailable for this model; continuing without them.");
                state.send("tool", notice);
                hop--;
                continue;
            }
            lastOutcome = result;
            if (result.status() != HopResult.Status.COMPLETE || result.toolCalls().isEmpty()) {
                return hop;
            }
            if (finalAnswerHop || rounds >= s.config().getMaxToolHops()) {
                String limitText = "Not executed: the tool-call limit for this turn (" + s.config().getMaxToolHops()
                        + " rounds) was reached.";
                if (!finalAnswerHop) {
                    ObjectNode stop = s.mapper().createObjectNode();
                    stop.put("status", "error");
                    stop.put("name", "system");
                    stop.put("message", "Tool execution stopped after hop limit");
                    state.send("tool", stop);
                    s.store().markHopLimitReached(state.turn().turnId());
                }
                tools.refuseAll(hop, result.toolCalls(), limitText);
                if (finalAnswerHop || !s.config().isFinalAnswerAfterHopLimit()) {
                    return hop;
                }
                finalAnswerHop = true;
                continue;
            }
            rounds++;
            tools.run(hop, result.toolCalls());
            if (state.turn().isCancelled()) {
                lastOutcome = HopResult.cancelled();
                return hop;
            }
        }
    }

    private HopResult runHop(int hop, boolean finalAnswerHop) {
        if (state.turn().isCancelled()) {
            return HopResult.cancelled();
        }
        ZonedDateTime now = s.config().isDateTimeContext() ? ZonedDateTime.now(s.clock().withZone(s.zone())) : null;
        AttachmentInput.HopInput attachments = s.attachmentInput().forHop(model, s.upstream().flavor() == Flavor.GENERIC);
        ArrayNode messages = s.wire().build(s.store().read(
                h -> h.dao(dev.orchat.conversation.MessageDao.class).bySession(state.sessionId())),
                settings.systemPrompt(), now, attachments);
        s.attachments().touch(attachments.used()); // replaying history counts as a use (SPEC §8.7)
        PayloadBuilder.ToolMode mode = finalAnswerHop ? PayloadBuilder.ToolMode.FINAL_ANSWER
                : toolsDisabled ? PayloadBuilder.ToolMode.DISABLED : PayloadBuilder.ToolMode.OFFER;
        List<ObjectNode> toolList = mode == PayloadBuilder.ToolMode.DISABLED ? List.of() : s.tools().toolDefinitions();
        ObjectNode payload = s.payloads().build(request.forwarded(), model, messages, settings, toolList, mode,
                attachments.sentPdfAsFile());
        JsonNode choice = request.forwarded().has("tool_choice") ? request.forwarded().get("tool_choice")
                : settings.parameters() == null ? null : settings.parameters().get("tool_choice");
        boolean fallbackAllowed = !fallbackUsed && PayloadBuilder.choiceAllowsFallback(choice);
        byte[] body;
        try {
            body = s.mapper().writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new HopRunner(s, state).run(hop, body, payload.has("tools"), fallbackAllowed);
    }

    private void finish(HopResult outcome, int hops) {
        RunningTurn turn = state.turn();
        EventStream events = state.events();
        CancelReason reason = turn.cancelReason();
        boolean complete = outcome.status() == HopResult.Status.COMPLETE;
        String status = complete ? "complete" : reason != null ? "cancelled" : "failed";
        boolean writable = events.isWritable() && (reason == null || reason.streamWritable());
        int lastEventId = events.lastId() + (writable ? 1 : 0) + (writable && status.equals("failed") ? 1 : 0);
        try {
            s.store().finishTurn(turn.sessionId(), turn.turnId(), status,
                    status.equals("cancelled") ? reason.wireName() : null,
                    status.equals("failed") ? outcome.errorStatus() : null,
                    status.equals("failed") ? outcome.errorDetail() : null, lastEventId);
        } catch (RuntimeException e) {
            LOG.error("Could not store the end of the turn", e);
        }
        // Released before [DONE] goes out: a client that starts its next turn the moment it reads [DONE] must not
        // get a 409 from this turn's bookkeeping.
        registry.release(turn);
        if (writable && status.equals("failed")) {
            ObjectNode error = s.mapper().createObjectNode();
            error.put("detail", outcome.errorDetail());
            error.put("status", outcome.errorStatus());
            error.put("retryable", outcome.retryable());
            state.send("error", error);
        }
        if (writable) {
            events.send("message", "[DONE]");
        }
        events.close();
        if (complete) {
            s.titles().turnCompleted(turn.sessionId(), turn.turnId()); // after [DONE]; runs on its own thread
        }
        ChatMetrics m = s.metrics();
        switch (status) {
            case "complete" -> m.completed.mark();
            case "cancelled" -> m.cancelled.mark();
            default -> m.failed.mark();
        }
        m.hops.update(hops);
        m.turnDuration.update(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
        m.promptTokens.inc(state.promptTokens());
        m.completionTokens.inc(state.completionTokens());
        m.reasoningTokens.inc(state.reasoningTokens());
        if (state.turnCost() != null) {
            m.cost.inc(Math.round(state.turnCost() * 1_000_000));
        }
        turn.finished().complete(null);
        LOG.info("Turn {} ended: {} after {} hop(s)", turn.turnId(), status, hops);
    }
}
