package dev.orchat.chat;

import dev.orchat.conversation.ConversationStore;
import dev.orchat.telemetry.GenAiMetrics;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One turn after its stream opened: hops and tool rounds until an answer, a failure or a cancellation, then the
 * final state, {@code [DONE]} and the closed sink (docs/architecture.md, "One turn"). The loop owns the sink of
 * the turn it runs and closes it once, at the end, whichever way the turn ends.
 */
final class TurnLoop {
    private static final Logger LOG = LoggerFactory.getLogger(TurnLoop.class);
    private final HopPayloads payloads;
    private final HopRunner hopRunner;
    private final ToolRound tools;
    private final ConversationStore store;
    private final TurnRegistry registry;
    private final ChatMetrics metrics;
    private final SessionTitler titles;
    private final HopLimits limits;

    TurnLoop(HopPayloads payloads, HopRunner hops, ToolRound tools, ConversationStore store, TurnRegistry registry,
             ChatMetrics metrics, SessionTitler titles, HopLimits limits) {
        this.payloads = payloads;
        this.hopRunner = hops;
        this.tools = tools;
        this.store = store;
        this.registry = registry;
        this.metrics = metrics;
        this.titles = titles;
        this.limits = limits;
    }

    /**
     * Runs the turn: sends {@code session}, then hops and tool rounds. Returns once the first hop is sent; each
     * later step runs on the relay executor when the one before it ends, so no thread waits for the upstream
     * (docs/architecture.md §5, "Upstream").
     */
    void run(TurnState state, ChatStreamEvent.Session session, String requestId) {
        Progress progress = new Progress(state, requestId);
        progress.step(() -> {
            metrics.genAi.turnStarted(state.sessionId(), state.turnId(), state.model()); // issue 17 telemetry hook
            if (state.events().emit(session)) {
                progress.nextHop();
            } else {
                progress.end();
            }
        });
    }

    /** One run of the hop loop of docs/api.md ("Tool calls"): model, tools, model … until an answer or a limit. */
    private final class Progress {
        private final TurnState state;
        private final String requestId;
        private final long startedNanos = System.nanoTime();
        HopResult outcome = HopResult.cancelled();
        int hops;
        private int rounds;
        private boolean finalAnswerHop;
        boolean toolsDisabled;
        boolean fallbackUsed;
        boolean toolCalls;
        private boolean ended;

        Progress(TurnState state, String requestId) {
            this.state = state;
            this.requestId = requestId;
        }

        /** One step, with the turn's log context; a step that throws ends the turn as an internal error. */
        void step(Runnable body) {
            Map<String, String> outer = MDC.getCopyOfContextMap();
            MDC.put("request_id", requestId);
            MDC.put("session_id", state.sessionId());
            MDC.put("turn_id", state.turnId());
            try {
                body.run();
            } catch (RuntimeException | Error e) {
                LOG.error("Turn failed with an internal error", e);
                outcome = HopResult.failed(500, "Internal error", false);
                end();
            } finally {
                if (outer == null) {
                    MDC.clear();
                } else {
                    MDC.setContextMap(outer);
                }
            }
        }

        void nextHop() {
            hops++;
            if (state.turn().isCancelled()) {
                afterHop(HopResult.cancelled());
                return;
            }
            PayloadBuilder.ToolMode mode = finalAnswerHop ? PayloadBuilder.ToolMode.FINAL_ANSWER
                    : toolsDisabled ? PayloadBuilder.ToolMode.DISABLED : PayloadBuilder.ToolMode.OFFER;
            HopPayloads.HopRequest request = payloads.build(state, mode, fallbackUsed);
            hopRunner.start(state, hops, request.body(), request.fallbackAllowed())
                    .whenComplete((result, error) -> step(() -> {
                        if (error != null) {
                            throw new IllegalStateException("Hop failed", error);
                        }
                        afterHop(result);
                    }));
        }

