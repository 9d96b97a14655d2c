package dev.orchat.cluster;

import io.dropwizard.lifecycle.Managed;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a change that another instance made to shared state this instance keeps derived views of (the Google
 * connection: connected here, so the Gmail tools appear there too), by reading a small fingerprint of it every
 * second and running {@code onChange} when it differs (docs/operations.md, "Several instances").
 */
final class StateFollower implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(StateFollower.class);
    private final String name;
    private final Supplier<?> fingerprint;
    private final Runnable onChange;
    private Object last;
    private ScheduledExecutorService scheduler;

    StateFollower(String name, Supplier<?> fingerprint, Runnable onChange) {
        this.name = name;
        this.fingerprint = fingerprint;
        this.onChange = onChange;
    }

    @Override
    public void start() {
        last = fingerprint.get();
        scheduler = Daemons.scheduler("follow-" + name);
        scheduler.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
    }

    private void check() {
        try {
            Object now = fingerprint.get();
            if (!Objects.equals(now, last)) {
                last = now;
                onChange.run();
            }
        } catch (RuntimeException e) {
            LOG.warn("Following {} failed: {}", name, e.getClass().getSimpleName());
        }
    }

    @Override
    public void stop() throws InterruptedException {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
        }
    }
}
