package dev.orchat.conversation;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.db.Migrations;
import dev.orchat.testing.Db;
import dev.orchat.testing.TestApp;
import dev.orchat.testing.TestDatabase;
import dev.orchat.web.DomainException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store on a real SQLite file with the real changelog: I1, I2 and crash recovery (docs/architecture.md §7, §4.15). */
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class ConversationStoreTest {
    Path dir;
    ConversationStore store;
    Db db;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestApp.tempDir();
        javax.sql.DataSource ds = TestDatabase.dataSource(dir);
        Migrations.apply(ds);
        Jdbi jdbi = Jdbi.create(ds).installPlugin(new SqlObjectPlugin());
        store = new ConversationStore(TestDatabase.database(jdbi, 2),
                Clock.fixed(Instant.parse("2025-10-21T16:09:51.678Z"), ZoneOffset.UTC), new ObjectMapper());
        db = new Db(dir.resolve("chat.db"));
    }

    static List<ConversationStore.IncomingMessage> user(String text) {
        return List.of(new ConversationStore.IncomingMessage("user", text, "text", null, "c1", null, List.of()));
    }

    static ConversationStore.NewTurn turn(String session, String turn, String text, boolean requireExisting) {
        return new ConversationStore.NewTurn(session, turn, "m", null, null, user(text), text, requireExisting);
    }

    static ConversationStore.TurnEnd ended(String status) {
        return new ConversationStore.TurnEnd(status, null, null, null, 3, true);
    }

    @Test
    void oneRunningTurnPerSession() {
        ConversationStore.StartedTurn started = store.startTurn(turn("s1", "t1", "hi", false));
        assertThat(started.newSession()).isTrue();
        assertThat(started.messageIds()).hasSize(1);
        assertThatThrownBy(() -> store.startTurn(turn("s1", "t2", "again", false)))
                .isInstanceOf(TurnInProgressException.class)
                .extracting(e -> ((DomainException) e).kind()).isEqualTo(DomainException.Kind.CONFLICT);
        assertThat(db.query("SELECT id FROM messages WHERE turn_id = 't2'")).isEmpty();
        store.finishTurn("s1", "t1", ended("complete"));
        ConversationStore.StartedTurn next = store.startTurn(turn("s1", "t2", "again", false));
        assertThat(next.newSession()).isFalse();
        assertThat(db.query("SELECT seq FROM turns WHERE id = 't2'").get(0).get("seq")).isEqualTo(2);
        assertThat(db.query("SELECT title, created_at FROM sessions").get(0))
                .isEqualTo(Map.of("title", "hi", "created_at", "2025-10-21T16:09:51.678Z"));
    }

    @Test
    void strictModeRefusesUnknownSessions() {
        assertThatThrownBy(() -> store.startTurn(turn("nope", "t1", "hi", true)))
                .isInstanceOf(SessionNotFoundException.class);
        assertThat(db.query("SELECT id FROM sessions")).isEmpty();
    }

    @Test
    void aTurnAwaitingApprovalIsStillUnderWayAndNeverRevivedOnceEnded() {
        store.startTurn(turn("s1", "t1", "hi", false));
        store.setAwaitingApproval("t1", true);
        assertThat(db.turn("t1").get("status")).isEqualTo("awaiting_approval");
        // Still the session's one turn under way (migration 007's index) and what recovery finds.
        assertThatThrownBy(() -> store.startTurn(turn("s1", "t2", "again", false)))
                .isInstanceOf(TurnInProgressException.class);
        store.setAwaitingApproval("t1", false);
        assertThat(db.turn("t1").get("status")).isEqualTo("running");
        store.setAwaitingApproval("t1", true);
        assertThat(store.recoverInterruptedTurns()).isEqualTo(1);
        assertThat(db.turn("t1").get("status")).isEqualTo("failed");
        store.setAwaitingApproval("t1", false);
        store.setAwaitingApproval("t1", true);
        assertThat(db.turn("t1").get("status")).isEqualTo("failed");
    }

    @Test
    void crashRecoveryFailsRunningTurnsAndAnswersDanglingToolCalls() {
        store.startTurn(turn("s1", "t1", "hi", false));
        List<ToolCall> calls = List.of(new ToolCall("call_a", "function", "f", "{}"),
                new ToolCall("call_b", "function", "g", "{}"));
        HopOutcome hop = new HopOutcome(1, "complete",
                new HopOutcome.Reply(null, null, null, calls, "tool_calls", null),
                new HopOutcome.Usage(10L, 2L, null, null, 0.5, null),
                new HopOutcome.Source("m", "p", "gen-1", null, null),
                new HopOutcome.Timing(Instant.EPOCH, Instant.EPOCH, Instant.EPOCH), false);
        store.recordHop(new ConversationStore.TurnRef("s1", "t1", null, null), hop);
        int base = store.reservePositions("s1", 2);
        store.storeToolResult(new NewMessage.Place("s1", "t1", base, null, null), calls.get(0),
                new ConversationStore.ToolResultText("ok", false, false, "complete"));

        assertThat(store.recoverInterruptedTurns()).isEqualTo(1);

        Map<String, Object> turn = db.turn("t1");
        assertThat(turn.get("status")).isEqualTo("failed");
        assertThat(turn.get("error_detail")).isEqualTo("Service restarted during the turn");
        List<Map<String, Object>> synthetic = db.query("SELECT content, is_error, synthetic FROM messages WHERE tool_call_id = 'call_b'");
        assertThat(synthetic).containsExactly(Map.of("content", "Cancelled before completion.", "is_error", 1, "synthetic", 1));
        db.assertToolPairing("s1");
        assertThat(db.query("SELECT total_cost, total_prompt_tokens FROM sessions").get(0))
                .isEqualTo(Map.of("total_cost", 0.5, "total_prompt_tokens", 10));
        assertThat(store.recoverInterruptedTurns()).isZero();
    }
}
