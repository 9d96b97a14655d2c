package dev.orchat.cluster;

import io.dropwizard.lifecycle.Managed;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL {@code LISTEN/NOTIFY} between instances (docs/operations.md, "Several instances"): payloads carry ids
 * only ({@code cancel:<turn id>}, {@code file:<name>}); what to do is read from the shared tables, so a lost
 * notification delays an action until the next poll but never loses it. At start the channel sends itself a probe;
 * when the probe does not come back (a transaction-pooling proxy such as PgBouncer in transaction mode drops
 * LISTEN), it reports {@link #delivering()} false and the registry polls at {@code cluster.pollInterval} instead.
 */
final class ControlChannel implements Managed {
    static final String CHANNEL = "orchat_control";
    private static final Logger LOG = LoggerFactory.getLogger(ControlChannel.class);
    private static final int WAIT_MILLIS = 250;
    private final String url;
    private final Properties credentials;
    private final Jdbi jdbi;
    private final Consumer<String> handler;
    private final String probe = "probe:" + UUID.randomUUID();
    private final CountDownLatch probed = new CountDownLatch(1);
    private volatile boolean running;
    private volatile boolean delivering;
    private volatile String state = "starting";
    private Thread thread;

    ControlChannel(String url, String user, String password, Jdbi jdbi, Consumer<String> handler) {
        this.url = url;
        this.credentials = new Properties();
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        this.jdbi = jdbi;
        this.handler = handler;
    }

    /** Sends {@code payload} to every instance listening (this one included); delivered at commit. */
    void send(String payload) {
        jdbi.useHandle(h -> h.createQuery("SELECT pg_notify(:channel, :payload)").bind("channel", CHANNEL)
                .bind("payload", payload).mapTo(String.class).findFirst());
    }

    boolean delivering() {
        return delivering;
    }

    /** What the health check says about the notification path. */
    String state() {
        return state;
    }

    @Override
    public void start() throws InterruptedException {
        running = true;
        thread = new Thread(this::listen, "pg-listen");
        thread.setDaemon(true);
        thread.start();
        // The self-probe: LISTEN must be in place before the probe is sent, so wait for the first connection.
        for (int i = 0; i < 40 && "starting".equals(state); i++) {
            Thread.sleep(50);
        }
        try {
            send(probe);
        } catch (RuntimeException e) {
            state = "polling: the probe notification could not be sent (" + e.getClass().getSimpleName() + ")";
            return;
        }
        if (probed.await(2, TimeUnit.SECONDS)) {
            delivering = true;
            state = "listen/notify";
        } else {
            state = "polling: a notification sent at start was not delivered back (a transaction-pooling proxy"
                    + " such as PgBouncer drops LISTEN); cancels and changes are polled instead";
            LOG.warn("PostgreSQL notifications are not delivered; falling back to polling");
        }
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(2_000);
        }
    }

    private void listen() {
        long backoff = 200;
        while (running) {
            try (Connection c = DriverManager.getConnection(url, credentials); Statement st = c.createStatement()) {
                st.execute("LISTEN " + CHANNEL);
                if ("starting".equals(state) || state.startsWith("reconnecting")) {
                    state = delivering ? "listen/notify" : "listening";
                }
                backoff = 200;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notes = pg.getNotifications(WAIT_MILLIS);
                    if (notes == null) {
                        continue;
                    }
                    for (PGNotification note : notes) {
                        dispatch(note.getParameter());
                    }
                }
            } catch (SQLException e) {
                if (!running) {
                    return;
                }
                state = "reconnecting: " + e.getClass().getSimpleName() + " (cancels are polled meanwhile)";
                LOG.warn("The PostgreSQL notification connection failed; reconnecting in {} ms", backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    private void dispatch(String payload) {
        if (probe.equals(payload)) {
            probed.countDown();
            return;
        }
        try {
            handler.accept(payload);
        } catch (RuntimeException e) {
            LOG.warn("A control notification could not be handled", e);
        }
    }
}
