package dev.orchat.conversation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.orchat.db.Database;
import dev.orchat.db.PinnedHandle;
import dev.orchat.db.Timestamps;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The turn store: everything a running turn reads and writes, each write one short all-or-nothing job on the
 * group-commit writer, so invariants I1–I3 of docs/architecture.md hold after every commit. The chat feature uses
 * only this API; it never sees a DAO.
 */
public final class ConversationStore {
    private static final String CANCELLED_TEXT = "Cancelled before completion.";
    private final Database db;
    private final Clock clock;
    private final ObjectMapper mapper;
    /** This process's id in the instance registry: the owner recorded on the turns it starts. */
    private final String instanceId;

    public ConversationStore(Database db, Clock clock, ObjectMapper mapper) {
        this(db, clock, mapper, null);
    }

    public ConversationStore(Database db, Clock clock, ObjectMapper mapper, String instanceId) {
        this.db = db;
        this.clock = clock;
        this.mapper = mapper;
        this.instanceId = instanceId;
    }

    public String now() {
        return Timestamps.format(clock.instant());
    }

    /** A turn about to start: the session, the incoming messages and the client's ids. */
    public record NewTurn(String sessionId, String turnId, String model, String clientAssistantId,
                          String clientParentId, List<IncomingMessage> messages, String autoTitle,
                          boolean requireExistingSession) {
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

    /** The ids a hop's stored message carries besides its content. */
    public record TurnRef(String sessionId, String turnId, String clientAssistantId, String parentClientId) {
    }

    /**
     * How a turn ended, as stored on its row.
     *
     * @param hadToolCalls whether any hop asked for tools; only then can a call be left without a result (I2)
     */
    public record TurnEnd(String status, String cancelReason, Integer errorStatus, String errorDetail,
                          int lastEventId, boolean hadToolCalls) {
    }

    /** What the model-title feature reads after a session's first complete turn. */
    public record TitleInput(TurnRow turn, SessionRow session, List<MessageRow> turnMessages) {
    }

    public boolean sessionExists(String sessionId) {
        return SessionIds.isValid(sessionId) && db.read(h -> h.dao(SessionDao.class).count(sessionId)) > 0;
    }

    public boolean turnExists(String turnId) {
        return db.read(h -> h.dao(TurnDao.class).find(turnId)).isPresent();
    }

    /** The whole stored history of a session in position order; the payload of every hop is built from it. */
    public List<MessageRow> history(String sessionId) {
        return db.read(h -> TurnStatements.history(h, sessionId));
    }

    public Optional<TitleInput> titleInput(String sessionId, String turnId) {
        return db.read(h -> {
            Optional<TurnRow> turn = h.dao(TurnDao.class).find(turnId);
            Optional<SessionRow> session = h.dao(SessionDao.class).find(sessionId);
            if (turn.isEmpty() || session.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new TitleInput(turn.get(), session.get(), h.dao(MessageDao.class).byTurn(turnId)));
        });
    }

    /**
     * Creates the session if needed, the turn row and the incoming messages.
     *
     * @throws SessionNotFoundException when the session must exist and does not
     * @throws TurnInProgressException when the session already runs a turn (I1)
     */
    public StartedTurn startTurn(NewTurn turn) {
        String now = now();
        try {
            return db.write(h -> insertTurn(h, turn, now));
        } catch (RuntimeException e) {
            if (isUniqueViolation(e)) {
                // The partial unique index on running turns turned a race into a conflict (I1).
                throw new TurnInProgressException();
            }
            throw e;
        }
    }

    private StartedTurn insertTurn(PinnedHandle h, NewTurn turn, String now) {
        String sessionId = turn.sessionId();
        int users = (int) turn.messages().stream().filter(m -> m.role().equals("user")).count();
        // The session first: it reports a turn under way (I1) or a missing session before anything is inserted.
        TurnStatements.StartedSession session = TurnStatements.startOnSession(h, sessionId, turn.messages().size(),
                users, turn.autoTitle(), turn.requireExistingSession(), now);
        TurnStatements.insertTurn(h, turn, instanceId, now);
        int position = session.firstPosition();
        List<NewMessage> rows = new ArrayList<>(turn.messages().size());
        for (IncomingMessage m : turn.messages()) {
            rows.add(new NewMessage(
                    new NewMessage.Place(sessionId, turn.turnId(), position++, m.clientMessageId(), null), m.role(),
                    new NewMessage.Body(m.content(), m.contentKind(), m.name(), "complete"),
                    NewMessage.ToolPart.NONE, NewMessage.Assistant.NONE, null, m.extra(), now));
        }
        List<Long> ids = TurnStatements.insertMessages(h, rows);
        for (int i = 0; i < ids.size(); i++) {
            for (AttachmentPart a : turn.messages().get(i).attachments()) {
                TurnStatements.insertAttachment(h, new MessageAttachment(ids.get(i), a.partIndex(), a.attachmentId(),
                        a.filename(), a.mimeType()));
            }
        }
        return new StartedTurn(session.newSession(), ids);
    }

    /**
     * Stores one hop: its assistant message (when {@link HopOutcome#keepsMessage()}), its generations row and the
     * turn and session sums. Returns the message id, or null when no message was kept.
     */
    public Long recordHop(TurnRef ref, HopOutcome outcome) {
        // One instant for the message, the generation's end and the metadata event built from the same outcome.
        String now = outcome.timing().finished() == null ? now() : format(outcome.timing().finished());
        NewMessage message = outcome.keepsMessage() ? assistantMessage(ref, outcome, now) : null;
        HopOutcome.Usage u = outcome.usage();
        HopOutcome.Source src = outcome.source();
        NewGeneration.Source source = new NewGeneration.Source(src.generationId(), src.model(), src.provider(),
                outcome.reply().finishReason(), outcome.reply().nativeFinishReason(), json(src.routing()),
                json(src.meta()));
        NewGeneration.Usage usage = new NewGeneration.Usage(u.promptTokens(), u.completionTokens(),
                u.reasoningTokens(), u.cachedTokens(), u.cost(), json(u.raw()));
        NewGeneration.Timing timing = new NewGeneration.Timing(format(outcome.timing().started()),
                format(outcome.timing().firstToken()), now);
        long prompt = u.promptTokens() == null ? 0 : u.promptTokens();
        long completion = u.completionTokens() == null ? 0 : u.completionTokens();
        long reasoning = u.reasoningTokens() == null ? 0 : u.reasoningTokens();
        return db.write(h -> {
            // One session update reserves the message's position and adds the usage.
            int position = TurnStatements.hopOnSession(h, ref.sessionId(), message == null ? 0 : 1,
                    u.cost() == null ? 0 : u.cost(), prompt, completion, outcome.isComplete() ? src.model() : null,
                    now);
            Long messageId = message == null ? null : TurnStatements.insertMessage(h, message.at(position));
            TurnStatements.insertGeneration(h, new NewGeneration(ref.turnId(), outcome.hop(), messageId,
                    outcome.status(), source, usage, timing));
            TurnStatements.addHop(h, ref.turnId(), outcome.hop(), prompt, completion, reasoning, u.cost());
            return messageId;
        });
    }

    private NewMessage assistantMessage(TurnRef ref, HopOutcome outcome, String now) {
        HopOutcome.Reply reply = outcome.reply();
        String toolCalls = null;
        if (!reply.toolCalls().isEmpty()) {
            ArrayNode calls = mapper.createArrayNode();
            reply.toolCalls().forEach(call -> calls.add(call.toJson(mapper)));
            toolCalls = json(calls);
        }
        HopOutcome.Source src = outcome.source();
        return new NewMessage(
                new NewMessage.Place(ref.sessionId(), ref.turnId(), 0, ref.clientAssistantId(), ref.parentClientId()),
                "assistant",
                new NewMessage.Body(reply.text(), reply.text() == null ? "null" : "text", null, outcome.status()),
                new NewMessage.ToolPart(toolCalls, null, null, false, false),
                new NewMessage.Assistant(src.model(), reply.finishReason(), src.generationId(),
                        json(outcome.usage().raw()), outcome.usage().cost(), json(reply.reasoning()),
                        json(reply.reasoningDetails()), json(src.routing())),
                json(src.meta()), null, now);
    }

    /**
     * Stores a title the model proposed (null: none) and what asking cost; the cost counts even when the user
     * renamed the session meanwhile, whose title then stays.
     */
    public void applyModelTitle(String sessionId, String title, double cost) {
        db.write(h -> {
            SessionDao sessions = h.dao(SessionDao.class);
            if (cost > 0) {
                sessions.addCost(sessionId, cost);
            }
            if (title != null) {
                sessions.setModelTitle(sessionId, title);
            }
            return null;
        });
    }

    /** Reserves result positions for a tool round in {@code tool_calls} order, before execution (I3). */
    public int reservePositions(String sessionId, int count) {
        return db.write(h -> TurnStatements.allocatePositions(h, sessionId, count));
    }

    /** A tool call's one result (I2), at the position reserved for it. */
    public long storeToolResult(NewMessage.Place place, ToolCall call, ToolResultText result) {
        NewMessage message = NewMessage.toolResult(place,
                new NewMessage.ToolPart(null, call.id(), call.name(), result.isError(), result.synthetic()),
                result.text(), result.status(), now()).withMeta(result.meta());
        return db.write(h -> TurnStatements.insertMessage(h, message));
    }

    /** The text and flags of a stored tool result. */
    public record ToolResultText(String text, boolean isError, boolean synthetic, String status, String meta) {
        public ToolResultText(String text, boolean isError, boolean synthetic, String status) {
            this(text, isError, synthetic, status, null);
        }
    }

    /**
     * While a call of the turn waits for the person the turn is {@code awaiting_approval}, else {@code running}
     * (docs/api.md §3.7); a turn that already ended is left alone.
     */
    public void setAwaitingApproval(String turnId, boolean awaiting) {
        db.write(h -> h.dao(TurnDao.class).moveStatus(turnId, awaiting ? "running" : "awaiting_approval",
                awaiting ? "awaiting_approval" : "running"));
    }

    public void markHopLimitReached(String turnId) {
        db.write(h -> {
            h.dao(TurnDao.class).setHopLimitReached(turnId, true);
            return null;
        });
    }

    /** Ends a turn: repairs dangling tool calls first (I2), then sets the final status and the session counters. */
    public void finishTurn(String sessionId, String turnId, TurnEnd end) {
        db.write(h -> {
            if (end.hadToolCalls()) {
                repairDanglingToolCalls(h, sessionId, turnId);
            }
            String now = now();
            TurnStatements.finishTurn(h, turnId, end, now);
            TurnStatements.recount(h, sessionId, now);
            return null;
        });
    }

    /**
     * Crash recovery of a single instance (SQLite, docs/api.md, "Turns"): no turn stays {@code running} across a
     * restart. Every running turn was started by an earlier process of this one instance.
     */
    public int recoverInterruptedTurns() {
        return db.write(h -> repair(h, h.dao(TurnDao.class).running()));
    }

    /**
     * Recovery among several instances (docs/operations.md, "Several instances"): fails only the running turns
     * whose owner is not a live instance (no owner, or its lease ended before {@code now}); a live instance's turn
     * is never touched. {@code guard} runs first in the same transaction (a cluster-wide lock on PostgreSQL, so
     * two instances never repair the same turn twice); false skips the work.
     */
    public int recoverOrphanedTurns(java.util.function.Predicate<PinnedHandle> guard) {
        return db.write(h -> guard.test(h) ? repair(h, h.dao(TurnDao.class).orphaned(now())) : 0);
    }

    /** The running turn's owner instance and a cancel asked for elsewhere, if the turn still runs. */
    public java.util.Optional<TurnDao.Ownership> runningOwnership(String turnId) {
        return db.read(h -> h.dao(TurnDao.class).ownership(turnId, now()));
    }

    /** The session's running turn as the database knows it (on whichever instance runs it). */
    public java.util.Optional<TurnDao.Ownership> runningTurnOf(String sessionId) {
        return db.read(h -> h.dao(TurnDao.class).runningOf(sessionId, now()));
    }

    /** Records a cancel for the owner of a running turn to act on; false when the turn no longer runs. */
    public boolean requestCancel(String turnId, String reason) {
        return db.write(h -> h.dao(TurnDao.class).requestCancel(turnId, reason) > 0);
    }

    /** Cancels asked for by other instances on turns that {@code owner} runs. */
    public List<TurnDao.Ownership> cancelsRequestedOf(String owner) {
        return db.read(h -> h.dao(TurnDao.class).cancelsRequested(owner, now()));
    }

    private int repair(PinnedHandle h, List<TurnRow> running) {
        for (TurnRow turn : running) {
            repairDanglingToolCalls(h, turn.sessionId(), turn.id());
            TurnStatements.finishTurn(h, turn.id(), "failed", null, null, "Service restarted during the turn",
                    turn.lastEventId(), now());
            TurnStatements.recount(h, turn.sessionId(), now());
        }
        return running.size();
    }

    private void repairDanglingToolCalls(PinnedHandle h, String sessionId, String turnId) {
        List<ToolCallRef> missing = ToolCallRef.unanswered(TurnStatements.byTurn(h, turnId));
        if (missing.isEmpty()) {
            return;
        }
        int position = TurnStatements.allocatePositions(h, sessionId, missing.size());
        List<NewMessage> results = new ArrayList<>(missing.size());
        for (ToolCallRef call : missing) {
            results.add(NewMessage.toolResult(new NewMessage.Place(sessionId, turnId, position++, null, null),
                    new NewMessage.ToolPart(null, call.id(), call.name(), true, true), CANCELLED_TEXT,
                    "cancelled", now()));
        }
        TurnStatements.insertMessages(h, results);
    }

    private String json(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String format(Instant instant) {
        return instant == null ? null : Timestamps.format(instant);
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
