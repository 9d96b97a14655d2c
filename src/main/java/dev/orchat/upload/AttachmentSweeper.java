package dev.orchat.upload;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import dev.orchat.db.Database;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retention sweep (docs/api.md §2.21): expired attachments, rows whose file is gone, files no row references and
 * folders of deleted sessions. Runs 10 minutes after start, daily at {@code attachments.sweepTime} in the user's
 * zone, and on demand through the {@code attachments-retention} task. One failing item is logged and skipped.
 */
public final class AttachmentSweeper implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(AttachmentSweeper.class);
    private static final Duration FIRST_RUN = Duration.ofMinutes(10);

    /** What one sweep deleted (or, in a dry run, would delete). */
    public record Report(int expired, int missingFiles, int orphanFiles, int deletedSessionDirs, long bytes,
                         boolean dryRun) {
        @Override
        public String toString() {
            return "expired=" + expired + " missing_files=" + missingFiles + " orphan_files=" + orphanFiles
                    + " deleted_session_dirs=" + deletedSessionDirs + " bytes=" + bytes + " dry_run=" + dryRun;
        }
    }

    private final Database store;
    private final AttachmentStorage storage;
    private final Duration grace;
    private final LocalTime sweepTime;
    private final ZoneId zone;
    private final Clock clock;
    private final Counter swept;
    private ScheduledExecutorService scheduler;

    public AttachmentSweeper(Database store, AttachmentStorage storage, AttachmentsFactory config, ZoneId zone,
                             Clock clock, MetricRegistry metrics) {
        this.store = store;
        this.storage = storage;
        this.grace = config.orphanGracePeriod();
        this.sweepTime = config.sweepTime();
        this.zone = zone;
        this.clock = clock;
        this.swept = metrics.counter("attachments.swept");
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "attachments-sweep");
            t.setDaemon(true);
            return t;
        });
        scheduler.schedule(this::scheduledRun, FIRST_RUN.toMillis(), TimeUnit.MILLISECONDS);
        scheduleDaily();
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private void scheduleDaily() {
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(zone));
        ZonedDateTime next = now.with(sweepTime);
        if (!next.isAfter(now)) {
            next = next.plusDays(1);
        }
        long delay = Duration.between(now, next).toMillis();
        scheduler.schedule(() -> {
            scheduledRun();
            scheduleDaily();
        }, delay, TimeUnit.MILLISECONDS);
    }

    private void scheduledRun() {
        try {
            // Several instances share the database and (documented) the uploads folder: one of them sweeps.
            if (!store.runExclusive("attachment-sweep", () -> LOG.info("Attachment sweep: {}", sweep(false)))) {
                LOG.info("Attachment sweep skipped: another instance is running it");
            }
        } catch (RuntimeException e) {
            LOG.warn("Attachment sweep failed: {}", e.toString());
        }
    }

    public synchronized Report sweep(boolean dryRun) {
        Instant now = clock.instant();
        String at = dev.orchat.db.Timestamps.format(now);
        int expired = 0;
        int missing = 0;
        long bytes = 0;
        Set<String> gone = new HashSet<>();
        for (AttachmentRow row : store.read(h -> h.dao(AttachmentDao.class).expired(at))) {
            try {
                Path file = storage.resolve(row.storagePath());
                bytes += file != null && Files.isRegularFile(file) ? Files.size(file) : 0;
                if (!dryRun) {
                    store.write(h -> h.dao(AttachmentDao.class).delete(row.id()));
                    storage.delete(row.storagePath());
                }
                gone.add(row.id());
                expired++;
            } catch (IOException | RuntimeException e) {
                LOG.warn("Sweep: could not delete expired attachment {}: {}", row.id(), e.toString());
            }
        }
        List<AttachmentRow> rows = store.read(h -> h.dao(AttachmentDao.class).all());
        Set<Path> referenced = new HashSet<>();
        for (AttachmentRow row : rows) {
            if (gone.contains(row.id())) {
                continue;
            }
            Path file = storage.resolve(row.storagePath());
            if (file == null || !Files.isRegularFile(file)) {
                try {
                    if (!dryRun) {
                        store.write(h -> h.dao(AttachmentDao.class).delete(row.id()));
                    }
                    missing++;
                } catch (RuntimeException e) {
                    LOG.warn("Sweep: could not delete the row of missing attachment {}: {}", row.id(), e.toString());
                }
            } else {
                referenced.add(file);
            }
        }
        Instant cutoff = now.minus(grace);
        FileScan orphans = new FileScan(referenced, cutoff, dryRun);
        orphans.walk(storage.root());
        String dayAgo = dev.orchat.db.Timestamps.format(now.minus(Duration.ofDays(1)));
        try {
            int flows = dryRun ? store.read(h -> h.dao(AttachmentDao.class).countOauthFlowsBefore(dayAgo))
                    : store.write(h -> h.dao(AttachmentDao.class).deleteOauthFlowsBefore(dayAgo));
            if (flows > 0) {
                LOG.info("Sweep: {} {} stale OAuth authorisation(s)", dryRun ? "would delete" : "deleted", flows);
            }
        } catch (RuntimeException e) {
            LOG.warn("Sweep: could not delete stale OAuth authorisations: {}", e.toString());
        }
        Report report = new Report(expired, missing, orphans.files, orphans.dirs, bytes + orphans.bytes, dryRun);
        if (!dryRun) {
            swept.inc(expired + missing + orphans.files + orphans.dirs);
        }
        return report;
    }

    /** The file-system half of the sweep: unreferenced files and folders of sessions that no longer exist. */
    private final class FileScan {
        private final Set<Path> referenced;
        private final Instant cutoff;
        private final boolean dryRun;
        private int files;
        private int dirs;
        private long bytes;

        FileScan(Set<Path> referenced, Instant cutoff, boolean dryRun) {
            this.referenced = referenced;
            this.cutoff = cutoff;
            this.dryRun = dryRun;
        }

        void walk(Path root) {
            for (Path entry : list(root)) {
                try {
                    BasicFileAttributes attrs = Files.readAttributes(entry, BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                    if (attrs.isDirectory()) {
                        sessionDir(entry, attrs);
                    } else if (!referenced.contains(entry) && old(attrs)) {
                        deleteFile(entry, attrs);
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Sweep: could not handle {}: {}", entry.getFileName(), e.toString());
                }
            }
        }

        private void sessionDir(Path dir, BasicFileAttributes attrs) throws IOException {
            int remaining = 0;
            for (Path file : list(dir)) {
                BasicFileAttributes f = Files.readAttributes(file, BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (!f.isDirectory() && !referenced.contains(file) && old(f)) {
                    deleteFile(file, f);
                } else {
                    remaining++;
                }
            }
            // A folder left empty (its session deleted, or all its files gone) goes once older than the grace period.
            if (remaining == 0 && old(attrs)) {
                if (!dryRun) {
                    Files.delete(dir);
                }
                dirs++;
            }
        }

        private void deleteFile(Path file, BasicFileAttributes attrs) throws IOException {
            if (!dryRun) {
                Files.delete(file);
            }
            files++;
            bytes += attrs.size();
        }

        private boolean old(BasicFileAttributes attrs) {
            return attrs.lastModifiedTime().toInstant().isBefore(cutoff);
        }

        private List<Path> list(Path dir) {
            try (Stream<Path> entries = Files.list(dir)) {
                return entries.toList();
            } catch (IOException e) {
                LOG.warn("Sweep: could not list {}: {}", dir.getFileName(), e.toString());
                return List.of();
            }
        }
    }
}