        private void afterHop(HopResult result) {
            if (result.status() == HopResult.Status.RETRY_WITHOUT_TOOLS) {
                fallbackUsed = true;
                toolsDisabled = true;
                state.events().emit(new ChatStreamEvent.SystemNotice("notice",
                        "Tools unavailable for this model; continuing without them."));
                hops--;
                nextHop();
                return;
            }
            outcome = result;
            toolCalls |= !result.toolCalls().isEmpty();
            if (result.status() != HopResult.Status.COMPLETE || result.toolCalls().isEmpty()
                    || state.options().clientTools() != null) {
                end(); // an answer, a failure, or calls of the client's own tools, which it runs itself
                return;
            }
            if (finalAnswerHop || rounds >= limits.maxToolHops()) {
                String limitText = "Not executed: the tool-call limit for this turn (" + limits.maxToolHops()
                        + " rounds) was reached.";
                if (!finalAnswerHop) {
                    state.events().emit(new ChatStreamEvent.SystemNotice("error",
                            "Tool execution stopped after hop limit"));
                    store.markHopLimitReached(state.turnId());
                }
                tools.refuseAll(state, hops, result.toolCalls(), limitText);
                if (finalAnswerHop || !limits.finalAnswerAfterHopLimit()) {
                    end();
                    return;
                }
                finalAnswerHop = true;
                nextHop();
                return;
            }
            rounds++;
            tools.run(state, hops, result.toolCalls());
            if (state.turn().isCancelled()) {
                outcome = HopResult.cancelled();
                end();
                return;
            }
            nextHop();
        }

        /** Once: the final state, the closing events and the bookkeeping. */
        void end() {
            if (!ended) {
                ended = true;
                finish(state, this, startedNanos);
            }
        }
    }

    private void finish(TurnState state, Progress p, long startedNanos) {
        RunningTurn turn = state.turn();
        TurnEvents events = state.events();
        CancelReason reason = turn.cancelReason();
        HopResult outcome = p.outcome;
        boolean complete = outcome.status() == HopResult.Status.COMPLETE;
        String status = complete ? "complete" : reason != null ? "cancelled" : "failed";
        boolean failed = status.equals("failed");
        // error (failures only) and [DONE] always end a chat-stream turn's events, attached client or not, so a
        // client resuming later reads the same end (docs/api.md §3.6). Another front door's output gets them while
        // its client reads (see TurnEvents).
        int lastEventId = events.lastId() + 1 + (failed ? 1 : 0);
        try {
            store.finishTurn(turn.sessionId(), turn.turnId(), new ConversationStore.TurnEnd(status,
                    status.equals("cancelled") ? reason.wireName() : null, failed ? outcome.errorStatus() : null,
                    failed ? outcome.errorDetail() : null, lastEventId, p.toolCalls));
        } catch (RuntimeException e) {
            LOG.error("Could not store the end of the turn", e);
        }
        // Released before [DONE] goes out: a client that starts its next turn the moment it reads [DONE] must not
        // get a 409 from this turn's bookkeeping.
        registry.release(turn);
        if (failed) {
            events.emit(new ChatStreamEvent.Error(outcome.errorDetail(), outcome.errorStatus(), outcome.retryable()));
        }
        events.emit(new ChatStreamEvent.Done());
        events.close(); // a chat-stream turn's log ends (its events stay for replay); a /v1 response completes
        if (complete && !state.options().ephemeral()) {
            titles.turnCompleted(turn.sessionId(), turn.turnId()); // after [DONE]; runs on its own thread
        }
        record(state, status, p.hops, startedNanos);
        metrics.genAi.turnEnded(turn.turnId(), new GenAiMetrics.TurnEnd(status, p.hops, // issue 17 telemetry hook
                failed && outcome.errorStatus() != null ? outcome.errorStatus() : 0, state.promptTokens(),
                state.completionTokens(), state.turnCost()));
        turn.finished().complete(null);
        LOG.info("Turn {} ended: {} after {} hop(s)", turn.turnId(), status, p.hops);
    }

    private void record(TurnState state, String status, int hopCount, long startedNanos) {
        switch (status) {
            case "complete" -> metrics.completed.mark();
            case "cancelled" -> metrics.cancelled.mark();
            default -> metrics.failed.mark();
        }
        metrics.hops.update(hopCount);
        metrics.turnDuration.update(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
        metrics.promptTokens.inc(state.promptTokens());
        metrics.completionTokens.inc(state.completionTokens());
        metrics.reasoningTokens.inc(state.reasoningTokens());
        if (state.turnCost() != null) {
            metrics.cost.inc(Math.round(state.turnCost() * 1_000_000));
        }
    }
}
