package dev.orchat.bench;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario 9 (docs/api.md §3.6): {@code n} turns, each dropped by its client once at a random event, then resumed
 * with {@code Last-Event-ID} on {@code GET /api/chat/turns/{id}/events}. A turn counts as whole when the content
 * read before the drop plus the content read after it is exactly the scripted answer and the two parts together
 * hold exactly as many events as an uninterrupted stream: nothing lost, nothing doubled.
 */
final class ResumeScenario {
    final AtomicInteger whole = new AtomicInteger();
    final AtomicInteger lost = new AtomicInteger();
    final AtomicInteger duplicated = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger snapshots = new AtomicInteger();
    final Samples resumeFirstEvent = new Samples();

    private final StreamClient client;
    private final InetSocketAddress address;
    private final String expected;
    private final int eventsPerTurn;
    private final CountDownLatch done;

    private ResumeScenario(StreamClient client, InetSocketAddress address, String expected, int eventsPerTurn, int n) {
        this.client = client;
        this.address = address;
        this.expected = expected;
        this.eventsPerTurn = eventsPerTurn;
        this.done = new CountDownLatch(n);
    }

    /** The answer text of {@code Scripts.paced(chunks, …)}. */
    static String pacedText(int chunks) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < chunks; i++) {
            b.append("tok").append(i).append(' ');
        }
        return b.toString();
    }

    static ResumeScenario run(StreamClient client, InetSocketAddress address, int port, int n, int chunks,
                              int eventsPerTurn, long rampMillis) throws InterruptedException {
        ResumeScenario s = new ResumeScenario(client, address, pacedText(chunks), eventsPerTurn, n);
        Random random = new Random(42);
        byte[] post = StreamClient.chatRequest("127.0.0.1", port, "/api/chat/stream", null);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long due = t0 + TimeUnit.MILLISECONDS.toNanos(rampMillis) * i / Math.max(1, n);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            Turn turn = s.new Turn(2 + random.nextInt(Math.max(1, eventsPerTurn - 3)));
            client.open(address, post, turn.first);
        }
        s.done.await(120, TimeUnit.SECONDS);
        return s;
    }

    /** One turn: the first attachment, dropped after {@code dropAfter} events, then the resumed one. */
    private final class Turn {
        final int dropAfter;
        final StringBuilder text = new StringBuilder();
        final List<String> names = new ArrayList<>();
        String turnId;
        int seen;
        long resumeSent;
        boolean finished;

        final StreamClient.Listener first = new StreamClient.Listener() {
            @Override
            public void onEvent(StreamClient.Stream st, String name, String data, long readNanos) {
                if (seen >= dropAfter) {
                    return;
                }
                take(name, data);
                if (name.equals("session")) {
                    turnId = field(data, "turn_id");
                }
                if (seen == dropAfter) {
                    client.abort(st, null);
                }
            }

            @Override
            public void onEnd(StreamClient.Stream st, String error, long nanos) {
                if (turnId == null) {
                    end(failed);
                    return;
                }
                if (finished) {
                    check();
                    return;
                }
                resumeSent = System.nanoTime();
                String head = "GET /api/chat/turns/" + turnId + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Accept: text/event-stream\r\nLast-Event-ID: " + seen + "\r\nConnection: close\r\n\r\n";
                client.open(address, head.getBytes(StandardCharsets.ISO_8859_1), resumed);
            }
        };

        final StreamClient.Listener resumed = new StreamClient.Listener() {
            private boolean firstEvent = true;

            @Override
            public void onEvent(StreamClient.Stream st, String name, String data, long readNanos) {
                if (firstEvent) {
                    firstEvent = false;
                    resumeFirstEvent.add(readNanos - resumeSent);
                }
                if (name.equals("snapshot")) {
                    snapshots.incrementAndGet(); // the buffer is 4 MiB; a snapshot here would mean a bug or a tiny cap
                }
                take(name, data);
            }

            @Override
            public void onEnd(StreamClient.Stream st, String error, long nanos) {
                check();
            }
        };

        Turn(int dropAfter) {
            this.dropAfter = dropAfter;
        }

        void take(String name, String data) {
            seen++;
            names.add(name);
            if (name.equals("message")) {
                if (data.equals("[DONE]")) {
                    finished = true;
                } else {
                    String content = field(data, "content");
                    if (content != null) {
                        text.append(content);
                    }
                }
            }
        }

        void check() {
            if (!finished) {
                end(failed);
            } else if (seen > eventsPerTurn || text.length() > expected.length()) {
                end(duplicated);
            } else if (seen < eventsPerTurn || !text.toString().equals(expected)) {
                end(lost);
            } else {
                end(whole);
            }
        }

        void end(AtomicInteger outcome) {
            outcome.incrementAndGet();
            done.countDown();
        }
    }

    /** A string field of a small JSON object, found by text (callbacks run on the client's selector thread). */
    static String field(String json, String name) {
        String key = "\"" + name + "\":\"";
        int at = json.indexOf(key);
        if (at < 0) {
            return null;
        }
        int start = at + key.length();
        int end = json.indexOf('"', start);
        return end < 0 ? null : json.substring(start, end);
    }
}
