package dev.orchat.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.conversation.ConversationStore;
import dev.orchat.conversation.HopOutcome;
import dev.orchat.db.Timestamps;
import dev.orchat.openrouter.AbortHandle;
import dev.orchat.openrouter.CompletionStream;
import dev.orchat.openrouter.OpenRouterClient;
import dev.orchat.openrouter.StreamItem;
import dev.orchat.openrouter.UpstreamException;
import dev.orchat.telemetry.GenAiHop;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upstream call: open, relay every chunk unchanged while accumulating it, then store the hop and announce its
 * {@code metadata} event, both built from the one {@link HopOutcome} (docs/api.md, "One hop"). No thread waits
 * for the upstream, neither for its headers nor while its body streams (docs/architecture.md §5, "Upstream").
 */
final class HopRunner {
    private static final Logger LOG = LoggerFactory.getLogger(HopRunner.class);
    private final OpenRouterClient upstream;
    private final ConversationStore store;
    private final ChatMetrics metrics;
    private final Clock clock;
    private final ObjectMapper mapper;
    /** Where a hop continues once its body ended: never an upstream I/O thread, since storing it may block. */
    private final Executor relays;

    HopRunner(OpenRouterClient upstream, ConversationStore store, ChatMetrics metrics, Clock clock,
              ObjectMapper mapper, Executor relays) {
        this.relays = relays;
        this.upstream = upstream;
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
        this.mapper = mapper;
    }

    /**
     * Starts the hop and returns at once: the call is opened (with retries) and its body relayed on the upstream
     * client's threads. The future completes on the relay executor once the hop is stored and its
     * {@code metadata} sent (or once the call was refused).
     *
     * @param fallbackAllowed whether a "tools unsupported" refusal may be answered by a hop without tools
     */
    CompletableFuture<HopResult> start(TurnState state, int hop, byte[] payload, boolean fallbackAllowed) {
        RunningTurn turn = state.turn();
        AbortHandle handle = new AbortHandle();
        turn.attachUpstream(handle);
        GenAiHop telemetry = metrics.genAi.hopStarted(state.turnId(), hop, state.model()); // issue 17 telemetry hook
        Relay relay = new Relay(state, new HopAccumulator(mapper), telemetry, clock.instant(), System.nanoTime());
        return upstream.openStream(payload, handle, turn::retryAfter)
                .thenCompose(stream -> {
                    relay.stream = stream;
                    return stream.relay(relay);
                })
                .handleAsync((end, error) -> relay.stream == null
                        ? refused(turn, hop, upstreamFailure(error), telemetry, fallbackAllowed)
                        : finish(relay, hop, end, error), relays);
    }

    private static UpstreamException upstreamFailure(Throwable error) {
        Throwable cause = error instanceof CompletionException ? error.getCause() : error;
        if (cause instanceof UpstreamException e) {
            return e;
        }
        throw new IllegalStateException("Upstream call failed", cause);
    }

    private HopResult refused(RunningTurn turn, int hop, UpstreamException e, GenAiHop telemetry,
                              boolean fallbackAllowed) {
        metrics.upstreamErrors.mark();
        telemetry.refused(e.status()); // issue 17 telemetry hook
        if (turn.isCancelled()) {
            return HopResult.cancelled();
        }
        if (fallbackAllowed && e instanceof UpstreamException.Refused refused && refused.toolsUnsupported()) {
            return HopResult.retryWithoutTools();
        }
        LOG.warn("Upstream refused hop {}: {} {}", hop, e.status(), e.detail());
        return HopResult.failed(e);
    }

    /** The end of a relayed hop: its status, its stored outcome and {@code metadata}, what the turn does next. */
    private HopResult finish(Relay relay, int hop, StreamItem end, Throwable error) {
        CompletionStream stream = relay.stream;
        stream.settle();
        stream.close();
        TurnState state = relay.state;
        RunningTurn turn = state.turn();
        HopAccumulator acc = relay.acc;
        UpstreamException failure = null;
        if (error != null) {
            UpstreamException e = upstreamFailure(error);
            failure = turn.isCancelled() ? null : e;
        }
        boolean complete = end instanceof StreamItem.Done || end instanceof StreamItem.End && acc.sawFinishReason();
        if (end instanceof StreamItem.End && !complete && !turn.isCancelled()) {
            failure = UpstreamException.cutShort();
        }
        metrics.upstreamRequests.update(System.nanoTime() - relay.t0, TimeUnit.NANOSECONDS);
        String status = complete ? "complete" : turn.isCancelled() ? "cancelled" : "failed";
        if (status.equals("failed")) {
            metrics.upstreamErrors.mark();
            if (failure == null) {
                failure = UpstreamException.cutShort();
            }
        }
        JsonNode routing = stream.routing().isEmpty() ? null : mapper.valueToTree(stream.routing());
        HopOutcome outcome = acc.finish(hop, status, routing,
                new HopOutcome.Timing(relay.started, relay.firstToken, clock.instant()));
        record(state, outcome);
        GenAiHop telemetry = relay.telemetry;
        telemetry.response(outcome.source().generationId(), outcome.reply().finishReason()); // issue 17 telemetry hook
        telemetry.finished(outcome.source().model(), outcome.usage().raw(), outcome.usage().cost(), // issue 17 telemetry hook
                outcome.status(), failure == null ? 0 : failure.status());
        if (complete) {
            return HopResult.complete(outcome.reply().toolCalls());
        }
        if (status.equals("cancelled")) {
            return HopResult.cancelled();
        }
        LOG.warn("Upstream failed during hop {}: {} {}", hop, failure.status(), failure.detail());
        return HopResult.failed(failure);
    }

    /**
     * The hop's side of the stream: accumulates each chunk and relays it unchanged. Runs on the upstream client's
     * I/O threads, one item at a time; false (the turn's events are closed) stops the call.
     */
    private final class Relay implements CompletionStream.ItemSink {
        private final TurnState state;
        private final HopAccumulator acc;
        private final GenAiHop telemetry;
        private final Instant started;
        private final long t0;
        private volatile Instant firstToken;
        /** Set once the call's headers arrived; null when it was refused or never opened. */
        private volatile CompletionStream stream;

        Relay(TurnState state, HopAccumulator acc, GenAiHop telemetry, Instant started, long t0) {
            this.state = state;
            this.acc = acc;
            this.telemetry = telemetry;
            this.started = started;
            this.t0 = t0;
        }

        @Override
        public boolean accept(StreamItem item) {
            if (item instanceof StreamItem.Chunk chunk) {
                if (telemetry.chunk(acc.accept(chunk.json())) && firstToken == null) { // issue 17 telemetry hook
                    firstToken = clock.instant();
                    metrics.ttft.update(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                }
                return state.events().emit(new ChatStreamEvent.UpstreamChunk(chunk.raw(), chunk.json()));
            }
            if (item instanceof StreamItem.Named named) {
                return state.events().emit(new ChatStreamEvent.UpstreamNamed(named.name(), named.data()));
            }
            return true;
        }
    }

    private void record(TurnState state, HopOutcome outcome) {
        Long messageId = store.recordHop(state.ref(), outcome);
        state.addHopUsage(outcome.usage());
        state.events().emit(new ChatStreamEvent.Metadata(state.turnId(), outcome, state.turnCost(),
                state.request().clientAssistantMessageId(), messageId,
                Timestamps.format(outcome.timing().finished())));
    }
}
