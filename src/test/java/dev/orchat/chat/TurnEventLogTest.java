package dev.orchat.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.glassfish.jersey.media.sse.OutboundEvent;
import org.junit.jupiter.api.Test;

/** The per-turn event log: numbering, fan-out, replay and clients that leave mid-write. */
class TurnEventLogTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final Sse SSE = new Sse() {
        @Override
        public OutboundSseEvent.Builder newEventBuilder() {
            return new OutboundEvent.Builder();
        }

        @Override
        public SseBroadcaster newBroadcaster() {
            throw new UnsupportedOperationException();
        }
    };

    /** A sink that records what it was sent, or fails every send after running {@code onSend}. */
    private static class Sink implements SseEventSink {
        final List<String> ids = new ArrayList<>();
        Runnable failWith;
        boolean closed;

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public CompletionStage<?> send(OutboundSseEvent event) {
            if (failWith != null) {
                failWith.run();
                return CompletableFuture.failedFuture(new IOException("client gone"));
            }
            ids.add(event.getId());
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static final class Policy implements TurnEventLog.DetachPolicy {
        final AtomicInteger left = new AtomicInteger();

        @Override
        public void lastClientLeft(TurnEventLog log) {
            left.incrementAndGet();
        }

        @Override
        public void turnEnded(TurnEventLog log) {
        }
    }

    private static void append(TurnEventLog log, int n) {
        for (int i = 0; i < n; i++) {
            log.append(new TurnEvents.Encoded("message", "{\"n\":" + i + "}"), new ChatStreamEvent.UpstreamChunk("x"));
        }
    }

    @Test
    void aClientWhoseFailedWriteDetachesItOnTheSameThreadIsDroppedCleanly() {
        Policy policy = new Policy();
        TurnEventLog log = new TurnEventLog(new RunningTurn("s", "t"), 1 << 20, policy, new ReplaySnapshot(MAPPER));
        Sink leaving = new Sink();
        EventStream stream = new EventStream(leaving, SSE);
        // Jetty reports a failed write to the request's failure listener on the writing thread; ours detaches.
        leaving.failWith = () -> log.detach(stream);
        Sink staying = new Sink();
        log.attachLive(stream);
        log.attachLive(new EventStream(staying, SSE));

        append(log, 3);

        assertThat(staying.ids).containsExactly("1", "2", "3");
        assertThat(log.clients()).hasSize(1);
        assertThat(leaving.closed).isTrue();
        assertThat(policy.left.get()).isZero();
    }

    @Test
    void aLateClientGetsWhatItMissedThenTheLiveEventsWithoutAGap() {
        TurnEventLog log = new TurnEventLog(new RunningTurn("s", "t"), 1 << 20, new Policy(), new ReplaySnapshot(MAPPER));
        append(log, 5);
        Sink late = new Sink();
        assertThat(log.attach(new EventStream(late, SSE), 2)).isTrue();
        append(log, 2);
        assertThat(late.ids).containsExactly("3", "4", "5", "6", "7");
    }

    @Test
    void theLastClientLeavingTellsThePolicyOnce() {
        Policy policy = new Policy();
        TurnEventLog log = new TurnEventLog(new RunningTurn("s", "t"), 1 << 20, policy, new ReplaySnapshot(MAPPER));
        Sink only = new Sink();
        log.attachLive(new EventStream(only, SSE));
        only.failWith = () -> { };
        append(log, 2);
        assertThat(policy.left.get()).isEqualTo(1);
        assertThat(log.clients()).isEmpty();
    }

    /**
     * The policy (which cancels the upstream) hears of the last client leaving before that client's response is
     * closed: completing a dead response can take a while, and the upstream should not wait for it
     * (docs/architecture.md, "Keep-alive and disconnect detection"). Both ways a client leaves: a failed write and a
     * detach.
     */
    @Test
    void thePolicyHearsOfTheLastClientBeforeItsStreamIsClosed() {
        for (boolean byDetach : new boolean[] {false, true}) {
            List<String> order = new ArrayList<>();
            TurnEventLog.DetachPolicy policy = new TurnEventLog.DetachPolicy() {
                @Override
                public void lastClientLeft(TurnEventLog log) {
                    order.add("policy");
                }

                @Override
                public void turnEnded(TurnEventLog log) {
                }
            };
            TurnEventLog log = new TurnEventLog(new RunningTurn("s", "t"), 1 << 20, policy, new ReplaySnapshot(MAPPER));
            Sink only = new Sink() {
                @Override
                public void close() {
                    super.close();
                    order.add("close");
                }
            };
            EventStream stream = new EventStream(only, SSE);
            log.attachLive(stream);
            if (byDetach) {
                log.detach(stream);
            } else {
                only.failWith = () -> { };
                append(log, 1);
            }
            assertThat(order).as(byDetach ? "detach" : "failed write").containsExactly("policy", "close");
        }
    }
}
