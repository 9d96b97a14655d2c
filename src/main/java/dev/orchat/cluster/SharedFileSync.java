package dev.orchat.cluster;

import dev.orchat.db.Database;
import dev.orchat.db.Timestamps;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a configuration file that the API edits (the MCP server list) the same on every instance
 * (docs/operations.md, "Several instances"). The file stays the source each instance reads; the database holds
 * the newest copy with a version. Every second each instance compares: a local change (an edit through this
 * instance's API, or by hand) is published as the next version; a newer version published elsewhere replaces the
 * local file atomically and {@code onChange} reloads it. Concurrent edits on two instances: the later publication
 * wins. PostgreSQL only; a single SQLite instance needs none of this.
 */
final class SharedFileSync implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(SharedFileSync.class);
    private static final long INTERVAL_MILLIS = 1000;
    private final String name;
    private final Path file;
    private final Runnable onChange;
    private final Database db;
    private final String instanceId;
    private final Clock clock;
    /** The content this instance last published or applied, and its version. */
    private String synced;
    private long version = -1;
    private ScheduledExecutorService scheduler;

    SharedFileSync(String name, Path file, Runnable onChange, Database db, String instanceId, Clock clock) {
        this.name = name;
        this.file = file;
        this.onChange = onChange;
        this.db = db;
        this.instanceId = instanceId;
        this.clock = clock;
    }

    record Shared(String body, long version) {
    }

    @Override
    public void start() {
        scheduler = Daemons.scheduler("shared-file-" + name);
        scheduler.scheduleWithFixedDelay(this::syncQuietly, 0, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() throws InterruptedException {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
        }
    }

    private void syncQuietly() {
        try {
            sync();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Sharing {} with the other instances failed: {}", name, e.getClass().getSimpleName());
        }
    }

    /** One comparison of the local file, the shared copy and what this instance last saw. */
    synchronized void sync() throws IOException {
        String local = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
        Optional<Shared> shared = db.read(h -> h.handle()
                .createQuery("SELECT body, version FROM shared_files WHERE name = :name").bind("name", name)
                .map((rs, ctx) -> new Shared(rs.getString("body"), rs.getLong("version"))).findOne());
        if (shared.isPresent() && shared.get().version() > version && !shared.get().body().equals(local)
                && (synced == null || local == null || local.equals(synced))) {
            apply(shared.get());
            return;
        }
        if (shared.isPresent() && shared.get().version() > version) {
            // Same content, or a first look at start with a local edit pending below: note the version.
            version = shared.get().version();
            if (shared.get().body().equals(local)) {
                synced = local;
                return;
            }
        }
        if (local != null && !local.equals(synced)) {
            publish(local, shared.map(Shared::version).orElse(0L));
        }
    }

    private void apply(Shared shared) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".sync.tmp");
        Files.writeString(tmp, shared.body(), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        synced = shared.body();
        version = shared.version();
        LOG.info("{} changed on another instance (version {}); reloading", name, version);
        onChange.run();
    }

    private void publish(String body, long seen) {
        long next = seen + 1;
        String now = Timestamps.format(clock.instant());
        int changed = db.write(h -> {
            int updated = h.handle().createUpdate("UPDATE shared_files SET body = :body, version = :next,"
                            + " updated_at = :now, updated_by = :by WHERE name = :name AND version = :seen")
                    .bind("body", body).bind("next", next).bind("now", now).bind("by", instanceId)
                    .bind("name", name).bind("seen", seen).execute();
            if (updated == 0 && seen == 0) {
                updated = h.handle().createUpdate("INSERT INTO shared_files (name, body, version, updated_at,"
                                + " updated_by) VALUES (:name, :body, 1, :now, :by) ON CONFLICT (name) DO NOTHING")
                        .bind("name", name).bind("body", body).bind("now", now).bind("by", instanceId).execute();
            }
            return updated;
        });
        if (changed > 0) {
            synced = body;
            version = next;
        }
        // Otherwise another instance published first: the next round applies or re-publishes.
    }
}
