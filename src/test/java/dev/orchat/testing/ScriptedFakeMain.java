package dev.orchat.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A standalone fake upstream scripted over stdin, for client checks outside JUnit (the npm {@code openai} check
 * of {@code src/test/openai-client/}). Prints {@code FAKE_OPENROUTER_URL=<baseUrl>}, then reads one command per
 * line and answers each with one line:
 * <ul>
 *   <li>{@code text <words…>}: the next completion streams these words; answers {@code ok}</li>
 *   <li>{@code tool <name> <json arguments>}: the next completion calls this tool (id {@code call_1}); {@code ok}</li>
 *   <li>{@code ratelimit}: the next completion is refused with 429; {@code ok}</li>
 *   <li>{@code stall <words…>}: the next completion streams the words, then stays silent; {@code ok}</li>
 *   <li>{@code cancelled}: the number of streams the client abandoned so far</li>
 *   <li>{@code last}: the JSON body of the last chat request, on one line</li>
 * </ul>
 * Exits when stdin closes.
 */
public final class ScriptedFakeMain {
    private ScriptedFakeMain() {
    }

    public static void main(String[] args) throws Exception {
        try (FakeOpenRouter fake = FakeOpenRouter.start(0)) {
            System.out.println("FAKE_OPENROUTER_URL=" + fake.baseUrl());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                System.out.println(answer(fake, line.strip()));
                System.out.flush();
            }
        }
    }

    private static String answer(FakeOpenRouter fake, String line) {
        String[] parts = line.split(" ", 2);
        String rest = parts.length > 1 ? parts[1] : "";
        switch (parts[0]) {
            case "text" -> fake.enqueue(Scripts.text(rest.split("(?<= )")));
            case "tool" -> {
                String[] tool = rest.split(" ", 2);
                fake.enqueue(Scripts.toolCalls(new ToolCallSpec("call_1", tool[0], tool.length > 1 ? tool[1] : "{}")));
            }
            case "ratelimit" -> fake.enqueue(Scripts.rateLimited(60));
            case "stall" -> fake.enqueue(Scripts.stallAfter(rest.split("(?<= )")));
            case "cancelled" -> {
                return Integer.toString(fake.cancelledStreams());
            }
            case "last" -> {
                return fake.lastChatRequest().json().toString();
            }
            default -> {
                return "unknown command: " + line;
            }
        }
        return "ok";
    }
}
