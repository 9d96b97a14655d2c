package dev.orchat.conversation;

import dev.orchat.db.Params;
import dev.orchat.db.PinnedHandle;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The statements a turn runs on every start, hop, tool result and finish, and the history read of every hop, as
 * plain JDBC on statements cached per pinned connection (docs/architecture.md, "The store"). They used to go through
 * the SqlObject DAOs, whose per-call machinery (config copies, customizers, reflective binding and mapping, SQL
 * parsing) cost far more than the SQL itself on the single writer. The rest of the store stays on the DAOs.
 *
 * <p>The SQL is the DAOs' SQL with positional parameters, and serves SQLite and PostgreSQL alike. Where a turn used
 * to run several statements on one row they are folded into one: a turn start updates its session once (positions,
 * count, title, {@code updated_at}) and inserts its messages in one statement; a hop updates its session once
 * (position and usage). Every SQL string here is a constant: it is the statement cache's key.
 */
final class TurnStatements {
    private TurnStatements() {
    }

    /** How many messages one multi-row insert takes; more are inserted in several such statements. */
    static final int MESSAGES_PER_INSERT = 8;

    private static final String MESSAGE_COLUMNS = "session_id, turn_id, position, role, content, content_kind, name,"
            + " tool_calls, tool_call_id, tool_name, is_error, synthetic, status, client_message_id,"
            + " parent_client_message_id, model, finish_reason, generation_id, usage, cost, reasoning,"
            + " reasoning_details, routing, meta, extra, created_at";
    private static final String MESSAGE_VALUES = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " ?, ?, ?, ?)";
    /** {@code INSERT_MESSAGES[k - 1]} inserts k messages. RETURNING's row order is not guaranteed: keyed by position. */
    private static final String[] INSERT_MESSAGES = new String[MESSAGES_PER_INSERT];

    static {
        StringBuilder values = new StringBuilder(MESSAGE_VALUES);
        for (int k = 1; k <= MESSAGES_PER_INSERT; k++) {
            if (k > 1) {
                values.append(", ").append(MESSAGE_VALUES);
            }
            INSERT_MESSAGES[k - 1] = "INSERT INTO messages (" + MESSAGE_COLUMNS + ") VALUES " + values
                    + " RETURNING id, position";
        }
    }

    private static final String INSERT_ATTACHMENT = "INSERT INTO message_attachments (message_id, part_index,"
            + " attachment_id, filename, mime_type) VALUES (?, ?, ?, ?, ?)";

    /**
     * A turn start on an existing session, in one statement: reserves the positions of the incoming messages, counts
     * its user messages, sets the automatic title when there is none, and returns the first position, the count
     * before this turn and the session's turn under way, if any. (The right-hand sides see the row as it was.)
     */
    private static final String START_ON_SESSION = "UPDATE sessions SET next_position = next_position + ?,"
            + " message_count = message_count + ?, updated_at = ?,"
            + " title = CASE WHEN title IS NULL THEN ? ELSE title END,"
            + " title_source = CASE WHEN title IS NULL THEN 'auto' ELSE title_source END"
            + " WHERE id = ? RETURNING next_position - ?, message_count - ?, (SELECT t.id FROM turns t"
            + " WHERE t.session_id = sessions.id AND t.status IN ('running', 'awaiting_approval'))";

    /** A new session already holding what the first turn start would set: title, count and next position. */
    private static final String INSERT_SESSION = "INSERT INTO sessions (id, title, title_source, created_at,"
            + " updated_at, message_count, next_position) VALUES (?, ?, 'auto', ?, ?, ?, ?)";

    private static final String INSERT_TURN = "INSERT INTO turns (id, session_id, seq, status, requested_model,"
            + " client_assistant_message_id, client_parent_message_id, owner_instance, started_at) VALUES (?, ?,"
            + " (SELECT COALESCE(MAX(seq), 0) + 1 FROM turns WHERE session_id = ?), 'running', ?, ?, ?, ?, ?)";

    /** Reserves {@code n} consecutive positions and returns the first (I3, docs/architecture.md §7). */
    private static final String ALLOCATE = "UPDATE sessions SET next_position = next_position + ? WHERE id = ?"
            + " RETURNING next_position - ?";

    /** A hop's session update in one statement: its message's position (0 or 1) and its usage. */
    private static final String HOP_ON_SESSION = "UPDATE sessions SET next_position = next_position + ?,"
            + " total_cost = total_cost + ?, total_prompt_tokens = total_prompt_tokens + ?,"
            + " total_completion_tokens = total_completion_tokens + ?, last_model = COALESCE(?, last_model),"
            + " updated_at = ? WHERE id = ? RETURNING next_position - ?";

