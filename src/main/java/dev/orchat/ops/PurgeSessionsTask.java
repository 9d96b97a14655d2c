package dev.orchat.ops;

import dev.orchat.conversation.ActiveTurns;
import dev.orchat.conversation.HistoryService;
import dev.orchat.conversation.SessionDao;
import dev.orchat.db.Timestamps;
import io.dropwizard.servlets.tasks.Task;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /tasks/purge-sessions?older_than=P30D|session=<id>&dry_run=true|false} (docs/operations.md, "Admin port"). Dry run is the
 * default so that a mistyped call shows what it would delete instead of deleting it.
 */
public final class PurgeSessionsTask extends Task {
    private static final Logger AUDIT = LoggerFactory.getLogger("audit");
    private final Jdbi jdbi;
    private final HistoryService history;
    private final ActiveTurns turns;
    private final Path uploadsDir;
    private final Clock clock;

    public PurgeSessionsTask(Jdbi jdbi, HistoryService history, ActiveTurns turns, Path uploadsDir, Clock clock) {
        super("purge-sessions");
        this.jdbi = jdbi;
        this.history = history;
        this.turns = turns;
        this.uploadsDir = uploadsDir;
        this.clock = clock;
    }

    @Override
    public void execute(Map<String, List<String>> parameters, PrintWriter output) throws IOException {
        String olderThan = single(parameters, "older_than");
        String session = single(parameters, "session");
        String dryRunParam = single(parameters, "dry_run");
        if ((olderThan == null) == (session == null)) {
            output.println("error: give exactly one of older_than (ISO-8601 duration, e.g. P30D) or session");
            return;
        }
        if (dryRunParam != null && !dryRunParam.equalsIgnoreCase("true") && !dryRunParam.equalsIgnoreCase("false")) {
            output.println("error: dry_run must be true or false");
            return;
        }
        boolean dryRun = dryRunParam == null || dryRunParam.equalsIgnoreCase("true");
        List<String> ids;
        if (session != null) {
            ids = jdbi.withExtension(SessionDao.class, dao -> dao.count(session)) > 0 ? List.of(session) : List.of();
        } else {
            Duration age;
            try {
                age = Duration.parse(olderThan);
            } catch (DateTimeParseException e) {
                output.println("error: older_than must be an ISO-8601 duration such as P30D");
                return;
            }
            String cutoff = Timestamps.format(clock.instant().minus(age));
            ids = jdbi.withExtension(SessionDao.class, dao -> dao.idsUpdatedBefore(cutoff));
        }
        long sessions = 0;
        long messages = 0;
        long attachments = 0;
        long files = 0;
        long bytes = 0;
        for (String id : ids) {
            if (turns.isRunning(id)) {
                output.println("skipped " + id + ": a turn is running");
                continue;
            }
            long messageCount = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM messages WHERE session_id = :id")
                    .bind("id", id).mapTo(Long.class).one());
            long attachmentCount = jdbi.withHandle(h -> h.createQuery(
                    "SELECT COUNT(*) FROM attachments WHERE session_id = :id").bind("id", id).mapTo(Long.class).one());
            long[] fileStats = fileStats(id);
            if (!dryRun) {
                history.deleteSession(id);
            }
            sessions++;
            messages += messageCount;
            attachments += attachmentCount;
            files += fileStats[0];
            bytes += fileStats[1];
            output.println((dryRun ? "would delete " : "deleted ") + id + " messages=" + messageCount
                    + " attachments=" + attachmentCount + " files=" + fileStats[0]);
        }
        String summary = "sessions=" + sessions + " messages=" + messages + " attachments=" + attachments + " files=" + files
                + " bytes=" + bytes + " dry_run=" + dryRun;
        if (!dryRun) {
            AUDIT.info("purge-sessions {}", summary);
        }
        output.println(summary);
    }

    private long[] fileStats(String sessionId) throws IOException {
        Path dir = uploadsDir.resolve(sessionId).normalize();
        if (!dir.startsWith(uploadsDir) || !Files.isDirectory(dir)) {
            return new long[] {0, 0};
        }
        long[] stats = {0, 0};
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).forEach(p -> {
                stats[0]++;
                try {
                    stats[1] += Files.size(p);
                } catch (IOException e) {
                    // A file that vanished meanwhile has no size to report.
                }
            });
        }
        return stats;
    }

    private static String single(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() || values.get(0).isBlank() ? null : values.get(0).strip();
    }
}
