package dev.orchat.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.conversation.ConversationStore;
import dev.orchat.conversation.NewMessage;
import dev.orchat.conversation.ToolCall;
import dev.orchat.db.Timestamps;
import dev.orchat.mcp.ToolRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.MDC;

/**
 * Runs the calls of one hop concurrently, at most {@code chat.toolParallelism} at a time, started in order, with
 * result positions reserved first so parallel completion never reorders history (I3 of docs/architecture.md).
 * Every call ends with exactly one stored result (I2), written through its {@link Slot}: whichever way the call
 * ends, the first outcome settles it and later ones are ignored, and a call that ends because the turn was
 * cancelled is always stored the same way (synthetic, status {@code cancelled}).
 */
final class ToolRound {
    static final String CANCELLED_TEXT = "Cancelled before completion.";
    private final ToolRegistry tools;
    private final ConversationStore store;
    private final ExecutorService executor;
    private final ChatMetrics metrics;
    private final ToolLimits limits;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final ZoneId zone;
    private final ToolApprovals approvals;

    /** @param clock gives the time and, as its zone, the user's time zone that tools receive */
    ToolRound(ToolRegistry tools, ConversationStore store, ExecutorService executor, ChatMetrics metrics,
              ToolLimits limits, Clock clock, ObjectMapper mapper, ToolApprovals approvals) {
        this.tools = tools;
        this.store = store;
        this.executor = executor;
        this.metrics = metrics;
        this.limits = limits;
        this.clock = clock;
        this.mapper = mapper;
        this.zone = clock.getZone();
        this.approvals = approvals;
    }

    /** How a call ended, as it is stored and announced; {@code meta} holds the person's decisions, if any. */
    private record Outcome(String text, boolean isError, boolean synthetic, String status, long millis, String meta) {
        static Outcome cancelled() {
            return new Outcome(CANCELLED_TEXT, true, true, "cancelled", 0, null);
        }
    }

    /** The one place a call's result is written; the first {@link #settle} wins. */
    private final class Slot {
        private final TurnState state;
        private final ToolCall call;
        private final int position;
        private final int hop;
        private final AtomicBoolean settled = new AtomicBoolean();
        /** Done once the winning outcome is stored, so the turn never ends (and repairs I2) mid-write. */
        private final java.util.concurrent.CompletableFuture<Void> written = new java.util.concurrent.CompletableFuture<>();

        Slot(TurnState state, ToolCall call, int position, int hop) {
            this.state = state;
            this.call = call;
            this.position = position;
            this.hop = hop;
        }

        void settle(Outcome outcome) {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            try {
                String now = Timestamps.format(clock.instant());
                NewMessage.Place place = new NewMessage.Place(state.sessionId(), state.turnId(), position, null, null);
                long id = store.storeToolResult(place, call, new ConversationStore.ToolResultText(outcome.text(),
                        outcome.isError(), outcome.synthetic(), outcome.status(), outcome.meta()));
                state.events().emit(new ChatStreamEvent.ToolFinished(call.name(), call.id(), hop,
                        outcome.text(), outcome.isError(), id, outcome.millis(), now));
            } finally {
                written.complete(null);
            }
        }

        void awaitWritten() {
            try {
                written.join();
            } catch (RuntimeException e) {
                // Completed in a finally: never fails.
            }
        }
    }

    /** Stores a synthetic error result for every call without running any (the hop limit, docs/api.md). */
    void refuseAll(TurnState state, int hop, List<ToolCall> calls, String text) {
        int base = store.reservePositions(state.sessionId(), calls.size());
        for (int i = 0; i < calls.size(); i++) {
            new Slot(state, calls.get(i), base + i, hop).settle(new Outcome(text, true, true, "complete", 0, null));
        }
    }

