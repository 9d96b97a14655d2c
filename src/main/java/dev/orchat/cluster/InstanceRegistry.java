package dev.orchat.cluster;

import dev.orchat.conversation.ConversationStore;
import dev.orchat.db.Database;
import dev.orchat.db.Timestamps;
import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process in the {@code instances} table (docs/operations.md, "Several instances"): registered at start with
 * a lease, renewed every heartbeat, removed at a clean stop. On the same thread it repairs the running turns of
 * instances whose lease ended (under a cluster-wide lock, so two survivors never repair a turn twice) and looks up
 * cancels that other instances recorded for this one's turns: every {@code pollInterval} when notifications are
 * not delivered, every few seconds as a safety net when they are.
 */
final class InstanceRegistry implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceRegistry.class);
    private static final Duration FORGET_AFTER = Duration.ofHours(1);
    private static final long SAFETY_POLL_NANOS = TimeUnit.SECONDS.toNanos(2);
    private final String id;
    private final String host;
    private final Database db;
    private final ClusterFactory config;
    private final Clock clock;
    private final ConversationStore store;
    private final Consumer<String> onCancelRequested;
    private final BooleanSupplier notificationsDelivered;
    private volatile String advertiseUrl;
    private volatile Instant lastRenewal;
    private volatile long lastPollNanos;
    private ScheduledExecutorService scheduler;

    record Parts(ConversationStore store, Consumer<String> onCancelRequested, BooleanSupplier notificationsDelivered) {
    }

    InstanceRegistry(String id, Database db, ClusterFactory config, Clock clock, Parts parts) {
        this.id = id;
        this.host = hostName();
        this.db = db;
        this.config = config;
        this.clock = clock;
        this.store = parts.store();
        this.onCancelRequested = parts.onCancelRequested();
        this.notificationsDelivered = parts.notificationsDelivered();
    }

    /** Registers now, before the store starts turns under this id (the owner must be known to the others). */
    void register() {
        Instant now = clock.instant();
        db.write(h -> {
            h.dao(InstanceDao.class).register(id, host, advertiseUrl, ts(now), ts(now.plus(config.lease())));
            return null;
        });
        lastRenewal = now;
    }

    /** The URL the others use to reach this instance, once the server knows its port. */
    void advertise(String url) {
        this.advertiseUrl = url;
        renew();
    }

    Instant lastRenewal() {
        return lastRenewal;
    }

    int liveInstances() {
        return db.read(h -> h.dao(InstanceDao.class).live(ts(clock.instant())));
    }

    @Override
    public void start() {
        scheduler = Daemons.scheduler("cluster-heartbeat");
        long heartbeat = config.heartbeat().toMillis();
        scheduler.scheduleWithFixedDelay(this::heartbeat, heartbeat, heartbeat, TimeUnit.MILLISECONDS);
        if (db.isPostgres()) {
            // One SQLite instance has no peers to ask it for a cancel.
            long poll = Math.max(50, config.pollInterval().toMillis());
            scheduler.scheduleWithFixedDelay(this::pollCancels, poll, poll, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void stop() throws InterruptedException {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
        }
        try {
            db.write(h -> {
                h.dao(InstanceDao.class).remove(id);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("Could not remove this instance from the registry; its lease will end on its own");
        }
    }

    private void heartbeat() {
        try {
            renew();
            if (db.isPostgres()) {
                reap(); // on SQLite every running turn is this instance's own
            }
        } catch (RuntimeException e) {
            LOG.warn("Instance heartbeat failed: {}", e.getClass().getSimpleName());
        }
    }

    private void renew() {
        Instant now = clock.instant();
        boolean renewed = db.write(h -> {
            InstanceDao dao = h.dao(InstanceDao.class);
            if (dao.renew(id, advertiseUrl, ts(now), ts(now.plus(config.lease()))) == 0) {
                // Forgotten by another instance after a long pause: register again under the same id.
                dao.register(id, host, advertiseUrl, ts(now), ts(now.plus(config.lease())));
            }
            return true;
        });
        if (renewed) {
            lastRenewal = now;
        }
    }

    /** Repairs the turns of instances whose lease ended, and forgets instances gone for an hour. */
    void reap() {
        int repaired = store.recoverOrphanedTurns(h -> db.tryTransactionLock(h, "reaper"));
        if (repaired > 0) {
            LOG.warn("Repaired {} running turn(s) of instances whose lease ended", repaired);
        }
        db.write(h -> h.dao(InstanceDao.class).forget(ts(clock.instant().minus(FORGET_AFTER))));
    }

    private void pollCancels() {
        long now = System.nanoTime();
        if (notificationsDelivered.getAsBoolean() && now - lastPollNanos < SAFETY_POLL_NANOS) {
            return;
        }
        lastPollNanos = now;
        try {
            for (var turn : store.cancelsRequestedOf(id)) {
                onCancelRequested.accept(turn.turnId());
            }
        } catch (RuntimeException e) {
            LOG.warn("Looking up cancels asked for elsewhere failed: {}", e.getClass().getSimpleName());
        }
    }

    private static String ts(Instant instant) {
        return Timestamps.format(instant);
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown";
        }
    }
}
