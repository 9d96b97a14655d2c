package dev.orchat.openrouter.sse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SSE fixtures shared with the frontend's parser tests (src/test/resources/fixtures/sse): every line-ending
 * variant, split into chunks of every small size, yields exactly the expected events.
 */
class SseFixturesTest {
    static final ObjectMapper JSON = new ObjectMapper();

    record Expected(String name, String data, String id) {
    }

    /** Hands out the bytes {@code size} at a time, like a slow network. */
    static InputStream chunked(byte[] bytes, int size) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, size));
            }
        };
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = SseFixturesTest.class.getResourceAsStream("/fixtures/sse/" + name)) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tool-round", "edge-cases"})
    void fixturesParseIdenticallyForEveryLineEndingAndSplit(String fixture) throws Exception {
        String lf = new String(resource(fixture + ".sse"), StandardCharsets.UTF_8);
        List<Map<String, String>> raw = JSON.readValue(resource(fixture + ".expected.json"), new TypeReference<>() { });
        List<Expected> expected = raw.stream().map(m -> new Expected(m.get("name"), m.get("data"), m.get("id"))).toList();
        for (String ending : List.of("\n", "\r\n", "\r")) {
            byte[] bytes = lf.replace("\n", ending).getBytes(StandardCharsets.UTF_8);
            for (int size : new int[] {1, 2, 3, 5, 7, 64, bytes.length}) {
                List<Expected> actual = new ArrayList<>();
                try (SseEventReader reader = new SseEventReader(chunked(bytes, size))) {
                    for (SseEvent e = reader.next(); e != null; e = reader.next()) {
                        actual.add(new Expected(e.name(), e.data(), e.id()));
                    }
                }
                assertThat(actual).as("%s with %s endings in %d-byte chunks", fixture, ending.replace("\r", "CR").replace("\n", "LF"), size)
                        .isEqualTo(expected);
                assertThat(PushedBytes.events(bytes, size).stream().map(e -> new Expected(e.name(), e.data(), e.id()))
                        .toList()).as("%s with %s endings pushed in %d-byte buffers", fixture,
                        ending.replace("\r", "CR").replace("\n", "LF"), size).isEqualTo(expected);
            }
        }
    }
}
