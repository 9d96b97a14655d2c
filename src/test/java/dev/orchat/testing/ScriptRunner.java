package dev.orchat.testing;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Plays one {@link Script} onto a connection and reports its fate to {@link StreamStats}. */
final class ScriptRunner {

    /** Whether the connection may carry another request afterwards. */
    enum Outcome { KEEP_ALIVE, CLOSE }

    /** The peer went away while we were sleeping or stalling (no write has failed yet). */
    private static final class PeerClosed extends Exception {
        PeerClosed() {
            super(null, null, false, false);
        }
    }

    private static final String SSE_EVENT_END = "\n\n";

    private final FakeOpenRouter fake;
    private final HttpInput in;
    private final HttpOutput out;
    private final boolean closeAfter;
    private boolean headSent;
    private boolean generationNoted;

    ScriptRunner(FakeOpenRouter fake, HttpInput in, HttpOutput out, boolean closeAfter) {
        this.fake = fake;
        this.in = in;
        this.out = out;
        this.closeAfter = closeAfter;
    }

    Outcome run(Script script) {
        StreamStats stats = fake.stats();
        stats.onStarted();
        try {
            Outcome outcome = play(script);
            stats.onCompleted();
            return outcome;
        } catch (IOException | PeerClosed e) {
            if (fake.isClosed()) {
                stats.onAbandoned();
            } else {
                stats.onCancelled(Instant.now());
            }
            return Outcome.CLOSE;
        }
    }

    private Outcome play(Script script) throws IOException, PeerClosed {
        boolean responded = false;
        for (Step step : script.steps()) {
            if (step instanceof Step.Respond r) {
                Map<String, String> headers = headers(script, "application/json", false);
                out.fixed(r.code(), headers, r.body(), closeAfter);
                responded = true;
            } else if (step instanceof Step.Chunk c) {
                ensureHead(script);
                noteGeneration(c.json());
                out.chunk("data: " + c.json() + SSE_EVENT_END);
            } else if (step instanceof Step.StampedChunk c) {
                ensureHead(script);
                noteGeneration(c.template());
                // Stamped as late as possible so the figure excludes the fake's own script bookkeeping.
                out.chunk("data: " + c.template().replace(Script.SEND_NANOS, Long.toString(System.nanoTime()))
                        + SSE_EVENT_END);
            } else if (step instanceof Step.Comment c) {
                ensureHead(script);
                out.chunk(": " + c.text() + SSE_EVENT_END);
            } else if (step instanceof Step.Raw r) {
                ensureHead(script);
                out.chunk(r.text());
            } else if (step instanceof Step.Done) {
                ensureHead(script);
                out.chunk("data: [DONE]" + SSE_EVENT_END);
            } else if (step instanceof Step.Delay d) {
                sleepWatchingPeer(d.millis());
            } else if (step instanceof Step.Drop) {
                // Whatever was written must reach the client before the connection vanishes, or
                // the test would observe a different truncation point than the script describes.
                out.flushQuietly();
                return Outcome.CLOSE;
            } else if (step instanceof Step.Stall) {
                stallUntilPeerCloses();
                return Outcome.CLOSE;
            } else if (step instanceof Step.End) {
                ensureHead(script);
                out.lastChunk();
                return closeAfter ? Outcome.CLOSE : Outcome.KEEP_ALIVE;
            }
        }
        if (!responded) {
            // A script that merely stops is a normally terminated (possibly empty) stream.
            ensureHead(script);
            out.lastChunk();
        }
        return closeAfter ? Outcome.CLOSE : Outcome.KEEP_ALIVE;
    }

    private void ensureHead(Script script) throws IOException {
        if (!headSent) {
            Map<String, String> headers = headers(script, "text/event-stream", true);
            out.chunkedHead(script.streamStatus(), headers, closeAfter);
            headSent = true;
        }
    }

    private Map<String, String> headers(Script script, String contentType, boolean stream) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", contentType);
        if (stream) {
            headers.put("cache-control", "no-cache");
        }
        headers.put("x-request-id", fake.nextRequestId());
        headers.putAll(fake.routingHeaders());
        headers.putAll(script.headers());
        return headers;
    }

    private void noteGeneration(String json) {
        if (generationNoted) {
            return;
        }
        // Cheap scan instead of a JSON parse: only the first chunk of each stream is inspected and
        // the factories always put "id" first, so a load test does not pay for parsing.
        int at = json.indexOf("\"id\":\"");
        if (at >= 0) {
            int start = at + 6;
            int end = json.indexOf('"', start);
            if (end > start) {
                fake.rememberGeneration(json.substring(start, end));
                generationNoted = true;
            }
        }
    }

    private void sleepWatchingPeer(long millis) throws PeerClosed {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return;
            }
            int waitMs = (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(remaining + 999_999));
            switch (in.awaitClose(waitMs)) {
                case CLOSED -> throw new PeerClosed();
                case TIMEOUT -> { }
                case DATA -> {
                    // A pipelining client sent its next request early; we can no longer see a close
                    // by reading, so just wait out the delay and let a later write notice instead.
                    sleepQuietly(remaining);
                    return;
                }
            }
        }
    }

    private void stallUntilPeerCloses() throws PeerClosed {
        while (!fake.isClosed()) {
            switch (in.awaitClose(1_000)) {
                case CLOSED -> throw new PeerClosed();
                case TIMEOUT -> { }
                case DATA -> sleepQuietly(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }

    private static void sleepQuietly(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
