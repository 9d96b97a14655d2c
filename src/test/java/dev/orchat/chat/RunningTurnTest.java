package dev.orchat.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The wait between upstream retries holds no thread, ends at its delay, and a cancel ends it at once. */
class RunningTurnTest {

    @Test
    void aRetryWaitEndsWithTrueAfterItsDelay() throws Exception {
        RunningTurn turn = new RunningTurn("s", "t");
        assertThat(turn.retryAfter(20).get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aCancelEndsARetryWaitAtOnceWithFalse() throws Exception {
        RunningTurn turn = new RunningTurn("s", "t");
        CompletableFuture<Boolean> wait = turn.retryAfter(TimeUnit.MINUTES.toMillis(10));
        assertThat(wait).isNotDone();
        turn.cancel(CancelReason.USER_CANCEL);
        // Far less than the ten minutes of the delay: only the cancel can have ended it.
        assertThat(wait.get(5, TimeUnit.SECONDS)).isFalse();
        assertThat(turn.retryAfter(TimeUnit.MINUTES.toMillis(10)).get(5, TimeUnit.SECONDS)).isFalse();
    }
}
