package dev.orchat.conversation;

import dev.orchat.db.Timestamps;
import dev.orchat.web.ApiException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Every multi-statement write of a turn, each in one short transaction (SPEC §2.1), so that invariants I1–I3
 * hold after every commit. Reads that need no transaction go straight to the DAOs.
 */
public final class ConversationStore implements io.dropwizard.lifecycle.Managed {
    private final Jdbi jdbi;
    private final Clock clock;
    private final PinnedHandle writer;
    private final PinnedHandle reader;
    private final java.util.concurrent.locks.ReentrantLock readLock = new java.util.concurrent.locks.ReentrantLock();
    /**
     * SQLite has one writer. Without this lock, concurrent turns meet in SQLite's busy handler, which sleeps in
     * growing steps (1, 2, 5, 10 … 100 ms) and leaves the lock idle meanwhile; queueing here hands it over at once.
     */
    private final java.util.concurrent.locks.ReentrantLock writeLock = new java.util.concurrent.locks.ReentrantLock();

    public ConversationStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.writer = new PinnedHandle(jdbi);
        this.reader = new PinnedHandle(jdbi);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** Runs one write transaction on the writer connection, serialised with every other write of this process. */
    public <T> T write(java.util.function.Function<PinnedHandle, T> work) {
        writeLock.lock();
        try {
            return writer.open().inTransaction(h -> work.apply(writer));
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            writer.discard();
            throw e;
        } finally {
            writeLock.unlock();
        }
    }