    void run(TurnState state, int hop, List<ToolCall> calls) {
        int base = store.reservePositions(state.sessionId(), calls.size());
        Semaphore permits = new Semaphore(limits.parallelism());
        List<Slot> slots = new ArrayList<>();
        List<Future<?>> futures = new ArrayList<>();
        RunningTurn turn = state.turn();
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        for (int i = 0; i < calls.size(); i++) {
            Slot slot = new Slot(state, calls.get(i), base + i, hop);
            slots.add(slot);
            if (turn.isCancelled()) {
                continue;
            }
            ToolApprovals.CallRecord record = approvals.gate(state, slot.call);
            if (!record.ask() && !record.runs()) {
                slot.settle(refused(record));
                continue;
            }
            if (record.ask()) {
                // Waits for the person without a permit, so the calls that need no approval run meanwhile.
                Future<?> future = executor.submit(() -> {
                    withMdc(mdc);
                    try {
                        askThenRun(state, slot, record, permits);
                    } finally {
                        MDC.clear();
                    }
                });
                futures.add(future);
                turn.track(future);
                continue;
            }
            if (!acquire(permits)) {
                continue;
            }
            // Announced by the turn's thread as each call is handed over, so events follow tool_calls order.
            state.events().emit(new ChatStreamEvent.ToolStarted(slot.call.name(), slot.call.id(), hop));
            Future<?> future = executor.submit(() -> {
                withMdc(mdc);
                try {
                    runCall(state, slot, record);
                } finally {
                    permits.release();
                    MDC.clear();
                }
            });
            futures.add(future);
            turn.track(future);
        }
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (ExecutionException | CancellationException e) {
                // An unsettled call gets its cancelled result below.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                turn.untrack(future);
            }
        }
        for (Slot slot : slots) {
            slot.settle(Outcome.cancelled());
        }
        for (Slot slot : slots) {
            slot.awaitWritten();
        }
    }

    private static boolean acquire(Semaphore permits) {
        try {
            permits.acquire();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs one call on this (tool) thread and settles its slot. */
    private void runCall(TurnState state, Slot slot, ToolApprovals.CallRecord record) {
        RunningTurn turn = state.turn();
        long t0 = System.nanoTime();
        Outcome outcome;
        try {
            outcome = execute(state, slot.call, record);
        } finally {
            turn.decisions().cancelElicitations(slot.call.id());
        }
        metrics.toolCalls.update(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        // A cancel interrupts this worker; the flag must not break the event write that follows.
        Thread.interrupted();
        slot.settle(turn.isCancelled() ? Outcome.cancelled() : outcome);
    }

    /** A call whose policy is {@code ask}: the approval first (docs/api.md §3.7), then, if allowed, the call. */
    private void askThenRun(TurnState state, Slot slot, ToolApprovals.CallRecord record, Semaphore permits) {
        RunningTurn turn = state.turn();
        try {
            approvals.await(state, slot.call, record);
        } catch (InterruptedException e) {
            Thread.interrupted();
            slot.settle(Outcome.cancelled());
            return;
        }
        if (!record.runs()) {
            Thread.interrupted();
            slot.settle(turn.isCancelled() ? Outcome.cancelled() : refused(record));
            return;
        }
        if (turn.isCancelled() || !acquire(permits)) {
            Thread.interrupted();
            slot.settle(Outcome.cancelled());
            return;
        }
        try {
            state.events().emit(new ChatStreamEvent.ToolStarted(slot.call.name(), slot.call.id(), slot.hop));
            runCall(state, slot, record);
        } finally {
            permits.release();
        }
    }

    private static Outcome refused(ToolApprovals.CallRecord record) {
        return new Outcome(ToolApprovals.refusal(record), true, true, "complete", 0, record.metaJson());
    }

    private Outcome execute(TurnState state, ToolCall call, ToolApprovals.CallRecord record) {
        long t0 = System.nanoTime();
        ToolRegistry.ToolResult result = invoke(state, call, record);
        if (result == null) {
            return Outcome.cancelled();
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        return new Outcome(truncate(result.text()), result.isError(), false, "complete", millis, record.metaJson());
    }

    /** The tool's result, an error result the model can read, or null when the call was cancelled. */
    private ToolRegistry.ToolResult invoke(TurnState state, ToolCall call, ToolApprovals.CallRecord record) {
        String args = call.arguments() == null ? "" : call.arguments();
        if (args.getBytes(StandardCharsets.UTF_8).length > limits.argumentsMaxBytes()) {
            return error("Arguments for tool " + call.name() + " exceed " + limits.argumentsMaxBytes() + " bytes.");
        }
        JsonNode parsed;
        try {
            parsed = args.isBlank() ? mapper.createObjectNode() : mapper.readTree(args);
        } catch (IOException e) {
            String reason = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            return error("Invalid JSON arguments for tool " + call.name() + ": " + reason);
        }
        if (parsed == null || !parsed.isObject()) {
            String type = parsed == null ? "nothing" : parsed.getNodeType().name().toLowerCase(Locale.ROOT);
            return error("Tool " + call.name() + " expected a JSON object for arguments but received " + type + ".");
        }
        ToolRegistry.ToolContext context = new ToolRegistry.ToolContext(state.sessionId(), state.turnId(), zone,
                approvals.elicitor(state, call, record));
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        Future<ToolRegistry.ToolResult> future = executor.submit(() -> {
            withMdc(mdc);
            try {
                return tools.call(call.name(), parsed, context);
            } finally {
                MDC.clear();
            }
        });
        // A server with its own timeout answers "timed out" itself (and sends the MCP cancellation); the outer
        // limit then only backstops it.
        Optional<Duration> own = tools.callTimeout(call.name());
        long timeoutMillis = own.map(d -> d.toMillis() + 1_000).orElse(limits.callTimeout().toMillis());
        try {
            // The limit pauses while the server waits for the person's input (docs/api.md §3.7).
            return record.deadline.await(future, TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
        } catch (TimeoutException e) {
            future.cancel(true);
            metrics.toolTimeouts.mark();
            return error("Tool " + call.name() + " timed out after " + (timeoutMillis / 1000) + " s.");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return error("Tool error: " + cause.getMessage());
        }
    }

    private String truncate(String text) {
        String value = text == null ? "" : text;
        int max = limits.resultMaxChars();
        if (value.length() <= max) {
            return value;
        }
        return value.substring(0, max) + "\n…[truncated: " + value.length() + " characters, first " + max + " shown]";
    }

    private static ToolRegistry.ToolResult error(String text) {
        return new ToolRegistry.ToolResult(text, true);
    }

    private static void withMdc(Map<String, String> mdc) {
        if (mdc != null) {
            MDC.setContextMap(mdc);
        }
    }
}
