package dev.orchat.bench;

import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.Scripts;
import dev.orchat.testing.SseClient;
import dev.orchat.testing.ToolCallSpec;

/**
 * Scenario 6: turns with one tool round on a built-in server, one at a time. The upstream answers hop 1 with a
 * {@code calculator_evaluate} call and hop 2 with text, so the time from hop 1's {@code metadata} to hop 2's first
 * chunk is what a tool round adds to a turn: running the call, storing both messages, rebuilding the history and
 * opening the second upstream request.
 */
final class ToolRoundScenario {
    final Samples toolCall = new Samples();
    final Samples round = new Samples();
    final Samples firstHopTtft = new Samples();
    int failures;

    static ToolRoundScenario run(int port, FakeOpenRouter fake, int turns) throws Exception {
        ToolRoundScenario result = new ToolRoundScenario();
        for (int i = 0; i < turns; i++) {
            fake.enqueue(Scripts.toolCalls(new ToolCallSpec("call_" + i, "calculator_evaluate",
                    "{\"operation\":\"add\",\"a\":" + i + ",\"b\":1}")), Scripts.paced(3, 0));
            long sent = System.nanoTime();
            try (SseClient.Stream stream = SseClient.post(port, "{\"messages\":[{\"role\":\"user\",\"content\":\"add\"}]}")) {
                long firstChunk = 0;
                long metadata = 0;
                long started = 0;
                long finished = 0;
                long secondHop = 0;
                boolean ok = false;
                SseClient.Received e;
                while ((e = stream.next()) != null) {
                    long t = e.nanos();
                    if (e.name().equals("message") && "[DONE]".equals(e.data())) {
                        ok = secondHop > 0;
                    } else if (e.name().equals("message")) {
                        if (firstChunk == 0) {
                            firstChunk = t;
                        } else if (metadata > 0 && secondHop == 0) {
                            secondHop = t;
                        }
                    } else if (e.name().equals("metadata") && metadata == 0) {
                        metadata = t;
                    } else if (e.name().equals("tool") && e.data().contains("\"started\"")) {
                        started = t;
                    } else if (e.name().equals("tool") && e.data().contains("\"finished\"")) {
                        finished = t;
                    } else if (e.name().equals("error")) {
                        break;
                    }
                }
                if (!ok || started == 0 || finished == 0) {
                    result.failures++;
                    continue;
                }
                result.firstHopTtft.add(firstChunk - sent);
                result.toolCall.add(finished - started);
                result.round.add(secondHop - metadata);
            }
        }
        return result;
    }
}