    /** A read on the hot path (the history of each hop). WAL lets it run beside the writer. */
    public <T> T read(java.util.function.Function<PinnedHandle, T> work) {
        readLock.lock();
        try {
            reader.open();
            return work.apply(reader);
        } catch (RuntimeException e) {
            reader.discard();
            throw e;
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public void stop() {
        writeLock.lock();
        readLock.lock();
        try {
            writer.discard();
            reader.discard();
        } finally {
            readLock.unlock();
            writeLock.unlock();
        }
    }

    public String now() {
        return Timestamps.format(clock.instant());
    }

    /** Result of {@link #startTurn}: ids to announce in the {@code session} event. */
    public record StartedTurn(boolean newSession, List<Long> messageIds) {
    }

    /** Incoming system/user message, already validated and canonicalised. */
    public record IncomingMessage(String role, String content, String contentKind, String name,
                                  String clientMessageId, String extra, List<AttachmentPart> attachments) {
    }

    /** An attachment reference at {@code partIndex} of an incoming message, with its name/type snapshot. */
    public record AttachmentPart(int partIndex, String attachmentId, String filename, String mimeType) {
    }

    public StartedTurn startTurn(String sessionId, String turnId, String model, String clientAssistantId,
                                 String clientParentId, List<IncomingMessage> messages, String autoTitle,
                                 boolean requireExisting) {
        String now = now();
        try {
            return write(h -> {
                SessionDao sessions = h.dao(SessionDao.class);
                MessageDao messageDao = h.dao(MessageDao.class);
                var existing = sessions.find(sessionId);
                if (existing.isEmpty()) {
                    if (requireExisting) {
                        throw ApiException.notFound("Session not found");
                    }
                    sessions.insert(sessionId, null, now);
                } else if (existing.get().activeTurnId() != null) {
                    throw ApiException.conflict("A turn is already in progress for this session");
                }
                boolean newSession = existing.isEmpty() || existing.get().messageCount() == 0;
                h.dao(TurnDao.class).insert(turnId, sessionId, model, clientAssistantId, clientParentId, now);
                int position = sessions.allocatePositions(sessionId, messages.size());
                List<Long> ids = new ArrayList<>();
                for (IncomingMessage m : messages) {
                    long id = messageDao.insert(new NewMessage(sessionId, turnId, position++, m.role(), m.content(),
                            m.contentKind(), m.name(), null, null, null, false, false, "complete",
                            m.clientMessageId(), null, null, null, null, null, null, null, null, null, null,
                            m.extra(), now));
                    for (AttachmentPart a : m.attachments()) {
                        messageDao.insertAttachment(new MessageAttachment(id, a.partIndex(), a.attachmentId(),
                                a.filename(), a.mimeType()));
                    }
                    ids.add(id);
                }
                sessions.setAutoTitleIfMissing(sessionId, autoTitle);
                sessions.addMessages(sessionId, (int) messages.stream().filter(m -> m.role().equals("user")).count(), now);
                return new StartedTurn(newSession, ids);
            });
        } catch (RuntimeException e) {
            if (isUniqueViolation(e)) {
                // The partial unique index on running turns turned a race into a conflict (I1).
                throw ApiException.conflict("A turn is already in progress for this session");
            }
            throw e;
        }
    }

    /** Stores one hop: its assistant message (optional), its generations row and the turn/session sums. */
    public Long recordHop(String sessionId, NewMessage assistant, NewGeneration generation, long reasoningTokens) {
        return write(h -> {
            Long messageId = null;
            if (assistant != null) {
                int position = h.dao(SessionDao.class).allocatePositions(sessionId, 1);
                messageId = h.dao(MessageDao.class).insert(withPosition(assistant, position));
            }
            h.dao(GenerationDao.class).insert(withMessageId(generation, messageId));
            long prompt = generation.promptTokens() == null ? 0 : generation.promptTokens();
            long completion = generation.completionTokens() == null ? 0 : generation.completionTokens();
            h.dao(TurnDao.class).addHop(generation.turnId(), generation.hop(), prompt, completion,
                    reasoningTokens, generation.cost());
            h.dao(SessionDao.class).addUsage(sessionId, generation.cost() == null ? 0 : generation.cost(),
                    prompt, completion, generation.status().equals("complete") ? generation.model() : null, now());
            return messageId;
        });
    }

    /** Reserves result positions for a tool round in {@code tool_calls} order, before execution (I3). */
    public int reservePositions(String sessionId, int count) {
        return write(h -> h.dao(SessionDao.class).allocatePositions(sessionId, count));
    }

    public long storeToolResult(NewMessage result) {
        return write(h -> h.dao(MessageDao.class).insert(result));
    }

    public void markHopLimitReached(String turnId) {
        write(h -> {
            h.dao(TurnDao.class).setHopLimitReached(turnId, true);
            return null;
        });
    }

    /**
     * Ends a turn: repairs dangling tool calls first (I2), then sets the final status and the session counters.
     */
    public void finishTurn(String sessionId, String turnId, String status, String cancelReason, Integer errorStatus,
                           String errorDetail, int lastEventId) {
        write(h -> {
            repairDanglingToolCalls(h, sessionId, turnId, "Cancelled before completion.");
            h.dao(TurnDao.class).finish(turnId, status, cancelReason, errorStatus, errorDetail, lastEventId, now());
            h.dao(SessionDao.class).recount(sessionId, now());
            return null;
        });
    }

    /** Crash recovery (SPEC §4.15): no turn stays {@code running} across a restart. */
    public int recoverInterruptedTurns() {
        return write(h -> {
            List<TurnRow> running = h.dao(TurnDao.class).running();
            for (TurnRow turn : running) {
                repairDanglingToolCalls(h, turn.sessionId(), turn.id(), "Cancelled before completion.");
                h.dao(TurnDao.class).finish(turn.id(), "failed", null, null, "Service restarted during the turn",
                        turn.lastEventId(), now());
                h.dao(SessionDao.class).recount(turn.sessionId(), now());
            }
            return running.size();
        });
    }

    private void repairDanglingToolCalls(PinnedHandle h, String sessionId, String turnId, String text) {
        List<MessageRow> rows = h.dao(MessageDao.class).byTurn(turnId);
        List<ToolCallRef> missing = ToolCallRef.unanswered(rows);
        if (missing.isEmpty()) {
            return;
        }
        int position = h.dao(SessionDao.class).allocatePositions(sessionId, missing.size());
        for (ToolCallRef call : missing) {
            h.dao(MessageDao.class).insert(NewMessage.toolResult(sessionId, turnId, position++, call.id(),
                    call.name(), text, true, true, "cancelled", now()));
        }
    }

    private static NewMessage withPosition(NewMessage m, int position) {
        return new NewMessage(m.sessionId(), m.turnId(), position, m.role(), m.content(), m.contentKind(), m.name(),
                m.toolCalls(), m.toolCallId(), m.toolName(), m.isError(), m.synthetic(), m.status(),
                m.clientMessageId(), m.parentClientMessageId(), m.model(), m.finishReason(), m.generationId(),
                m.usage(), m.cost(), m.reasoning(), m.reasoningDetails(), m.routing(), m.meta(), m.extra(),
                m.createdAt());
    }

    private static NewGeneration withMessageId(NewGeneration g, Long messageId) {
        return new NewGeneration(g.turnId(), g.hop(), g.generationId(), g.model(), g.provider(), g.status(),
                g.finishReason(), g.nativeFinishReason(), g.promptTokens(), g.completionTokens(), g.reasoningTokens(),
                g.cachedTokens(), g.cost(), g.usage(), g.routing(), g.meta(), messageId, g.startedAt(),
                g.firstTokenAt(), g.finishedAt());
    }

    static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String message = String.valueOf(sql.getMessage());
                if ("23505".equals(sql.getSQLState()) || message.contains("UNIQUE constraint failed")) {
                    return true;
                }
            }
        }
        return false;
    }
}
