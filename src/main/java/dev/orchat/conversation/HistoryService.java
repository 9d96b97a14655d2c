package dev.orchat.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.web.ApiException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.orchat.db.Database;
import dev.orchat.db.Timestamps;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Renames and deletions of stored history (docs/api.md §2); each change is one transaction keeping I2. */
public final class HistoryService {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryService.class);
    private final Database store;
    private final java.time.Clock clock;
    private final ActiveTurns turns;
    private final Path uploadsDir;
    private final ObjectMapper mapper;

    public HistoryService(Database store, java.time.Clock clock, ActiveTurns turns, Path uploadsDir,
                          ObjectMapper mapper) {
        this.store = store;
        this.clock = clock;
        this.turns = turns;
        this.uploadsDir = uploadsDir;
        this.mapper = mapper;
    }

    public java.util.Optional<ActiveTurns.RunningTurnView> runningTurn(String sessionId) {
        return turns.runningTurn(sessionId);
    }

    public SessionRow rename(String sessionId, String title) {
        Jdbi jdbi = store.jdbi();
        store.write(h -> {
            SessionDao sessions = h.dao(SessionDao.class);
            if (sessions.count(sessionId) == 0) {
                throw ApiException.notFound("Session not found");
            }
            if (title != null) {
                sessions.setTitle(sessionId, title, "user", now());
                return null;
            }
            String automatic = null;
            for (MessageRow m : h.dao(MessageDao.class).bySession(sessionId)) {
                if ("user".equals(m.role())) {
                    automatic = Titles.fromContent(contentNode(m), null);
                    break;
                }
            }
            sessions.setTitle(sessionId, automatic, "auto", now());
            return null;
        });
        return jdbi.withExtension(SessionDao.class, dao -> dao.find(sessionId)).orElseThrow();
    }

    /** Deletes a session with everything it owns; its running turn is cancelled first (≤ 5 s). */
    public boolean deleteSession(String sessionId) {
        if (store.jdbi().withExtension(SessionDao.class, dao -> dao.count(sessionId)) == 0) {
            return false;
        }
        turns.cancelForDeletion(sessionId, Duration.ofSeconds(5));
        int deleted = store.write(h -> h.dao(SessionDao.class).delete(sessionId));
        deleteSessionFiles(sessionId);
        return deleted > 0;
    }

    /** Bytes removed from the session's upload folder; failures are logged (the sweep removes leftovers). */
    public long deleteSessionFiles(String sessionId) {
        Path dir = uploadsDir.resolve(sessionId).normalize();
        if (!dir.startsWith(uploadsDir) || dir.equals(uploadsDir) || !Files.isDirectory(dir)) {
            return 0;
        }
        long[] bytes = {0};
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    bytes[0] += attrs.size();
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("Could not delete upload folder of session {}: {}", sessionId, e.getMessage());
        }
        return bytes[0];
    }

    /** docs/api.md §2 message deletion: whole turn outputs, then descendants by parent client id. */
    public void deleteMessage(String sessionId, String ref) {
        if (store.jdbi().withExtension(SessionDao.class, dao -> dao.count(sessionId)) == 0) {
            throw ApiException.notFound("Session not found");
        }
        if (turns.isRunning(sessionId)) {
            throw ApiException.conflict("A turn is in progress for this session");
        }
        int deleted = store.write(h -> {
            MessageDao messages = h.dao(MessageDao.class);
            Long numeric = ref.matches("\\d{1,18}") ? Long.parseLong(ref) : null;
            Map<Long, MessageRow> doomed = new LinkedHashMap<>();
            Deque<MessageRow> work = new ArrayDeque<>(messages.byRef(sessionId, ref, numeric));
            Set<String> expandedParents = new HashSet<>();
            while (!work.isEmpty()) {
                MessageRow matched = work.pop();
                for (MessageRow row : outputOf(messages, matched)) {
                    if (doomed.putIfAbsent(row.id(), row) == null && row.clientMessageId() != null
                            && expandedParents.add(row.clientMessageId())) {
                        work.addAll(messages.byParents(sessionId, List.of(row.clientMessageId())));
                    }
                }
            }
            if (doomed.isEmpty()) {
                return 0;
            }
            int n = messages.deleteIds(doomed.keySet());
            h.dao(SessionDao.class).recount(sessionId, now());
            return n;
        });
        if (deleted == 0) {
            throw ApiException.notFound("Message not found");
        }
    }

    /** A user/system message takes its turn's assistant and tool output with it; an output message takes all of it. */
    private static List<MessageRow> outputOf(MessageDao messages, MessageRow matched) {
        List<MessageRow> turn = messages.byTurn(matched.turnId());
        boolean input = "user".equals(matched.role()) || "system".equals(matched.role());
        return turn.stream()
                .filter(r -> r.id() == matched.id() || "assistant".equals(r.role()) || "tool".equals(r.role()))
                .filter(r -> input || !"user".equals(r.role()) && !"system".equals(r.role()))
                .toList();
    }

    private JsonNode contentNode(MessageRow m) {
        if (m.content() == null) {
            return mapper.nullNode();
        }
        if ("parts".equals(m.contentKind())) {
            try {
                return mapper.readTree(m.content());
            } catch (IOException e) {
                return mapper.nullNode();
            }
        }
        return mapper.getNodeFactory().textNode(m.content());
    }

    private String now() {
        return Timestamps.format(clock.instant());
    }
}
