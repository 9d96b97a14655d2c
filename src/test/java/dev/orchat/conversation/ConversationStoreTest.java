package dev.orchat.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchat.db.Migrations;
import dev.orchat.testing.Db;
import dev.orchat.testing.TestApp;
import dev.orchat.web.ApiException;
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
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** The store on a real SQLite file with the real changelog: I1, I2 and crash recovery (SPEC §2.3, §4.15). */
class ConversationStoreTest {
    Path dir;
    ConversationStore store;
    Db db;

    @BeforeEach
    void setUp() throws Exception {
        dir = TestApp.tempDir();
        SQLiteConfig config = new SQLiteConfig();
        config.enforceForeignKeys(true);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + dir.resolve("chat.db"));
        Migrations.apply(ds);
        Jdbi jdbi = Jdbi.create(ds).installPlugin(new SqlObjectPlugin());
        store = new ConversationStore(jdbi, Clock.fixed(Instant.parse("2025-10-21T16:09:51.678Z"), ZoneOffset.UTC));
        db = new Db(dir.resolve("chat.db"));
    }

    static List<ConversationStore.IncomingMessage> user(String text) {
        return List.of(new ConversationStore.IncomingMessage("user", text, "text", null, "c1", null, List.of()));
    }

    @Test
    void oneRunningTurnPerSession() {
        ConversationStore.StartedTurn started = store.startTurn("s1", "t1", "m", null, null, user("hi"), "hi", false);
        assertThat(started.newSession()).isTrue();
        assertThat(started.messageIds()).hasSize(1);
        assertThatThrownBy(() -> store.startTurn("s1", "t2", "m", null, null, user("again"), "x", false))
                .isInstanceOf(ApiException.class).extracting(e -> ((ApiException) e).status()).isEqualTo(409);
        assertThat(db.query("SELECT id FROM messages WHERE turn_id = 't2'")).isEmpty();
        store.finishTurn("s1", "t1", "complete", null, null, null, 3);
        ConversationStore.StartedTurn next = store.startTurn("s1", "t2", "m", null, null, user("again"), "x", false);
        assertThat(next.newSession()).isFalse();
        assertThat(db.query("SELECT seq FROM turns WHERE id = 't2'").get(0).get("seq")).isEqualTo(2);
        assertThat(db.query("SELECT title, created_at FROM sessions").get(0))
                .isEqualTo(Map.of("title", "hi", "created_at", "2025-10-21T16:09:51.678Z"));
    }

    @Test
    void strictModeRefusesUnknownSessions() {
        assertThatThrownBy(() -> store.startTurn("nope", "t1", "m", null, null, user("hi"), "hi", true))
                .extracting(e -> ((ApiException) e).status()).isEqualTo(404);
        assertThat(db.query("SELECT id FROM sessions")).isEmpty();
    }

    @Test
    void crashRecoveryFailsRunningTurnsAndAnswersDanglingToolCalls() {
        store.startTurn("s1", "t1", "m", null, null, user("hi"), "hi", false);
        NewMessage assistant = new NewMessage("s1", "t1", 0, "assistant", null, "null", null,
                "[{\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}},"
                        + "{\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}}]",
                null, null, false, false, "complete", null, null, "m", "tool_calls", "gen-1", null, null, null, null,
                null, null, null, store.now());
        NewGeneration generation = new NewGeneration("t1", 1, "gen-1", "m", "p", "complete", "tool_calls", null,
                10L, 2L, null, null, 0.5, null, null, null, null, store.now(), store.now(), store.now());
        store.recordHop("s1", assistant, generation, 0);
        int base = store.reservePositions("s1", 2);
        store.storeToolResult(NewMessage.toolResult("s1", "t1", base, "call_a", "f", "ok", false, false, "complete", store.now()));

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
