package dev.orchat.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.conversation.MessageRow;
import dev.orchat.conversation.NewMessage;
import dev.orchat.mcp.ToolRegistry.ToolContext;
import dev.orchat.mcp.ToolRegistry.ToolResult;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The housekeeping {@code chat_history} tool: current session only, filters, order, positions, truncation. */
class ChatHistoryToolTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final ToolContext CONTEXT = new ToolContext("s1", "t1", NEW_YORK);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-10-21T16:09:51.678Z"), ZoneOffset.UTC);

    private ToolResult call(HousekeepingServer target, String tool, String arguments) throws Exception {
        return target.call(tool, (ObjectNode) JSON.readTree(arguments), CONTEXT);
    }

    private static final Map<String, List<MessageRow>> STORE = Map.of(
            "s1", List.of(
                    row(11, "s1", 1, "system", "Be brief.", "text", "2025-10-21T15:00:00.000Z"),
                    row(12, "s1", 2, "user", "What is the weather in Paris?", "text", "2025-10-21T15:01:00.000Z"),
                    row(13, "s1", 3, "assistant", null, "null", "2025-10-21T15:01:05.000Z"),
                    row(14, "s1", 4, "tool", "{\"temp\": 18}", "text", "2025-10-21T15:01:06.000Z"),
                    // Position 5 was deleted: places in the result stay 1-based and gap-free.
                    row(16, "s1", 6, "assistant", "  It is 18 °C in paris.\nSunny.  ", "text", "2025-10-21T15:01:09.000Z"),
                    row(17, "s1", 7, "user", "[{\"type\":\"text\",\"text\":\"Look at this\"},"
                            + " {\"type\":\"image_url\",\"image_url\":{\"url\":\"/a/b\"}}]", "parts", "2025-10-21T15:02:00.000Z")),
            "s2", List.of(row(21, "s2", 1, "user", "Secret from Paris", "text", "2025-10-21T15:00:00.000Z")));

    private final List<String> requested = new ArrayList<>();
    private final HousekeepingServer history = new HousekeepingServer(CLOCK, id -> {
        requested.add(id);
        return STORE.getOrDefault(id, List.of());
    });

    private JsonNode historyOk(String arguments) throws Exception {
        ToolResult result = call(history, "chat_history", arguments);
        assertThat(result.isError()).as(result.text()).isFalse();
        return JSON.readTree(result.text());
    }

    private static List<String> column(JsonNode out, String field) {
        List<String> values = new ArrayList<>();
        out.path("messages").forEach(m -> values.add(m.path(field).asText()));
        return values;
    }

    @Test
    void chatHistoryDefaultsToTheWholeSessionOldestFirst() throws Exception {
        JsonNode out = historyOk("{}");
        assertThat(fieldNames(out)).containsExactly("session_id", "total_available", "applied_limit", "newest_first",
                "query", "messages", "summary");
        assertThat(out.path("session_id").asText()).isEqualTo("s1");
        assertThat(out.path("total_available").asInt()).isEqualTo(6);
        assertThat(out.path("applied_limit").asInt()).isEqualTo(20);
        assertThat(out.path("newest_first").asBoolean()).isFalse();
        assertThat(out.path("query").isNull()).isTrue();
        JsonNode first = out.path("messages").get(1);
        assertThat(fieldNames(first)).containsExactly("position", "role", "created_at", "message_id", "content",
                "truncated", "index");
        assertThat(first.path("created_at").asText()).isEqualTo("2025-10-21T15:01:00.000Z");
        assertThat(first.path("message_id").asLong()).isEqualTo(12);
        assertThat(column(out, "position")).containsExactly("1", "2", "3", "4", "5", "6");
        assertThat(column(out, "index")).containsExactly("1", "2", "3", "4", "5", "6");
        assertThat(column(out, "content")).containsExactly("Be brief.", "What is the weather in Paris?", "",
                "{\"temp\": 18}", "It is 18 °C in paris.\nSunny.",
                "[{\"type\":\"text\",\"text\":\"Look at this\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"/a/b\"}}]");
        assertThat(out.path("summary").asText()).isEqualTo(String.join("\n",
                "1. [2025-10-21T11:00:00-04:00] system: Be brief.",
                "2. [2025-10-21T11:01:00-04:00] user: What is the weather in Paris?",
                "3. [2025-10-21T11:01:05-04:00] assistant: ",
                "4. [2025-10-21T11:01:06-04:00] tool: {\"temp\": 18}",
                "5. [2025-10-21T11:01:09-04:00] assistant: It is 18 °C in paris. Sunny.",
                "6. [2025-10-21T11:02:00-04:00] user: [{\"type\":\"text\",\"text\":\"Look at this\"},"
                        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"/a/b\"}}]"));
    }

    @Test
    void chatHistoryNewestFirstKeepsPositions() throws Exception {
        JsonNode out = historyOk("{\"limit\":2,\"newest_first\":true}");
        assertThat(out.path("total_available").asInt()).isEqualTo(6);
        assertThat(out.path("applied_limit").asInt()).isEqualTo(2);
        assertThat(column(out, "position")).containsExactly("6", "5");
        assertThat(column(out, "index")).containsExactly("1", "2");
        assertThat(column(out, "message_id")).containsExactly("17", "16");
        assertThat(out.path("summary").asText()).startsWith("6. [2025-10-21T11:02:00-04:00] user: ");

        assertThat(column(historyOk("{\"limit\":2}"), "position")).containsExactly("1", "2");
    }

    @Test
    void chatHistoryFiltersByQueryAndRoles() throws Exception {
        JsonNode paris = historyOk("{\"query\":\" PARIS \"}");
        assertThat(paris.path("query").asText()).isEqualTo("PARIS");
        assertThat(paris.path("total_available").asInt()).isEqualTo(2);
        assertThat(column(paris, "position")).containsExactly("2", "5");

        JsonNode users = historyOk("{\"roles\":[\"user\"],\"newest_first\":true}");
        assertThat(column(users, "position")).containsExactly("6", "2");

        // A query matches the text of content parts, not the JSON around them.
        assertThat(column(historyOk("{\"query\":\"look at\"}"), "position")).containsExactly("6");
        assertThat(historyOk("{\"query\":\"image_url\"}").path("total_available").asInt()).isZero();

        JsonNode both = historyOk("{\"query\":\"paris\",\"roles\":[\"assistant\",\"tool\"],\"limit\":1}");
        assertThat(both.path("total_available").asInt()).isEqualTo(1);
        assertThat(column(both, "position")).containsExactly("5");
        assertThat(historyOk("{\"roles\":[]}").path("total_available").asInt()).isEqualTo(6);
    }

    @Test
    void chatHistoryTruncatesLongContent() throws Exception {
        String longText = "x".repeat(2500);
        HousekeepingServer server = new HousekeepingServer(CLOCK, id -> List.of(
                row(1, "s1", 1, "user", longText, "text", "2025-10-21T15:00:00.000Z"),
                row(2, "s1", 2, "user", "y".repeat(2000), "text", "2025-10-21T15:00:00.000Z")));
        JsonNode out = JSON.readTree(call(server, "chat_history", "{}").text());
        JsonNode cut = out.path("messages").get(0);
        assertThat(cut.path("content").asText()).isEqualTo("x".repeat(2000) + "…");
        assertThat(cut.path("truncated").asBoolean()).isTrue();
        JsonNode whole = out.path("messages").get(1);
        assertThat(whole.path("content").asText()).hasSize(2000);
        assertThat(whole.path("truncated").asBoolean()).isFalse();
    }

    @Test
    void chatHistoryReadsOnlyTheContextSession() throws Exception {
        JsonNode out = historyOk("{\"session_id\":\"s2\",\"query\":\"secret\"}");
        assertThat(requested).containsExactly("s1");
        assertThat(out.path("session_id").asText()).isEqualTo("s1");
        assertThat(out.path("total_available").asInt()).isZero();

        // Even a source that returns foreign rows does not leak them.
        HousekeepingServer leaky = new HousekeepingServer(CLOCK, id -> List.of(STORE.get("s2").get(0),
                STORE.get("s1").get(1)));
        JsonNode filtered = JSON.readTree(call(leaky, "chat_history", "{}").text());
        assertThat(column(filtered, "message_id")).containsExactly("12");
        assertThat(column(filtered, "position")).containsExactly("1");

        ToolResult none = history.call("chat_history", JSON.createObjectNode(), new ToolContext(null, "t1", NEW_YORK));
        assertThat(none).isEqualTo(new ToolResult("No chat session is available for this call.", true));
    }

    @Test
    void chatHistorySchemaViolations() throws Exception {
        assertThat(call(history, "chat_history", "{\"limit\":0}"))
                .isEqualTo(new ToolResult("Argument 'limit' must be an integer from 1 to 100.", true));
        assertThat(call(history, "chat_history", "{\"limit\":101}").isError()).isTrue();
        assertThat(call(history, "chat_history", "{\"limit\":\"5\"}").isError()).isTrue();
        assertThat(call(history, "chat_history", "{\"limit\":2.5}").isError()).isTrue();
        assertThat(historyOk("{\"limit\":3.0}").path("applied_limit").asInt()).isEqualTo(3);
        assertThat(call(history, "chat_history", "{\"newest_first\":\"yes\"}"))
                .isEqualTo(new ToolResult("Argument 'newest_first' must be true or false.", true));
        assertThat(call(history, "chat_history", "{\"roles\":[\"bot\"]}"))
                .isEqualTo(new ToolResult("Argument 'roles' must be an array of: system, user, assistant, tool.", true));
        assertThat(call(history, "chat_history", "{\"roles\":\"user\"}").isError()).isTrue();
        assertThat(call(history, "chat_history", "{\"query\":7}"))
                .isEqualTo(new ToolResult("Argument 'query' must be a string.", true));
    }

    private static MessageRow row(long id, String session, int position, String role, String content, String kind,
            String createdAt) {
        return new MessageRow(id, new NewMessage(new NewMessage.Place(session, "turn", position, null, null), role,
                new NewMessage.Body(content, kind, null, "complete"), NewMessage.ToolPart.NONE,
                NewMessage.Assistant.NONE, null, null, createdAt));
    }

    static List<String> fieldNames(JsonNode node) {
        return HousekeepingServerTest.fieldNames(node);
    }
}
