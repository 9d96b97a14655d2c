package dev.orchat.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.conversation.HopOutcome;
import dev.orchat.conversation.ToolCall;
import io.dropwizard.jackson.Jackson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.glassfish.jersey.media.sse.OutboundEvent;
import org.junit.jupiter.api.Test;

/**
 * Every kind of {@link ChatStreamEvent}, encoded by {@link TurnEvents} and written by {@link SseEventWriter}, must
 * equal its fixture in {@code src/test/resources/fixtures/events/} byte for byte. The web UI's tests parse the same
 * files, so the two sides cannot drift apart (docs/api.md, "SSE events").
 */
class ChatStreamEventFixturesTest {
    private static final ObjectMapper MAPPER = Jackson.newObjectMapper();
    private static final String SESSION = "5f0c2a9d41e84b0c9a7f3c1d2e4b6a80";
    private static final String TURN = "0c9e5d1b7a2f4e3c8b6a9d0e1f2a3b4c";
    private static final String AT = "2025-10-21T16:09:53.004Z";

    /** Fixture file → the event and the id it was sent with. */
    private static Map<String, Map.Entry<Integer, ChatStreamEvent>> samples() throws IOException {
        Map<String, Map.Entry<Integer, ChatStreamEvent>> out = new LinkedHashMap<>();
        out.put("session.sse", Map.entry(1, new ChatStreamEvent.Session(SESSION, TURN, true, List.of(
                new ChatStreamEvent.Session.UserMessage(1, "user_7b2f"),
                new ChatStreamEvent.Session.UserMessage(2, null)))));
        out.put("upstream-chunk.sse", Map.entry(2, new ChatStreamEvent.UpstreamChunk("{\"id\":\"gen-1\","
                + "\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                + "\"content\":\"It is\",\"reasoning\":\"Check the clock.\"},\"finish_reason\":null}]}")));
        out.put("upstream-named.sse", Map.entry(3,
                new ChatStreamEvent.UpstreamNamed("openrouter-progress", "{\"stage\":\"routing\"}")));
        out.put("tool-started.sse", Map.entry(4, new ChatStreamEvent.ToolStarted("calculator_evaluate", "call_1", 1)));
        out.put("tool-finished.sse", Map.entry(5, new ChatStreamEvent.ToolFinished("calculator_evaluate", "call_1", 1,
                "4", false, 4, 3, AT)));
        out.put("tool-error.sse", Map.entry(6, new ChatStreamEvent.ToolFinished("current_time", "call_2", 1,
                "Cancelled before completion.", true, 5, 0, AT)));
        out.put("system-notice.sse", Map.entry(7, new ChatStreamEvent.SystemNotice("notice",
                "Tools unavailable for this model; continuing without them.")));
        out.put("metadata.sse", Map.entry(8, new ChatStreamEvent.Metadata(TURN, outcome(), 0.025, "assistant_91ce",
                3L, AT)));
        out.put("error.sse", Map.entry(9, new ChatStreamEvent.Error("Provider disconnected", 502, true)));
        out.put("done.sse", Map.entry(10, new ChatStreamEvent.Done()));
        out.put("snapshot.sse", Map.entry(11, new ChatStreamEvent.Snapshot(snapshotOfAChunk())));
        out.put("approval.sse", Map.entry(12, new ChatStreamEvent.Approval("call_3", "send_gmail_message",
                "custom-gmail", MAPPER.readTree("{\"to\":\"ana@example.com\",\"subject\":\"Hi\",\"body\":\"See you\"}"),
                "This tool changes data or sends something on your behalf.")));
        out.put("elicitation.sse", Map.entry(13, new ChatStreamEvent.Elicitation("9b1f0c2d3e4a5b6c7d8e9f0a1b2c3d4e",
                "call_4", "everything", "Please provide inputs for the following fields:", MAPPER.readTree(
                "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\",\"title\":\"Name\"},"
                        + "\"count\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":10},"
                        + "\"ok\":{\"type\":\"boolean\"},\"color\":{\"type\":\"string\",\"enum\":[\"red\",\"blue\"]}},"
                        + "\"required\":[\"name\"]}"), null)));
        out.put("elicitation-url.sse", Map.entry(14, new ChatStreamEvent.Elicitation(
                "0a1b2c3d4e5f60718293a4b5c6d7e8f9", "call_5", "everything", "Open this page to sign in.", null,
                "https://example.com/connect?state=abc")));
        out.put("snapshot-pending.sse", Map.entry(15, new ChatStreamEvent.Snapshot(snapshotWhileWaiting())));
        return out;
    }

    /** The snapshot a client resuming after the chunk of upstream-chunk.sse would get (docs/api.md §3.6). */
    private static String snapshotOfAChunk() throws IOException {
        ReplaySnapshot snapshot = new ReplaySnapshot(MAPPER);
        snapshot.accept(new ChatStreamEvent.UpstreamChunk("", MAPPER.readTree("{\"choices\":[{\"index\":0,\"delta\":"
                + "{\"role\":\"assistant\",\"content\":\"It is\",\"reasoning\":\"Check the clock.\"}}]}")), 2);
        return snapshot.json(11, new RunningTurn(SESSION, TURN));
    }

    /** A snapshot taken while a call waits for approval carries the open card under {@code pending}. */
    private static String snapshotWhileWaiting() throws IOException {
        ReplaySnapshot snapshot = new ReplaySnapshot(MAPPER);
        snapshot.accept(new ChatStreamEvent.Approval("call_3", "send_gmail_message", "custom-gmail",
                MAPPER.readTree("{\"to\":\"ana@example.com\"}"), "The tool's policy is \"ask\"."), 12);
        return snapshot.json(12, new RunningTurn(SESSION, TURN));
    }

    private static HopOutcome outcome() throws IOException {
        JsonNode usage = MAPPER.readTree("{\"prompt_tokens\":40,\"completion_tokens\":6,\"total_tokens\":46,\"cost\":0.0125}");
        return new HopOutcome(1, "complete",
                new HopOutcome.Reply("It is", MAPPER.readTree("[{\"type\":\"reasoning.text\",\"text\":\"Check the clock.\"}]"),
                        MAPPER.readTree("[{\"type\":\"reasoning.text\",\"text\":\"Check the clock.\",\"index\":0}]"),
                        List.of(new ToolCall("call_1", "function", "calculator_evaluate", "{\"expression\":\"2+2\"}")),
                        "tool_calls", "tool_calls"),
                new HopOutcome.Usage(40L, 6L, null, null, 0.0125, usage),
                new HopOutcome.Source("openai/gpt-4o-mini", "OpenAI", "gen-1",
                        MAPPER.readTree("{\"x-request-id\":\"req-1\"}"), null),
                new HopOutcome.Timing(Instant.parse(AT), Instant.parse(AT), Instant.parse(AT)), true);
    }

    @Test
    void everyEventKindMatchesItsFixtureByteForByte() throws IOException {
        for (var sample : samples().entrySet()) {
            int id = sample.getValue().getKey();
            TurnEvents.Encoded encoded = TurnEvents.encode(MAPPER, sample.getValue().getValue());
            String wire = SseEventWriter.format(new OutboundEvent.Builder().id(Integer.toString(id))
                    .name(encoded.name()).data(String.class, encoded.data()).build()) + "\n"; // the sink's delimiter
            assertThat(wire).as(sample.getKey()).isEqualTo(fixture(sample.getKey()));
        }
    }

    @Test
    void everyKindOfEventHasAFixture() throws IOException {
        Set<Class<?>> covered = samples().values().stream().map(e -> e.getValue().getClass()).collect(Collectors.toSet());
        assertThat(covered).containsExactlyInAnyOrderElementsOf(Arrays.asList(ChatStreamEvent.class.getPermittedSubclasses()));
    }

    @Test
    void upstreamEventsWithOurNamesAreNotRelayed() {
        assertThat(TurnEvents.RESERVED).containsExactlyInAnyOrder("session", "metadata", "tool", "error", "snapshot",
                "approval", "elicitation");
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = ChatStreamEventFixturesTest.class.getResourceAsStream("/fixtures/events/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
