package dev.orchat.cluster;

import dev.orchat.chat.CancelReason;
import dev.orchat.chat.TurnPeers;
import dev.orchat.conversation.ConversationStore;
import dev.orchat.db.Database;
import dev.orchat.db.DatabaseFactory;
import io.dropwizard.core.setup.Environment;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * This instance among the others on one database (docs/operations.md, "Several instances"): its id and lease,
 * start-up recovery that leaves live instances' turns alone, and the chat feature's view of turns running
 * elsewhere ({@link TurnPeers}). On SQLite the same code runs with one instance: every running turn found at start
 * was this instance's, and there are no peers.
 */
public final class Cluster implements TurnPeers {
    private final String id;
    private final ClusterFactory config;
    private final Environment env;
    private final Database db;
    private final Clock clock;
    private final ControlChannel channel;
    private volatile ConversationStore store;
    private volatile InstanceRegistry registry;
    private volatile CancelHandler cancels = (session, turn, reason) -> { };

    /** Where a cancel asked for elsewhere goes: the chat feature's running turn, if it is here. */
    public interface CancelHandler {
        void cancel(String sessionId, String turnId, String reason);
    }

    private Cluster(ClusterFactory config, Environment env, DatabaseFactory database, Database db, Clock clock) {
        this.id = UUID.randomUUID().toString();
        this.config = config;
        this.env = env;
        this.db = db;
        this.clock = clock;
        this.channel = db.isPostgres() && config.notificationsWanted()
                ? new ControlChannel(database.getUrl(), database.getUser(), database.getPassword(), db.jdbi(),
                        this::onNotification)
                : null;
    }

    static Cluster create(ClusterFactory config, Environment env, DatabaseFactory database, Database db,
                          Clock clock) {
        return new Cluster(config, env, database, db, clock);
    }

    /** This process's id: the owner recorded on the turns it starts. */
    public String instanceId() {
        return id;
    }

    /**
     * Registers this instance and repairs the turns no live instance owns, before any turn starts here; then
     * heartbeats, reaps and (PostgreSQL) listens as managed objects.
     */
    public int join(ConversationStore turnStore) {
        this.store = turnStore;
        InstanceRegistry r = new InstanceRegistry(id, db, config, clock, new InstanceRegistry.Parts(turnStore,
                this::onCancelRequested, () -> channel != null && channel.delivering()));
        r.register();
        this.registry = r;
        int repaired = db.isPostgres() ? turnStore.recoverOrphanedTurns(h -> db.tryTransactionLock(h, "reaper"))
                : turnStore.recoverInterruptedTurns();
        env.lifecycle().manage(r);
        if (channel != null) {
            env.lifecycle().manage(channel);
        }
        env.lifecycle().addServerLifecycleListener(new io.dropwizard.lifecycle.ServerLifecycleListener() {
            @Override
            public void serverStarted(org.eclipse.jetty.server.Server server) {
                r.advertise(config.advertiseUrl() != null ? config.advertiseUrl()
                        : "http://127.0.0.1:" + getLocalPort(server)); // the first connector: the application port
            }
        });
        env.healthChecks().register("cluster", new ClusterHealthCheck(this));
        return repaired;
    }

    /**
     * Keeps {@code file} (edited through the API on any instance) the same on every instance, reloading it with
     * {@code onChange} when another instance changed it; PostgreSQL only (docs/operations.md, "Several instances").
     */
    public void shareFile(String name, java.nio.file.Path file, Runnable onChange) {
        if (db.isPostgres()) {
            env.lifecycle().manage(new SharedFileSync(name, file, onChange, db, id, clock));
        }
    }

    /**
     * Runs {@code onChange} when the {@code fingerprint} of shared state changes, whichever instance changed it
     * (checked every second; PostgreSQL only).
     */
    public void follow(String name, java.util.function.Supplier<?> fingerprint, Runnable onChange) {
        if (db.isPostgres()) {
            env.lifecycle().manage(new StateFollower(name, fingerprint, onChange));
        }
    }

    /** Where cancels asked for on other instances are delivered (set once the chat feature exists). */
    public void deliverCancelsTo(CancelHandler handler) {
        this.cancels = handler;
    }

    @Override
    public Optional<PeerTurn> find(String turnId) {
        if (!db.isPostgres()) {
            return Optional.empty(); // one instance: no peers, no query
        }
        return peer(store.runningOwnership(turnId));
    }

    @Override
    public Optional<PeerTurn> runningTurnOf(String sessionId) {
        if (!db.isPostgres()) {
            return Optional.empty();
        }
        return peer(store.runningTurnOf(sessionId));
    }

    @Override
    public boolean requestCancel(PeerTurn turn, CancelReason reason) {
        if (!store.requestCancel(turn.turnId(), reason.wireName())) {
            return false;
        }
        if (channel != null) {
            try {
                channel.send("cancel:" + turn.turnId());
            } catch (RuntimeException e) {
                // Recorded in the table: the owner's poll finds it.
            }
        }
        return true;
    }

    @Override
    public boolean stillRunning(String turnId) {
        return store.runningOwnership(turnId).isPresent();
    }

    /** Only a live instance other than this one counts as a peer; a dead owner's turn waits for the reaper. */
    private Optional<PeerTurn> peer(Optional<dev.orchat.conversation.TurnDao.Ownership> owner) {
        return owner.filter(o -> o.ownerLive() && o.ownerInstance() != null && !o.ownerInstance().equals(id)
                        && o.ownerUrl() != null)
                .map(o -> new PeerTurn(o.turnId(), o.sessionId(), o.ownerUrl()));
    }

    private void onNotification(String payload) {
        if (payload.startsWith("cancel:")) {
            onCancelRequested(payload.substring("cancel:".length()));
        }
    }

    private void onCancelRequested(String turnId) {
        store.runningOwnership(turnId).filter(o -> id.equals(o.ownerInstance()) && o.cancelRequested() != null)
                .ifPresent(o -> cancels.cancel(o.sessionId(), o.turnId(), o.cancelRequested()));
    }

    boolean postgres() {
        return db.isPostgres();
    }

    String notificationState() {
        if (!db.isPostgres()) {
            return "not needed (SQLite: one instance)";
        }
        return channel == null ? "polling (cluster.notifications: polling)" : channel.state();
    }

    InstanceRegistry registry() {
        return registry;
    }

    ClusterFactory config() {
        return config;
    }

    Clock clock() {
        return clock;
    }
}
