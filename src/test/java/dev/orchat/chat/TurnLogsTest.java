package dev.orchat.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The memory the events of ended turns may hold, and the retention sweep (docs/configuration.md, chat.replay*). */
class TurnLogsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static TurnEventLog endedTurn(TurnLogs logs, String turnId, int events) {
        RunningTurn turn = new RunningTurn("s-" + turnId, turnId);
        TurnEventLog log = new TurnEventLog(turn, 1 << 20, logs, new ReplaySnapshot(MAPPER));
        logs.register(turnId, log);
        for (int i = 0; i < events; i++) {
            log.append(new TurnEvents.Encoded("message", "x".repeat(100)), new ChatStreamEvent.UpstreamChunk("x"));
        }
        log.end();
        return log;
    }

    @Test
    void theOldestEndedTurnsAreForgottenBeyondTheBudget() {
        TurnLogs logs = new TurnLogs(Duration.ZERO, Duration.ofMinutes(5), 2_500);
        endedTurn(logs, "a", 8); // ~1 KiB each
        endedTurn(logs, "b", 8);
        assertThat(logs.find("a")).isPresent();
        endedTurn(logs, "c", 8);
        assertThat(logs.find("a")).as("oldest goes first").isEmpty();
        assertThat(logs.find("b")).isPresent();
        assertThat(logs.find("c")).isPresent();
    }

    @Test
    void theSweepForgetsEndedTurnsPastTheRetentionAndKeepsRunningOnes() throws InterruptedException {
        TurnLogs logs = new TurnLogs(Duration.ZERO, Duration.ofMillis(50), 1 << 30);
        endedTurn(logs, "old", 1);
        RunningTurn running = new RunningTurn("s-live", "live");
        logs.register("live", new TurnEventLog(running, 1 << 20, logs, new ReplaySnapshot(MAPPER)));
        Thread.sleep(120);
        logs.sweep();
        assertThat(logs.find("old")).isEmpty();
        assertThat(logs.find("live")).isPresent();
    }

    @Test
    void withNoGraceTheLastClientLeavingCancelsTheTurn() {
        TurnLogs logs = new TurnLogs(Duration.ZERO, Duration.ofMinutes(5), 1 << 30);
        RunningTurn turn = new RunningTurn("s", "t");
        TurnEventLog log = new TurnEventLog(turn, 1 << 20, logs, new ReplaySnapshot(MAPPER));
        logs.lastClientLeft(log);
        assertThat(turn.cancelReason()).isEqualTo(CancelReason.CLIENT_DISCONNECT);
    }
}