    private static final String ADD_HOP = "UPDATE turns SET hop_count = ?, prompt_tokens = prompt_tokens + ?,"
            + " completion_tokens = completion_tokens + ?, reasoning_tokens = reasoning_tokens + ?,"
            + " cost = CASE WHEN ? IS NULL THEN cost ELSE COALESCE(cost, 0) + ? END WHERE id = ?";

    private static final String INSERT_GENERATION = "INSERT INTO generations (turn_id, hop, generation_id, model,"
            + " provider, status, finish_reason, native_finish_reason, prompt_tokens, completion_tokens,"
            + " reasoning_tokens, cached_tokens, cost, usage, routing, meta, message_id, started_at, first_token_at,"
            + " finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String FINISH_TURN = "UPDATE turns SET status = ?, cancel_reason = ?, error_status = ?,"
            + " error_detail = ?, last_event_id = ?, finished_at = ?"
            + " WHERE id = ? AND status IN ('running', 'awaiting_approval')";

    private static final String RECOUNT = "UPDATE sessions SET message_count = (SELECT COUNT(*) FROM messages m"
            + " WHERE m.session_id = ? AND m.role IN ('user', 'assistant')), updated_at = ? WHERE id = ?";

    private static final String HISTORY = "SELECT " + MessageDao.COLUMNS + " FROM messages WHERE session_id = ?"
            + " ORDER BY position";
    private static final String BY_TURN = "SELECT " + MessageDao.COLUMNS + " FROM messages WHERE turn_id = ?"
            + " ORDER BY position";

    /** Where a turn start left its session: the first reserved position and whether it was new (docs/api.md). */
    record StartedSession(int firstPosition, boolean newSession) {
    }

    /**
     * Updates or creates the session of a starting turn (everything its start changes on the session row).
     *
     * @throws SessionNotFoundException when the session must exist and does not
     * @throws TurnInProgressException when the session has a turn under way (I1)
     */
    static StartedSession startOnSession(PinnedHandle h, String sessionId, int messages, int userMessages,
                                         String autoTitle, boolean requireExisting, String now) {
        record Row(int first, int countBefore, String activeTurn) {
        }
        Row row = h.query(START_ON_SESSION, p -> p.integer(messages).integer(userMessages).text(now).text(autoTitle)
                        .text(sessionId).integer(messages).integer(userMessages),
                rs -> rs.next() ? new Row(rs.getInt(1), rs.getInt(2), rs.getString(3)) : null);
        if (row != null) {
            if (row.activeTurn() != null) {
                throw new TurnInProgressException(); // the update is rolled back with the job
            }
            return new StartedSession(row.first(), row.countBefore() == 0);
        }
        if (requireExisting) {
            throw new SessionNotFoundException();
        }
        h.update(INSERT_SESSION, p -> p.text(sessionId).text(autoTitle).text(now).text(now).integer(userMessages)
                .integer(1 + messages));
        return new StartedSession(1, true);
    }

    static void insertTurn(PinnedHandle h, ConversationStore.NewTurn turn, String owner, String now) {
        h.update(INSERT_TURN, p -> p.text(turn.turnId()).text(turn.sessionId()).text(turn.sessionId())
                .text(turn.model()).text(turn.clientAssistantId()).text(turn.clientParentId()).text(owner).text(now));
    }

    static int allocatePositions(PinnedHandle h, String sessionId, int n) {
        Integer first = h.query(ALLOCATE, p -> p.integer(n).text(sessionId).integer(n),
                rs -> rs.next() ? rs.getInt(1) : null);
        if (first == null) {
            throw new IllegalStateException("Session " + sessionId + " not found");
        }
        return first;
    }

    /** Inserts messages (each at its own position) and returns their ids in the order given. */
    static List<Long> insertMessages(PinnedHandle h, List<NewMessage> messages) {
        List<Long> ids = new ArrayList<>(messages.size());
        for (int from = 0; from < messages.size(); from += MESSAGES_PER_INSERT) {
            List<NewMessage> chunk = messages.subList(from, Math.min(messages.size(), from + MESSAGES_PER_INSERT));
            Map<Integer, Long> byPosition = h.query(INSERT_MESSAGES[chunk.size() - 1], p -> {
                for (NewMessage m : chunk) {
                    bindMessage(p, m);
                }
            }, rs -> {
                Map<Integer, Long> out = new HashMap<>();
                while (rs.next()) {
                    out.put(rs.getInt(2), rs.getLong(1));
                }
                return out;
            });
            for (NewMessage m : chunk) {
                ids.add(byPosition.get(m.place().position()));
            }
        }
        return ids;
    }

    static long insertMessage(PinnedHandle h, NewMessage message) {
        return insertMessages(h, List.of(message)).get(0);
    }

    static void insertAttachment(PinnedHandle h, MessageAttachment a) {
        h.update(INSERT_ATTACHMENT, p -> p.bigint(a.messageId()).integer(a.partIndex()).text(a.attachmentId())
                .text(a.filename()).text(a.mimeType()));
    }

