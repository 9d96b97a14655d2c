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
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upstream call: open, relay every chunk unchanged while accumulating it, then store the hop and announce its
 * {@code metadata} event, both built from the one {@link HopOutcome} (docs/api.md, "One hop").
 */
final class HopRunner {
    private static final Logger LOG = LoggerFactory.getLogger(HopRunner.class);
    private final OpenRouterClient upstream;
    private final ConversationStore store;
    private final ChatMetrics metrics;
    private final Clock clock;
    private final ObjectMapper mapper;

    HopRunner(OpenRouterClient upstream, ConversationStore store, ChatMetrics metrics, Clock clock,
              ObjectMapper mapper) {
        this.upstream = upstream;
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
        this.mapper = mapper;
    }

    /** @param fallbackAllowed whether a "tools unsupported" refusal may be answered by a hop without tools */
    HopResult run(TurnState state, int hop, byte[] payload, boolean fallbackAllowed) {
        RunningTurn turn = state.turn();
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        AbortHandle handle = new AbortHandle();
        turn.attachUpstream(handle);
        GenAiHop telemetry = metrics.genAi.hopStarted(state.turnId(), hop, state.model()); // issue 17 telemetry hook
        CompletionStream stream;
        try {
            stream = upstream.openStream(payload, handle, turn::awaitRetry);
        } catch (UpstreamException e) {
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
        HopAccumulator acc = new HopAccumulator(mapper);
        Relay relay = new Relay(state, acc, telemetry, t0);
        StreamItem end = null;
        UpstreamException failure = null;
        try (stream) {
            end = stream.relay(relay);
        } catch (UpstreamException e) {
            if (!turn.isCancelled()) {
                failure = e;
            }
        }
        boolean complete = end instanceof StreamItem.Done || end instanceof StreamItem.End && acc.sawFinishReason();
        if (end instanceof StreamItem.End && !complete && !turn.isCancelled()) {
            failure = UpstreamException.cutShort();
        }
        Instant firstToken = relay.firstToken;
        metrics.upstreamRequests.update(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        String status = complete ? "complete" : turn.isCancelled() ? "cancelled" : "failed";
        if (status.equals("failed")) {
            metrics.upstreamErrors.mark();
            if (failure == null) {
                failure = UpstreamException.cutShort();
            }
        }
        JsonNode routing = stream.routing().isEmpty() ? null : mapper.valueToTree(stream.routing());
        HopOutcome outcome = acc.finish(hop, status, routing,
                new HopOutcome.Timing(started, firstToken, clock.instant()));
        record(state, outcome);
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
        private final long t0;
        private volatile Instant firstToken;

        Relay(TurnState state, HopAccumulator acc, GenAiHop telemetry, long t0) {
            this.state = state;
            this.acc = acc;
            this.telemetry = telemetry;
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
