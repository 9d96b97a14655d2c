package dev.orchat.chat;

import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event logs of running turns and of turns that ended less than {@code chat.replayRetention} ago, by turn id
 * (docs/api.md §3.6). Also the detach policy: when the last client of a running turn leaves, the turn is cancelled
 * at once ({@code chat.detachGrace: 0s}) or, if no client attached meanwhile, when the grace has passed.
 */
final class TurnLogs implements Managed, TurnEventLog.DetachPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(TurnLogs.class);
    private final Map<String, TurnEventLog> byTurn = new ConcurrentHashMap<>();
    private final java.util.Deque<TurnEventLog> ended = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private final java.util.concurrent.atomic.AtomicLong endedBytes = new java.util.concurrent.atomic.AtomicLong();
    private final Duration grace;
    private final Duration retention;
    private final long endedBudgetBytes;
    private ScheduledExecutorService timers;

    /** @param endedBudgetBytes what the logs of ended turns may hold in all; the oldest go first beyond it */
    TurnLogs(Duration grace, Duration retention, long endedBudgetBytes) {
        this.grace = grace;
        this.retention = retention;
        this.endedBudgetBytes = endedBudgetBytes;
    }

    void register(String turnId, TurnEventLog log) {
        byTurn.put(turnId, log);
    }

    Optional<TurnEventLog> find(String turnId) {
        return Optional.ofNullable(byTurn.get(turnId));
    }

    @Override
    public void lastClientLeft(TurnEventLog log) {
        if (log.turn().awaitingApproval()) {
            // A turn waiting for the person is never cancelled for want of a client; the grace starts again
            // from the decision (TurnEventLog#decisionsSettled, docs/api.md §3.7).
            LOG.info("Turn {} has no client while it waits for a decision; it keeps waiting", log.turn().turnId());
            return;
        }
        if (grace.isZero() || timers == null) {
            log.turn().cancel(CancelReason.CLIENT_DISCONNECT);
            return;
        }
        LOG.info("Turn {} has no client; it keeps running for {} s", log.turn().turnId(), grace.toSeconds());
        timers.schedule(() -> {
            if (!log.hasClients() && !log.isEnded() && !log.turn().awaitingApproval()
                    && log.turn().cancel(CancelReason.DETACHED)) {
                LOG.info("Turn {} cancelled: no client attached within the grace", log.turn().turnId());
            }
        }, grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void turnEnded(TurnEventLog log) {
        ended.addLast(log);
        endedBytes.addAndGet(log.retainedBytes());
        while (endedBytes.get() > endedBudgetBytes) {
            TurnEventLog oldest = ended.pollFirst();
            if (oldest == null) {
                break;
            }
            forget(oldest);
        }
    }

    /** Drops the logs of turns that ended more than the retention ago (ended turns are queued in end order). */
    void sweep() {
        long now = System.nanoTime();
        for (TurnEventLog oldest = ended.peekFirst(); oldest != null && now - oldest.endedNanos() > retention.toNanos();
             oldest = ended.peekFirst()) {
            if (ended.remove(oldest)) {
                forget(oldest);
            }
        }
    }

    private void forget(TurnEventLog log) {
        endedBytes.addAndGet(-log.retainedBytes());
        byTurn.remove(log.turn().turnId(), log);
    }

    @Override
    public void start() {
        timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "turn-logs");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(100, Math.min(retention.toMillis() / 4, 10_000));
        timers.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (timers != null) {
            timers.shutdownNow();
        }
    }
}