    /**
     * A hop's session update: reserves {@code positions} (0 or 1) and adds its usage. Returns the reserved position.
     */
    static int hopOnSession(PinnedHandle h, String sessionId, int positions, double cost, long prompt,
                            long completion, String model, String now) {
        Integer first = h.query(HOP_ON_SESSION, p -> p.integer(positions).real(cost).bigint(prompt).bigint(completion)
                        .text(model).text(now).text(sessionId).integer(positions),
                rs -> rs.next() ? rs.getInt(1) : null);
        if (first == null) {
            throw new IllegalStateException("Session " + sessionId + " not found");
        }
        return first;
    }

    static void insertGeneration(PinnedHandle h, NewGeneration g) {
        NewGeneration.Source s = g.source();
        NewGeneration.Usage u = g.usage();
        NewGeneration.Timing t = g.timing();
        h.update(INSERT_GENERATION, p -> p.text(g.turnId()).integer(g.hop()).text(s.generationId()).text(s.model())
                .text(s.provider()).text(g.status()).text(s.finishReason()).text(s.nativeFinishReason())
                .bigint(u.promptTokens()).bigint(u.completionTokens()).bigint(u.reasoningTokens())
                .bigint(u.cachedTokens()).real(u.cost()).text(u.usage()).text(s.routing()).text(s.meta())
                .bigint(g.messageId()).text(t.startedAt()).text(t.firstTokenAt()).text(t.finishedAt()));
    }

    static void addHop(PinnedHandle h, String turnId, int hop, long prompt, long completion, long reasoning,
                       Double cost) {
        h.update(ADD_HOP, p -> p.integer(hop).bigint(prompt).bigint(completion).bigint(reasoning).real(cost)
                .real(cost).text(turnId));
    }

    static void finishTurn(PinnedHandle h, String turnId, ConversationStore.TurnEnd end, String now) {
        finishTurn(h, turnId, end.status(), end.cancelReason(), end.errorStatus(), end.errorDetail(),
                end.lastEventId(), now);
    }

    static void finishTurn(PinnedHandle h, String turnId, String status, String cancelReason, Integer errorStatus,
                           String errorDetail, int lastEventId, String now) {
        h.update(FINISH_TURN, p -> p.text(status).text(cancelReason).integer(errorStatus).text(errorDetail)
                .integer(lastEventId).text(now).text(turnId));
    }

    static void recount(PinnedHandle h, String sessionId, String now) {
        h.update(RECOUNT, p -> p.text(sessionId).text(now).text(sessionId));
    }

    static List<MessageRow> history(PinnedHandle h, String sessionId) {
        return h.query(HISTORY, p -> p.text(sessionId), TurnStatements::messages);
    }

    static List<MessageRow> byTurn(PinnedHandle h, String turnId) {
        return h.query(BY_TURN, p -> p.text(turnId), TurnStatements::messages);
    }

    private static void bindMessage(Params p, NewMessage m) throws SQLException {
        NewMessage.Place place = m.place();
        NewMessage.Body body = m.body();
        NewMessage.ToolPart tool = m.tool();
        NewMessage.Assistant a = m.assistant();
        p.text(place.sessionId()).text(place.turnId()).integer(place.position()).text(m.role()).text(body.content())
                .text(body.contentKind()).text(body.name()).text(tool.toolCalls()).text(tool.toolCallId())
                .text(tool.toolName()).bool(tool.isError()).bool(tool.synthetic()).text(body.status())
                .text(place.clientMessageId()).text(place.parentClientMessageId()).text(a.model())
                .text(a.finishReason()).text(a.generationId()).text(a.usage()).real(a.cost()).text(a.reasoning())
                .text(a.reasoningDetails()).text(a.routing()).text(m.meta()).text(m.extra()).text(m.createdAt());
    }

    /** Maps rows of {@link MessageDao#COLUMNS}, in that order, as the DAO's constructor mapper would. */
    private static List<MessageRow> messages(ResultSet rs) throws SQLException {
        List<MessageRow> rows = new ArrayList<>();
        while (rs.next()) {
            double cost = rs.getDouble(21);
            Double boxedCost = rs.wasNull() ? null : cost;
            NewMessage m = new NewMessage(
                    new NewMessage.Place(rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(15),
                            rs.getString(16)),
                    rs.getString(5),
                    new NewMessage.Body(rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(14)),
                    new NewMessage.ToolPart(rs.getString(9), rs.getString(10), rs.getString(11), rs.getBoolean(12),
                            rs.getBoolean(13)),
                    new NewMessage.Assistant(rs.getString(17), rs.getString(18), rs.getString(19), rs.getString(20),
                            boxedCost, rs.getString(22), rs.getString(23), rs.getString(24)),
                    rs.getString(25), rs.getString(26), rs.getString(27));
            rows.add(new MessageRow(rs.getLong(1), m));
        }
        return rows;
    }
}
