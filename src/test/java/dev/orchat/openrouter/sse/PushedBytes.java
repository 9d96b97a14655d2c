package dev.orchat.openrouter.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Feeds the push parser (the streaming upstream client's) the way the network would: buffer after buffer. */
final class PushedBytes {
    private PushedBytes() {
    }

    /** The events of {@code bytes} handed over in buffers of {@code size} bytes (all at once when size ≤ 0). */
    static List<SseEvent> events(byte[] bytes, int size) throws IOException {
        int step = size <= 0 ? Math.max(1, bytes.length) : size;
        List<SseEvent> events = new ArrayList<>();
        SseEventReader parser = SseEventReader.push();
        for (int off = 0; off < bytes.length; off += step) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, off, Math.min(step, bytes.length - off));
            parser.feed(buffer, events::add);
            assertThat(buffer.hasRemaining()).as("a fed buffer is consumed").isFalse();
        }
        parser.end(events::add);
        parser.end(events::add); // a second end adds nothing
        return events;
    }
}
