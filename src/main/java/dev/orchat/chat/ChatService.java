package dev.orchat.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.conversation.ActiveTurns;
import dev.orchat.web.ClientDisconnects;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Starts, cancels and reports turns. A turn is admitted synchronously (every 4xx before the stream opens), then
 * handed to its {@link TurnLoop} on the relay executor (docs/architecture.md, "One turn").
 */
public final class ChatService implements ActiveTurns {
    private final TurnAdmission admission;
    private final TurnLoop loop;
    private final TurnRegistry registry;
    private final ExecutorService relays;
    private final ChatMetrics metrics;
    private final ObjectMapper mapper;

    ChatService(TurnAdmission admission, TurnLoop loop, TurnRegistry registry, ExecutorService relays,
                ChatMetrics metrics, ObjectMapper mapper) {
        this.admission = admission;
        this.loop = loop;
        this.registry = registry;
        this.relays = relays;
        this.metrics = metrics;
        this.mapper = mapper;
    }

    /**
     * Starts a turn.
     *
     * @param clientWatch arms a watch that runs its argument when the client is known to be gone; the watch is
     *                    stopped just before the stream closes
     */
    public void start(byte[] body, SseEventSink sink, Sse sse, String requestId,
                      Function<Runnable, ClientDisconnects.Watch> clientWatch) {
        TurnAdmission.Admitted turn = admission.admit(body);
        metrics.started.mark();
        EventStream stream = new EventStream(sink, sse);
        RunningTurn running = turn.turn();
        running.attachEvents(stream);
        ClientDisconnects.Watch watch = clientWatch.apply(() -> running.cancel(CancelReason.CLIENT_DISCONNECT));
        TurnState state = new TurnState(running, new TurnEvents(stream, running, mapper, watch), turn.request(),
                turn.model(), turn.settings());
        try {
            relays.execute(() -> loop.run(state, turn.session(), requestId));
        } catch (RejectedExecutionException e) {
            // Shutting down: the turn is stored, so close it properly rather than leave it running.
            turn.turn().cancel(CancelReason.SHUTDOWN);
            loop.run(state, turn.session(), requestId);
        }
    }

    /**
     * Starts a turn for another front door (docs/api.md, "OpenAI-compatible API"): admitted like a chat-stream
     * turn (the same 4xx checks, the same store), run by the same loop, its events delivered to {@code output}
     * instead of the chat stream's SSE.
     *
     * @param body    a chat-stream request body (docs/api.md, "POST /api/chat/stream"): the messages to store
     * @return the running turn, already handed to the relay executor
     */
    public RunningTurn start(byte[] body, TurnOptions options, TurnOutput output, String requestId,
                             Function<Runnable, ClientDisconnects.Watch> clientWatch) {
        TurnAdmission.Admitted turn = admission.admit(body);
        metrics.started.mark();
        RunningTurn running = turn.turn();
        ClientDisconnects.Watch watch = clientWatch.apply(() -> running.cancel(CancelReason.CLIENT_DISCONNECT));
        TurnState state = new TurnState(running, new TurnEvents(output, running, watch), turn.request(),
                turn.model(), turn.settings(), options);
        try {
            relays.execute(() -> loop.run(state, turn.session(), requestId));
        } catch (RejectedExecutionException e) {
            running.cancel(CancelReason.SHUTDOWN);
            loop.run(state, turn.session(), requestId);
        }
        return running;
    }

    /** Cancels the running turn of a session for the cancel route; waits for its final state (≤ 5 s). */
    public Map<String, Object> cancel(String sessionId) {
        var turn = registry.find(sessionId);
        if (turn.isEmpty()) {
            Map<String, Object> out = new HashMap<>();
            out.put("session_id", sessionId);
            out.put("turn_id", null);
            out.put("cancelled", false);
            return out;
        }
        turn.get().cancel(CancelReason.USER_CANCEL);
        await(turn.get(), Duration.ofSeconds(5));
        return Map.of("session_id", sessionId, "turn_id", turn.get().turnId(), "cancelled", true);
    }

    /** Shutdown: cancel every turn, wait at most {@code wait} for all of them. */
    public void cancelAll(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        for (RunningTurn turn : registry.all()) {
            turn.cancel(CancelReason.SHUTDOWN);
        }
        for (RunningTurn turn : registry.all()) {
            await(turn, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
    }

    @Override
    public boolean isRunning(String sessionId) {
        return registry.find(sessionId).isPresent();
    }

    @Override
    public void cancelForDeletion(String sessionId, Duration wait) {
        registry.find(sessionId).ifPresent(turn -> {
            turn.cancel(CancelReason.SESSION_DELETED);
            await(turn, wait);
        });
    }

    private static void await(RunningTurn turn, Duration wait) {
        try {
            turn.finished().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | ExecutionException e) {
            // Reported by the caller's view of the turn; nothing else to do.
        }
    }
}
