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
    private final TurnLogs logs;
    private final ExecutorService relays;
    private final ChatMetrics metrics;
    private final ObjectMapper mapper;
    private final long replayBufferBytes;
    private final TurnPeers peers;
    private final PeerRelay peerRelay;

    /** How a turn's events are kept for replay (docs/configuration.md, {@code chat.replayBufferBytes}). */
    record Replay(ObjectMapper mapper, long bufferBytes) {
    }

    ChatService(TurnAdmission admission, TurnLoop loop, TurnRegistry registry, TurnLogs logs, ExecutorService relays,
                ChatMetrics metrics, Replay replay, TurnPeers peers) {
        this.admission = admission;
        this.loop = loop;
        this.registry = registry;
        this.logs = logs;
        this.relays = relays;
        this.metrics = metrics;
        this.mapper = replay.mapper();
        this.replayBufferBytes = replay.bufferBytes();
        this.peers = peers;
        this.peerRelay = new PeerRelay(relays);
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
        RunningTurn running = turn.turn();
        TurnEventLog log = new TurnEventLog(running, replayBufferBytes, logs, new ReplaySnapshot(mapper));
        running.attachLog(log);
        logs.register(running.turnId(), log);
        EventStream stream = new EventStream(sink, sse);
        stream.watchWith(clientWatch.apply(() -> log.detach(stream)));
        log.attachLive(stream);
        TurnState state = new TurnState(running, new TurnEvents(log, running, mapper), turn.request(),
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
     * Starts a turn for another front door (docs/api.md §5, the OpenAI-compatible API): admitted like a chat-stream
     * turn (the same 4xx checks, the same store), run by the same loop, its events delivered to {@code output}
     * instead of an event log: such a turn is not resumable (no {@code GET /api/chat/turns/{id}/events}, not
     * probed by the {@link StreamProber}, not reported as the session's running turn), and its client leaving
     * cancels it at once, as {@code client_disconnect} (docs/architecture.md §4.4).
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

    /**
     * Attaches a client to a turn's events after {@code afterId} (docs/api.md §3.6): replayed, then live until the
     * turn ends. False when this process holds no events of that turn (never seen, or past the retention).
     */
    public boolean attach(String turnId, int afterId, SseEventSink sink, Sse sse, String authorization,
                          Function<Runnable, ClientDisconnects.Watch> clientWatch) {
        var log = logs.find(turnId);
        if (log.isEmpty()) {
            // Another instance may run it (docs/operations.md, "Several instances"): follow it there.
            var peer = peers.find(turnId);
            if (peer.isEmpty()) {
                return false;
            }
            peerRelay.follow(peer.get(), afterId, authorization, sink, sse, clientWatch);
            return true;
        }
        EventStream stream = new EventStream(sink, sse);
        stream.watchWith(clientWatch.apply(() -> log.get().detach(stream)));
        log.get().attach(stream, afterId);
        return true;
    }

    @Override
    public java.util.Optional<RunningTurnView> runningTurn(String sessionId) {
        var here = registry.find(sessionId).filter(t -> t.log() != null)
                .map(t -> new RunningTurnView(t.turnId(), t.log().lastId(),
                        t.awaitingApproval() ? "awaiting_approval" : "running"));
        if (here.isPresent() || registry.find(sessionId).isPresent()) {
            return here;
        }
        // Running on another instance: the client attaches here and is relayed there (last id unknown here: 0).
        return peers.runningTurnOf(sessionId).map(t -> new RunningTurnView(t.turnId(), 0, "running"));
    }

    /** Cancels the running turn of a session for the cancel route; waits for its final state (≤ 5 s). */
    public Map<String, Object> cancel(String sessionId) {
        var turn = registry.find(sessionId);
        if (turn.isEmpty()) {
            var peer = peers.runningTurnOf(sessionId);
            if (peer.isPresent() && cancelElsewhere(peer.get(), CancelReason.USER_CANCEL, Duration.ofSeconds(5))) {
                return Map.of("session_id", sessionId, "turn_id", peer.get().turnId(), "cancelled", true);
            }
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
        return registry.find(sessionId).isPresent() || peers.runningTurnOf(sessionId).isPresent();
    }

    @Override
    public void cancelForDeletion(String sessionId, Duration wait) {
        var here = registry.find(sessionId);
        if (here.isPresent()) {
            here.get().cancel(CancelReason.SESSION_DELETED);
            await(here.get(), wait);
            return;
        }
        peers.runningTurnOf(sessionId).ifPresent(peer -> cancelElsewhere(peer, CancelReason.SESSION_DELETED, wait));
    }

    /**
     * A cancel that another instance asked for (through the shared database) on a turn this process runs.
     * Does nothing when the turn is not (or no longer) here.
     */
    public void cancelHere(String sessionId, String turnId, String reason) {
        registry.find(sessionId).filter(t -> t.turnId().equals(turnId)).ifPresent(t -> t.cancel(
                CancelReason.SESSION_DELETED.wireName().equals(reason) ? CancelReason.SESSION_DELETED
                        : CancelReason.USER_CANCEL));
    }

    /** Asks the owner instance to cancel and waits (polling the store) until the turn has ended or {@code wait}. */
    private boolean cancelElsewhere(TurnPeers.PeerTurn turn, CancelReason reason, Duration wait) {
        if (!peers.requestCancel(turn, reason)) {
            return false;
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (peers.stillRunning(turn.turnId()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return true;
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
