package dev.orchat.openrouter.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The push mode of {@link SseEventReader}, beyond the split cases it shares with the pull mode. */
class SsePushParserTest {

    @Test
    void buffersLargerThanTheParsersOwnAreParsedWhole() throws IOException {
        String big = "x".repeat(3 * 8 * 1024 + 17);
        byte[] bytes = ("data: " + big + "\n\ndata: tail").getBytes(StandardCharsets.UTF_8);
        assertThat(PushedBytes.events(bytes, 0)).extracting(SseEvent::data).containsExactly(big, "tail");
    }

    @Test
    void anEventCutAtTheEndOfTheBodyIsDispatchedOnlyByEnd() throws IOException {
        SseEventReader parser = SseEventReader.push();
        StringBuilder seen = new StringBuilder();
        parser.feed(java.nio.ByteBuffer.wrap("data: a\n\ndata: b".getBytes(StandardCharsets.UTF_8)),
                e -> seen.append(e.data()).append(';'));
        assertThat(seen).hasToString("a;");
        parser.end(e -> seen.append(e.data()).append(';'));
        assertThat(seen).hasToString("a;b;");
    }
}
