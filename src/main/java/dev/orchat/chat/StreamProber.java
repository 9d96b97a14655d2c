package dev.orchat.chat;

import dev.orchat.db.Timestamps;
import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread for all open streams: writes the keep-alive comment after {@code chat.keepAliveInterval} of
 * quiet, and an empty comment after {@code chat.disconnectProbeInterval} of quiet, because a write is the only
 * reliable way to learn that a client left while the upstream or a tool is silent (docs/api.md §3.5).
 */
public final class StreamProber implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(StreamProber.class);
    private final TurnRegistry registry;
    private final long probeNanos;
    private final long keepAliveNanos;
    private final Clock clock;
    private ScheduledExecutorService scheduler;

    public StreamProber(TurnRegistry registry, ChatFactory config, Clock clock) {
        this.registry = registry;
        this.probeNanos = TimeUnit.MILLISECONDS.toNanos(config.getDisconnectProbeInterval().toMilliseconds());
        this.keepAliveNanos = TimeUnit.MILLISECONDS.toNanos(config.getKeepAliveInterval().toMilliseconds());
        this.clock = clock;
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sse-prober");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(10, TimeUnit.NANOSECONDS.toMillis(Math.min(probeNanos, keepAliveNanos)) / 2);
        scheduler.scheduleWithFixedDelay(this::probeAll, period, period, TimeUnit.MILLISECONDS);
    }

    void probeAll() {
        try {
            for (RunningTurn turn : registry.all()) {
                TurnEventLog log = turn.log();
                if (log == null || turn.isCancelled()) {
                    continue;
                }
                for (EventStream events : log.clients()) {
                    // Chunks flowing make both comments unnecessary; a quiet stream gets the ping on its cadence
                    // and the empty probe comment in between.
                    boolean quiet = events.nanosSinceLastWrite() >= probeNanos;
                    boolean alive = !quiet || (events.nanosSinceLastPing() >= keepAliveNanos
                            ? events.ping("ping " + Timestamps.format(clock.instant()))
                            : events.probe("", probeNanos));
                    if (!alive) {
                        log.detach(events);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Stream probe failed", e);
        }
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
