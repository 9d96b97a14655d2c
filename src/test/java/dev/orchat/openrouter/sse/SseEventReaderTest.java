package dev.orchat.openrouter.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SseEventReaderTest {

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    // ---- helpers -------------------------------------------------------------------------

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static List<SseEvent> readAll(InputStream in) throws IOException {
        List<SseEvent> events = new ArrayList<>();
        try (SseEventReader reader = new SseEventReader(in)) {
            SseEvent e;
            while ((e = reader.next()) != null) {
                events.add(e);
            }
            // EOF must be sticky rather than re-reading a finished stream.
            assertThat(reader.next()).isNull();
        }
        return events;
    }

    private static List<SseEvent> readAll(byte[] bytes) throws IOException {
        return readAll(new ByteArrayInputStream(bytes));
    }

    /** Feeds the given bytes in pieces whose boundaries are the given offsets, one piece per read. */
    private static final class ChunkedStream extends InputStream {
        private final byte[] data;
        private final int[] cuts;
        private int pos;
        private int nextCut;

        ChunkedStream(byte[] data, int... cuts) {
            this.data = data;
            this.cuts = cuts;
        }

        @Override
        public int read() {
            throw new AssertionError("reader must use bulk reads");
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            int end = data.length;
            while (nextCut < cuts.length && cuts[nextCut] <= pos) {
                nextCut++;
            }
            if (nextCut < cuts.length) {
                end = cuts[nextCut];
            }
            int n = Math.min(len, end - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    private static final class OneByteStream extends InputStream {
        private final byte[] data;
        private int pos;

        OneByteStream(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            throw new AssertionError("reader must use bulk reads");
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            b[off] = data[pos++];
            return 1;
        }
    }

    /** Every delivery strategy must yield the same events as reading the fixture in one go. */
    private static void assertSplitInvariant(byte[] fixture, List<SseEvent> expected) throws IOException {
        assertThat(readAll(fixture)).isEqualTo(expected);
        assertThat(readAll(new OneByteStream(fixture))).isEqualTo(expected);
        for (int cut = 0; cut <= fixture.length; cut++) {
            assertThat(readAll(new ChunkedStream(fixture, cut)))
                    .as("split at byte %d", cut)
                    .isEqualTo(expected);
            assertThat(PushedBytes.events(fixture, cut)).as("pushed in %d-byte buffers", cut).isEqualTo(expected);
        }
    }

    private static SseEvent msg(String data) {
        return new SseEvent("message", data, null);
    }

    // ---- line terminators ----------------------------------------------------------------

    @Test
    void lfTerminatedEvents() throws IOException {
        assertSplitInvariant(utf8("data: one\n\ndata: two\n\n"), List.of(msg("one"), msg("two")));
    }

    @Test
    void crlfTerminatedEventsSurviveEverySplit() throws IOException {
        assertSplitInvariant(utf8("data: one\r\n\r\ndata: two\r\n\r\n"), List.of(msg("one"), msg("two")));
    }

    @Test
    void crOnlyTerminatedEvents() throws IOException {
        assertSplitInvariant(utf8("data: one\r\rdata: two\r\r"), List.of(msg("one"), msg("two")));
    }

    @Test
    void mixedTerminators() throws IOException {
        assertSplitInvariant(
                utf8("data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\n\n"),
                List.of(msg("a\nb\nc"), msg("d")));
    }

    @Test
    void crlfSplitExactlyBetweenCrAndLfDoesNotProduceExtraBlankLine() throws IOException {
        // If the LF after a buffer-final CR were taken as its own blank line, "a" and "b"
        // would come out as two events.
        byte[] fixture = utf8("data: a\r\ndata: b\r\n\r\n");
        int crIndex = "data: a\r".length();
        assertThat(readAll(new ChunkedStream(fixture, crIndex))).containsExactly(msg("a\nb"));
    }

    @Test
    void doubleCrIsTwoLinesNotOneCrlf() throws IOException {
        assertSplitInvariant(utf8("data: a\r\r\ndata: b\n\n"), List.of(msg("a"), msg("b")));
    }

    // ---- encoding ------------------------------------------------------------------------

    @Test
    void leadingBomIsStripped() throws IOException {
        byte[] fixture = concat(BOM, utf8("data: x\n\n"));
        assertSplitInvariant(fixture, List.of(msg("x")));
    }

    @Test
    void bomOnItsOwnLineActsAsBlankLine() throws IOException {
        byte[] fixture = concat(BOM, utf8("\ndata: x\n\n"));
        assertSplitInvariant(fixture, List.of(msg("x")));
    }

    @Test
    void bomIsOnlyStrippedAtStreamStart() throws IOException {
        byte[] fixture = concat(concat(utf8("data: a\n\n"), BOM), utf8("data: b\n\n"));
        // A mid-stream BOM is part of the field name, so that line is an unknown field.
        assertThat(readAll(fixture)).containsExactly(msg("a"));
    }

    @Test
    void multiByteCharactersSplitAcrossReads() throws IOException {
        String text = "café costs 5€ 🎉 ok";
        byte[] fixture = utf8("data: " + text + "\n\n");
        assertSplitInvariant(fixture, List.of(msg(text)));
    }

    @Test
    void multiByteCharactersInEventNameAndId() throws IOException {
        byte[] fixture = utf8("event: é€\nid: 🎉\ndata: x\n\n");
        assertSplitInvariant(fixture, List.of(new SseEvent("é€", "x", "🎉")));
    }

    @Test
    void malformedUtf8DecodesToReplacementCharacter() throws IOException {
        byte[] fixture = concat(concat(utf8("data: a"), new byte[] {(byte) 0xC3}), utf8("\n\n"));
        assertThat(readAll(fixture)).containsExactly(msg("a\uFFFD"));
    }

    // ---- field parsing -------------------------------------------------------------------

    @Test
    void commentsAreDropped() throws IOException {
        byte[] fixture = utf8(": OPENROUTER PROCESSING\n\n: OPENROUTER PROCESSING\n\ndata: {\"a\":1}\n: mid\n\n");
        assertSplitInvariant(fixture, List.of(msg("{\"a\":1}")));
    }

    @Test
    void multiLineDataIsJoinedWithLf() throws IOException {
        assertSplitInvariant(utf8("data: a\ndata: b\ndata: c\n\n"), List.of(msg("a\nb\nc")));
    }

    @Test
    void onlyOneLeadingSpaceIsRemoved() throws IOException {
        assertThat(readAll(utf8("data:  two spaces\ndata:none\ndata: trailing \n\n")))
                .containsExactly(msg(" two spaces\nnone\ntrailing "));
    }

    @Test
    void valueKeepsColonsAfterTheFirst() throws IOException {
        assertThat(readAll(utf8("data: {\"k\": \"v:w\"}\n\n"))).containsExactly(msg("{\"k\": \"v:w\"}"));
    }

    @Test
    void namedEventsAndTypeResetsAfterDispatch() throws IOException {
        byte[] fixture = utf8("event: error\ndata: boom\n\ndata: plain\n\n");
        assertSplitInvariant(fixture, List.of(new SseEvent("error", "boom", null), msg("plain")));
    }

    @Test
    void emptyEventFieldMeansMessage() throws IOException {
        assertThat(readAll(utf8("event:\ndata: x\n\n"))).containsExactly(msg("x"));
    }

    @Test
    void idFieldIsReportedAndPersistsAsLastEventId() throws IOException {
        byte[] fixture = utf8("id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\n");
        assertSplitInvariant(fixture, List.of(
                new SseEvent("message", "a", "7"),
                new SseEvent("message", "b", "7"),
                new SseEvent("message", "c", null)));
    }

    @Test
    void idContainingNulIsIgnored() throws IOException {
        byte[] fixture = utf8("id: 1\ndata: a\n\nid: x\u0000y\ndata: b\n\n");
        assertThat(readAll(fixture)).containsExactly(
                new SseEvent("message", "a", "1"), new SseEvent("message", "b", "1"));
    }

    @Test
    void unknownFieldsAndColonlessLinesAreIgnored() throws IOException {
        byte[] fixture = utf8("retry: 1000\nfoo: bar\nnonsense\ndata: x\n\n");
        assertThat(readAll(fixture)).containsExactly(msg("x"));
    }

    @Test
    void colonlessDataLineIsDataWithEmptyValue() throws IOException {
        // "data" alone contributes an empty line, so the joined data is "\n" + "x".
        assertThat(readAll(utf8("data\ndata: x\n\n"))).containsExactly(msg("\nx"));
    }

    @Test
    void emptyDataEventsAreDropped() throws IOException {
        byte[] fixture = utf8("data:\n\nevent: ping\n\ndata\n\nid: 3\n\ndata: real\n\n");
        assertSplitInvariant(fixture, List.of(new SseEvent("message", "real", "3")));
    }

    @Test
    void doneSentinelIsPassedThroughAsData() throws IOException {
        byte[] fixture = utf8("data: {\"x\":1}\n\ndata: [DONE]\n\n");
        assertSplitInvariant(fixture, List.of(msg("{\"x\":1}"), msg("[DONE]")));
    }

    // ---- end of stream -------------------------------------------------------------------

    @Test
    void unterminatedFinalEventIsDispatched() throws IOException {
        assertSplitInvariant(utf8("data: a\n\ndata: b\ndata: c"), List.of(msg("a"), msg("b\nc")));
    }

    @Test
    void finalEventEndingWithSingleNewlineIsDispatched() throws IOException {
        assertSplitInvariant(utf8("data: [DONE]\r\n"), List.of(msg("[DONE]")));
    }

    @Test
    void emptyAndBomOnlyStreamsYieldNothing() throws IOException {
        assertThat(readAll(new byte[0])).isEmpty();
        assertThat(readAll(BOM)).isEmpty();
        assertThat(readAll(utf8(": just a comment"))).isEmpty();
    }

    // ---- latency and limits --------------------------------------------------------------

    /** Hands out the given reads in order, then fails the test on any further read. */
    private static final class ScriptedStream extends InputStream {
        private final byte[][] reads;
        private final AtomicInteger calls = new AtomicInteger();

        ScriptedStream(byte[]... reads) {
            this.reads = reads;
        }

        @Override
        public int read() {
            throw new AssertionError("reader must use bulk reads");
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int call = calls.getAndIncrement();
            if (call >= reads.length) {
                throw new AssertionError("read() called while a complete event was already buffered");
            }
            byte[] chunk = reads[call];
            System.arraycopy(chunk, 0, b, off, chunk.length);
            return chunk.length;
        }
    }

    @Test
    void nextDoesNotReadAgainWhenEventIsComplete() throws IOException {
        ScriptedStream in = new ScriptedStream(utf8("data: a\n\ndata: b\r\n\r\n"));
        SseEventReader reader = new SseEventReader(in);
        assertThat(reader.next()).isEqualTo(msg("a"));
        assertThat(reader.next()).isEqualTo(msg("b"));
        assertThat(in.calls.get()).isEqualTo(1);
    }

    @Test
    void trailingCrDoesNotForceAReadToLookForLf() throws IOException {
        ScriptedStream in = new ScriptedStream(utf8("data: a\r\r"), utf8("\ndata: b\n\n"));
        SseEventReader reader = new SseEventReader(in);
        assertThat(reader.next()).isEqualTo(msg("a"));
        assertThat(in.calls.get()).isEqualTo(1);
        assertThat(reader.next()).isEqualTo(msg("b"));
        assertThat(in.calls.get()).isEqualTo(2);
    }

    @Test
    void eventCompletedAcrossReadsReturnsWithoutExtraRead() throws IOException {
        ScriptedStream in = new ScriptedStream(utf8("data: he"), utf8("llo\n"), utf8("\n"));
        SseEventReader reader = new SseEventReader(in);
        assertThat(reader.next()).isEqualTo(msg("hello"));
        assertThat(in.calls.get()).isEqualTo(3);
    }

    @Test
    void lineLongerThanLimitFails() {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'a';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                Arrays.fill(b, off, off + len, (byte) 'a');
                return len;
            }
        };
        SseEventReader reader = new SseEventReader(endless);
        assertThatThrownBy(reader::next).isInstanceOf(IOException.class).hasMessage("SSE line too long");
    }

    @Test
    void lineOfExactlyTheLimitIsAccepted() throws IOException {
        int valueLen = SseEventReader.MAX_LINE_BYTES - "data: ".length();
        byte[] fixture = new byte[SseEventReader.MAX_LINE_BYTES + 2];
        System.arraycopy(utf8("data: "), 0, fixture, 0, 6);
        Arrays.fill(fixture, 6, 6 + valueLen, (byte) 'x');
        fixture[fixture.length - 2] = '\n';
        fixture[fixture.length - 1] = '\n';
        List<SseEvent> events = readAll(fixture);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).data()).hasSize(valueLen);
    }

    @Test
    void closeClosesUnderlyingStreamAndEndsIteration() throws IOException {
        AtomicInteger closes = new AtomicInteger();
        InputStream in = new ByteArrayInputStream(utf8("data: a\n\ndata: b\n\n")) {
            @Override
            public void close() {
                closes.incrementAndGet();
            }
        };
        SseEventReader reader = new SseEventReader(in);
        assertThat(reader.next()).isEqualTo(msg("a"));
        reader.close();
        reader.close();
        assertThat(closes.get()).isEqualTo(1);
        assertThat(reader.next()).isNull();
    }
}
