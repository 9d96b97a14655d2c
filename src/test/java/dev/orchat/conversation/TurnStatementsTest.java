package dev.orchat.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.db.Migrations;
import dev.orchat.testing.Db;
import dev.orchat.testing.TestApp;
import dev.orchat.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The turn's statements on plain JDBC (docs/architecture.md, "The store") store and read exactly what the DAOs did:
 * the history reads back as the DAO's constructor mapper maps it, and the folded session updates leave the same
 * counters, positions and titles.
 */
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class TurnStatementsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    Path dir;
    Jdbi jdbi;
    ConversationStore store;
    Db db;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestApp.tempDir();
        javax.sql.DataSource ds = TestDatabase.dataSource(dir);
        Migrations.apply(ds);
        jdbi = Jdbi.create(ds).installPlugin(new SqlObjectPlugin());
        store = new ConversationStore(TestDatabase.database(jdbi, 2),
                Clock.fixed(Instant.parse("2025-10-21T16:09:51.678Z"), ZoneOffset.UTC), JSON, "instance-1");
        db = new Db(dir.resolve("chat.db"));
    }

    private static ConversationStore.IncomingMessage message(String role, String text, String clientId) {
        return new ConversationStore.IncomingMessage(role, text, "text", null, clientId, null, List.of());
    }

    private static HopOutcome hop(int n, String status, String text, List<ToolCall> calls, Double cost) {
        ObjectNode usage = JSON.createObjectNode().put("prompt_tokens", 10 * n).put("cost", cost);
        return new HopOutcome(n, status,
                new HopOutcome.Reply(text, JSON.createArrayNode().add("thought"), null, calls,
                        calls.isEmpty() ? "stop" : "tool_calls", "native"),
                new HopOutcome.Usage(10L * n, 2L, 1L, null, cost, usage),
                new HopOutcome.Source("model-" + n, "prov", "gen-" + n, JSON.createObjectNode().put("r", 1),
                        JSON.createObjectNode().put("m", 2)),
                new HopOutcome.Timing(Instant.EPOCH, Instant.EPOCH.plusMillis(5), Instant.EPOCH.plusMillis(9)), true);
    }

    private List<List<Object>> viaDao(String sessionId) {
        return flat(jdbi.withExtension(MessageDao.class, dao -> dao.bySession(sessionId)));
    }

    private static List<List<Object>> flat(List<MessageRow> rows) {
        List<List<Object>> out = new ArrayList<>();
        rows.forEach(r -> out.add(List.of(r.id(), r.message())));
        return out;
    }

    @Test
    void aWholeTurnReadsBackAsTheDaoMapsItAndKeepsTheSessionCounters() {
        List<ConversationStore.IncomingMessage> incoming = List.of(message("system", "be brief", "c0"),
                message("user", "hi", "c1"));
        ConversationStore.StartedTurn started = store.startTurn(new ConversationStore.NewTurn("s1", "t1", "m",
                "ca", "cp", incoming, "hi", false));
        assertThat(started.newSession()).isTrue();
        List<Map<String, Object>> ids = db.query("SELECT id FROM messages ORDER BY position");
        assertThat(started.messageIds()).containsExactly(((Number) ids.get(0).get("id")).longValue(),
                ((Number) ids.get(1).get("id")).longValue());

        List<ToolCall> calls = List.of(new ToolCall("call_a", "function", "f", "{}"),
                new ToolCall("call_b", "function", "g", "{\"x\":1}"));
        ConversationStore.TurnRef ref = new ConversationStore.TurnRef("s1", "t1", "ca", "cp");
        Long first = store.recordHop(ref, hop(1, "complete", null, calls, 0.25));
        int base = store.reservePositions("s1", 2);
        store.storeToolResult(new NewMessage.Place("s1", "t1", base, null, null), calls.get(0),
                new ConversationStore.ToolResultText("ok", false, false, "complete", "{\"approval\":\"allow\"}"));
        store.storeToolResult(new NewMessage.Place("s1", "t1", base + 1, null, null), calls.get(1),
                new ConversationStore.ToolResultText("bad", true, true, "error"));
        Long second = store.recordHop(ref, hop(2, "complete", "done", List.of(), null));
        Long none = store.recordHop(ref, new HopOutcome(3, "failed",
                new HopOutcome.Reply(null, null, null, List.of(), null, null),
                new HopOutcome.Usage(null, null, null, null, null, null),
                new HopOutcome.Source(null, null, null, null, null),
                new HopOutcome.Timing(Instant.EPOCH, null, null), false));
        store.finishTurn("s1", "t1", new ConversationStore.TurnEnd("complete", null, null, null, 9, true));

        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        assertThat(none).isNull();
        List<MessageRow> history = store.history("s1");
        assertThat(flat(history)).isEqualTo(viaDao("s1"));
        assertThat(history).extracting(MessageRow::position).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(history).extracting(MessageRow::role)
                .containsExactly("system", "user", "assistant", "tool", "tool", "assistant");
        assertThat(history.get(2).cost()).isEqualTo(0.25);
        assertThat(history.get(5).cost()).isNull();
        assertThat(history.get(4).isError()).isTrue();
        assertThat(history.get(4).synthetic()).isTrue();
        db.assertToolPairing("s1");

        Map<String, Object> session = db.query("SELECT title, title_source, message_count, next_position, total_cost,"
                + " total_prompt_tokens, total_completion_tokens, last_model, created_at, updated_at FROM sessions").get(0);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("title", "hi");
        expected.put("title_source", "auto");
        expected.put("message_count", 3); // user + two assistant messages
        expected.put("next_position", 7);
        expected.put("total_cost", 0.25);
        expected.put("total_prompt_tokens", 30);
        expected.put("total_completion_tokens", 4);
        expected.put("last_model", "model-2"); // the failed hop names no model
        expected.put("created_at", "2025-10-21T16:09:51.678Z");
        expected.put("updated_at", "2025-10-21T16:09:51.678Z");
        assertThat(session).isEqualTo(expected);

        Map<String, Object> turn = db.turn("t1");
        assertThat(turn).containsEntry("hop_count", 3).containsEntry("prompt_tokens", 30)
                .containsEntry("completion_tokens", 4).containsEntry("reasoning_tokens", 2)
                .containsEntry("cost", 0.25).containsEntry("status", "complete").containsEntry("last_event_id", 9)
                .containsEntry("seq", 1).containsEntry("owner_instance", "instance-1")
                .containsEntry("client_assistant_message_id", "ca").containsEntry("client_parent_message_id", "cp");
        List<Map<String, Object>> generations = db.query("SELECT hop, message_id, status, model, cost, routing,"
                + " first_token_at FROM generations ORDER BY hop");
        assertThat(generations).hasSize(3);
        assertThat(((Number) generations.get(0).get("message_id")).longValue()).isEqualTo(first);
        assertThat(generations.get(0)).containsEntry("cost", 0.25).containsEntry("routing", "{\"r\":1}")
                .containsEntry("first_token_at", "1970-01-01T00:00:00.005Z");
        assertThat(generations.get(2).get("message_id")).isNull();
        assertThat(generations.get(2).get("cost")).isNull();
    }

    @Test
    void manyIncomingMessagesAreStoredInOrderWithTheirIds() {
        List<ConversationStore.IncomingMessage> incoming = new ArrayList<>();
        for (int i = 0; i < TurnStatements.MESSAGES_PER_INSERT * 2 + 3; i++) {
            incoming.add(message(i % 2 == 0 ? "user" : "assistant", "m" + i, "c" + i));
        }
        ConversationStore.StartedTurn started = store.startTurn(new ConversationStore.NewTurn("s1", "t1", "m",
                null, null, incoming, "m0", false));
        List<Map<String, Object>> rows = db.query("SELECT id, position, content FROM messages ORDER BY position");
        assertThat(rows).hasSize(incoming.size());
        for (int i = 0; i < rows.size(); i++) {
            assertThat(rows.get(i).get("content")).isEqualTo("m" + i);
            assertThat(((Number) rows.get(i).get("id")).longValue()).isEqualTo(started.messageIds().get(i));
        }
        assertThat(db.query("SELECT message_count, next_position FROM sessions").get(0))
                .isEqualTo(Map.of("message_count", 10, "next_position", incoming.size() + 1));
    }

    @Test
    void anExistingSessionKeepsItsTitleCountsOnAndGetsAnAutomaticTitleOnlyWhenItHasNone() {
        store.startTurn(new ConversationStore.NewTurn("s1", "t1", "m", null, null,
                List.of(message("user", "first", "c1")), "first", false));
        store.finishTurn("s1", "t1", new ConversationStore.TurnEnd("complete", null, null, null, 2, false));
        ConversationStore.StartedTurn next = store.startTurn(new ConversationStore.NewTurn("s1", "t2", "m", null,
                null, List.of(message("user", "second", "c2")), "second", false));
        assertThat(next.newSession()).isFalse();
        assertThat(db.query("SELECT title, message_count, next_position FROM sessions").get(0))
                .isEqualTo(Map.of("title", "first", "message_count", 2, "next_position", 3));
        assertThat(db.turn("t2").get("seq")).isEqualTo(2);
        store.finishTurn("s1", "t2", new ConversationStore.TurnEnd("complete", null, null, null, 2, false));

        // An imported session may have no title while its source says "user": a turn start makes it automatic.
        db.update("UPDATE sessions SET title = NULL, title_source = 'user'");
        store.startTurn(new ConversationStore.NewTurn("s1", "t3", "m", null, null,
                List.of(message("user", "third", "c3")), null, false));
        Map<String, Object> untitled = new LinkedHashMap<>();
        untitled.put("title", null);
        untitled.put("title_source", "auto");
        assertThat(db.query("SELECT title, title_source FROM sessions").get(0)).isEqualTo(untitled);
        store.finishTurn("s1", "t3", new ConversationStore.TurnEnd("complete", null, null, null, 2, false));
        store.startTurn(new ConversationStore.NewTurn("s1", "t4", "m", null, null,
                List.of(message("user", "fourth", "c4")), "fourth", false));
        assertThat(db.query("SELECT title, title_source FROM sessions").get(0))
                .isEqualTo(Map.of("title", "fourth", "title_source", "auto"));
    }

    @Test
    void aRefusedStartLeavesTheSessionAsItWas() {
        store.startTurn(new ConversationStore.NewTurn("s1", "t1", "m", null, null,
                List.of(message("user", "first", "c1")), "first", false));
        store.setAwaitingApproval("t1", true); // not "running": only the session's check can refuse (I1)
        List<Map<String, Object>> before = db.query("SELECT * FROM sessions");
        assertThatThrownBy(() -> store.startTurn(new ConversationStore.NewTurn("s1", "t2", "m", null, null,
                List.of(message("user", "second", "c2")), "second", false)))
                .isInstanceOf(TurnInProgressException.class);
        assertThat(db.query("SELECT * FROM sessions")).isEqualTo(before);
        assertThat(db.query("SELECT id FROM turns")).hasSize(1);
    }
}
