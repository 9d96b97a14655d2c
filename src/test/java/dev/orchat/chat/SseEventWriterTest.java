package dev.orchat.chat;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import org.glassfish.jersey.media.sse.OutboundEvent;
import org.junit.jupiter.api.Test;

/** docs/api.md §3.1: the byte layout of every SSE event. */
class SseEventWriterTest {

    private final SseEventWriter writer = new SseEventWriter();

    private static OutboundEvent.Builder event() {
        return new OutboundEvent.Builder();
    }

    private byte[] write(OutboundSseEvent event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.writeTo(event, OutboundSseEvent.class, OutboundSseEvent.class, new Annotation[0],
                MediaType.SERVER_SENT_EVENTS_TYPE, null, out);
        return out.toByteArray();
    }

    private String written(OutboundSseEvent event) throws IOException {
        return new String(write(event), StandardCharsets.UTF_8);
    }

    @Test
    void writesIdEventAndDataLinesLeavingTheBlankLineToTheSink() throws IOException {
        OutboundSseEvent e = event().id("1").name("session").data(String.class, "{\"session_id\":\"abc\"}").build();

        assertThat(written(e)).isEqualTo("id: 1\nevent: session\ndata: {\"session_id\":\"abc\"}\n");
    }

    @Test
    void doneEventIsLiteralText() throws IOException {
        OutboundSseEvent e = event().id("7").name("message").data(String.class, "[DONE]").build();

        assertThat(written(e)).isEqualTo("id: 7\nevent: message\ndata: [DONE]\n");
    }

    @Test
    void eachPayloadLineGetsItsOwnDataLine() throws IOException {
        OutboundSseEvent e = event().id("2").name("message").data(String.class, "a\nb\r\nc\rd").build();

        assertThat(written(e)).isEqualTo("id: 2\nevent: message\ndata: a\ndata: b\ndata: c\ndata: d\n");
    }

    @Test
    void emptyLinesInPayloadAreKept() throws IOException {
        OutboundSseEvent e = event().id("3").name("x").data(String.class, "a\n\nb\n").build();

        assertThat(written(e)).isEqualTo("id: 3\nevent: x\ndata: a\ndata: \ndata: b\ndata: \n");
    }

    @Test
    void emptyPayloadIsOneEmptyDataLine() throws IOException {
        OutboundSseEvent e = event().id("4").name("message").data(String.class, "").build();

        assertThat(written(e)).isEqualTo("id: 4\nevent: message\ndata: \n");
    }

    @Test
    void onlyLineFeedsAreWritten() throws IOException {
        OutboundSseEvent e = event().id("5").name("message").data(String.class, "one\r\ntwo\rthree").build();

        assertThat(written(e)).doesNotContain("\r");
    }

    @Test
    void chunkJsonPassesThroughUnchanged() throws IOException {
        String chunk = "{\"id\":\"gen-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"h\\u00e9llo \\n world\"}}]}";
        OutboundSseEvent e = event().id("9").name("message").data(String.class, chunk).build();

        assertThat(written(e)).isEqualTo("id: 9\nevent: message\ndata: " + chunk + "\n");
    }

    @Test
    void writesUtf8Bytes() throws IOException {
        OutboundSseEvent e = event().id("1").name("message").data(String.class, "héllo … 漢字").build();

        assertThat(write(e)).isEqualTo("id: 1\nevent: message\ndata: héllo … 漢字\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void commentIsColonSpaceTextWithoutId() throws IOException {
        OutboundSseEvent e = event().comment("ping 2025-10-21T16:09:52Z").build();

        assertThat(written(e)).isEqualTo(": ping 2025-10-21T16:09:52Z\n");
    }

    @Test
    void multiLineCommentPrefixesEveryLine() throws IOException {
        OutboundSseEvent e = event().comment("one\ntwo\r\n\nthree").build();

        assertThat(written(e)).isEqualTo(": one\n: two\n:\n: three\n");
    }

    @Test
    void eventWithoutIdOrNameHasOnlyData() throws IOException {
        OutboundSseEvent e = event().data(String.class, "x").build();

        assertThat(written(e)).isEqualTo("data: x\n");
    }

    @Test
    void formatMatchesWrittenBytes() throws IOException {
        OutboundSseEvent e = event().id("12").name("tool").data(String.class, "{\"status\":\"started\"}").build();

        assertThat(SseEventWriter.format(e)).isEqualTo(written(e));
    }

    @Test
    void writesOnlyOutboundSseEvents() {
        Annotation[] none = new Annotation[0];
        assertThat(writer.isWriteable(OutboundEvent.class, OutboundEvent.class, none,
                MediaType.SERVER_SENT_EVENTS_TYPE)).isTrue();
        assertThat(writer.isWriteable(OutboundSseEvent.class, OutboundSseEvent.class, none,
                MediaType.SERVER_SENT_EVENTS_TYPE)).isTrue();
        assertThat(writer.isWriteable(String.class, String.class, none, MediaType.SERVER_SENT_EVENTS_TYPE)).isFalse();
    }
}
