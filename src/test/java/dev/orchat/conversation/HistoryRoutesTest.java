package dev.orchat.conversation;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.Db;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.Scripts;
import dev.orchat.testing.SseClient;
import dev.orchat.testing.TestApp;
import dev.orchat.testing.ToolCallSpec;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The history routes of docs/api.md §2 and the generation route of §3.6. */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class HistoryRoutesTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, DIR);
    static final Db DB = new Db(DIR.resolve("chat.db"));
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    @BeforeEach
    void resetFake() {
        FAKE.reset();
    }

    static void turn(String sessionId, String text, String clientId) throws Exception {
        String body = "{\"session_id\":\"" + sessionId + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text
                + "\",\"client_message_id\":\"" + clientId + "\"}],\"metadata\":{\"client_assistant_message_id\":\"a-" + clientId + "\"}}";
        try (SseClient.Stream stream = SseClient.post(APP.getLocalPort(), body)) {
            assertThat(stream.status()).isEqualTo(200);
            stream.readAll();
        }
    }

    static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort() + path));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode getJson(String path) throws Exception {
        HttpResponse<String> r = send("GET", path, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void listsSessionsNewestFirstWithCursorPagingAndTitleSearch() throws Exception {
        for (int i = 0; i < 5; i++) {
            turn("list-" + i, "Topic number " + i + " about " + (i % 2 == 0 ? "lisbon" : "porto"), "u" + i);
            Thread.sleep(5);
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = getJson("/api/chat/sessions?limit=2&q=topic" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.get("sessions").size()).isLessThanOrEqualTo(2);
            page.get("sessions").forEach(s -> seen.add(s.get("id").asText()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        assertThat(seen).containsExactly("list-4", "list-3", "list-2", "list-1", "list-0");
        JsonNode lisbon = getJson("/api/chat/sessions/?q=LISBON");
        assertThat(lisbon.get("sessions")).extracting(s -> s.get("id").asText()).containsExactly("list-4", "list-2", "list-0");
        JsonNode summary = lisbon.get("sessions").get(0);
        assertThat(summary.get("title").asText()).isEqualTo("Topic number 4 about lisbon");
        assertThat(summary.get("title_source").asText()).isEqualTo("auto");
        assertThat(summary.get("message_count").asInt()).isEqualTo(2);
        assertThat(summary.get("total_cost").asDouble()).isGreaterThan(0);
        assertThat(summary.get("active_turn_id").isNull()).isTrue();
        assertThat(summary.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(send("GET", "/api/chat/sessions?limit=0", null).statusCode()).isEqualTo(422);
        assertThat(send("GET", "/api/chat/sessions?limit=abc", null).statusCode()).isEqualTo(422);
        assertThat(send("GET", "/api/chat/sessions?include_empty=maybe", null).statusCode()).isEqualTo(422);
        assertThat(send("GET", "/api/chat/sessions?cursor=!!!", null).statusCode()).isEqualTo(400);
    }

    @Test
    void readsMessagesWithLimitAndBefore() throws Exception {
        turn("read-me", "first", "r1");
        turn("read-me", "second", "r2");
        JsonNode all = getJson("/api/chat/session/read-me");
        assertThat(all.get("messages")).hasSize(4);
        assertThat(all.get("has_more").asBoolean()).isFalse();
        JsonNode assistant = all.get("messages").get(1);
        assertThat(assistant.get("role").asText()).isEqualTo("assistant");
        assertThat(assistant.get("client_message_id").asText()).isEqualTo("a-r1");
        assertThat(assistant.get("parent_client_message_id").asText()).isEqualTo("r1");
        assertThat(assistant.has("usage")).isTrue();
        assertThat(all.get("messages").get(0).has("usage")).isFalse();
        JsonNode last2 = getJson("/api/chat/session/read-me?limit=2");
        assertThat(last2.get("messages")).extracting(m -> m.get("content").asText()).containsExactly("second", "Hello from the fake.");
        assertThat(last2.get("has_more").asBoolean()).isTrue();
        long secondUserId = all.get("messages").get(2).get("id").asLong();
        JsonNode before = getJson("/api/chat/session/read-me?before=" + secondUserId);
        assertThat(before.get("messages")).hasSize(2);
        assertThat(send("GET", "/api/chat/session/nope", null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/api/chat/session/bad%20id", null).statusCode()).isEqualTo(404);
    }

    @Test
    void renamesAndRestoresTheAutomaticTitle() throws Exception {
        turn("rename-me", "A    question   with   spaces", "n1");
        JsonNode renamed = JSON.readTree(send("PATCH", "/api/chat/session/rename-me", "{\"title\":\"  My title  \"}").body());
        assertThat(renamed.get("title").asText()).isEqualTo("My title");
        assertThat(renamed.get("title_source").asText()).isEqualTo("user");
        JsonNode restored = JSON.readTree(send("PATCH", "/api/chat/session/rename-me", "{\"title\":null}").body());
        assertThat(restored.get("title").asText()).isEqualTo("A question with spaces");
        assertThat(restored.get("title_source").asText()).isEqualTo("auto");
        assertThat(send("PATCH", "/api/chat/session/rename-me", "{\"title\":\"\"}").statusCode()).isEqualTo(422);
        assertThat(send("PATCH", "/api/chat/session/rename-me", "{\"title\":\"" + "t".repeat(201) + "\"}").statusCode()).isEqualTo(422);
        assertThat(send("PATCH", "/api/chat/session/rename-me", "{\"title\":\"x\",\"extra\":1}").statusCode()).isEqualTo(422);
        assertThat(send("PATCH", "/api/chat/session/rename-me", "{\"title\":5}").statusCode()).isEqualTo(422);
        assertThat(send("PATCH", "/api/chat/session/nobody", "{\"title\":\"x\"}").statusCode()).isEqualTo(404);
    }

    @Test
    void deletingAUserMessageTakesItsTurnOutputAndDescendants() throws Exception {
        turn("del-msg", "one", "d1");
        String second = "{\"session_id\":\"del-msg\",\"messages\":[{\"role\":\"user\",\"content\":\"two\",\"client_message_id\":\"d2\"}],"
                + "\"metadata\":{\"client_parent_message_id\":\"a-d1\"}}";
        try (SseClient.Stream stream = SseClient.post(APP.getLocalPort(), second)) {
            stream.readAll();
        }
        turn("del-msg", "three", "d3");
        assertThat(getJson("/api/chat/session/del-msg").get("messages")).hasSize(6);
        assertThat(send("DELETE", "/api/chat/session/del-msg/messages/a-d1", null).statusCode()).isEqualTo(204);
        // a-d1 (assistant of turn 1) goes; so does every message whose parent is a-d1: the assistant of turn 2.
        JsonNode left = getJson("/api/chat/session/del-msg");
        assertThat(left.get("messages")).extracting(m -> m.get("content").asText())
                .containsExactly("one", "two", "three", "Hello from the fake.");
        assertThat(left.get("session").get("message_count").asInt()).isEqualTo(4);
        long userThree = left.get("messages").get(2).get("id").asLong();
        assertThat(send("DELETE", "/api/chat/session/del-msg/messages/" + userThree, null).statusCode()).isEqualTo(204);
        assertThat(getJson("/api/chat/session/del-msg").get("messages")).extracting(m -> m.get("content").asText())
                .containsExactly("one", "two");
        assertThat(send("DELETE", "/api/chat/session/del-msg/messages/nothing", null).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/api/chat/session/unknown/messages/1", null).statusCode()).isEqualTo(404);
    }

    @Test
    void toolCallsWithoutToolsGetErrorResultsAndDeletingTheAssistantKeepsPairing() throws Exception {
        FAKE.enqueue(Scripts.toolCalls(new ToolCallSpec("call_a", "lookup", "{\"q\":1}"), new ToolCallSpec("call_b", "other", "")),
                Scripts.text("after tools"));
        List<SseClient.Received> events;
        try (SseClient.Stream stream = SseClient.post(APP.getLocalPort(),
                "{\"session_id\":\"tools\",\"messages\":[{\"role\":\"user\",\"content\":\"use tools\"}]}")) {
            events = stream.readAll();
        }
        List<JsonNode> tools = events.stream().filter(e -> e.name().equals("tool")).map(SseClient.Received::json).toList();
        assertThat(tools).extracting(t -> t.get("status").asText()).contains("started", "error");
        assertThat(tools.stream().filter(t -> t.get("status").asText().equals("error")))
                .extracting(t -> t.get("result").asText()).containsExactlyInAnyOrder("Unknown tool: lookup", "Unknown tool: other");
        DB.assertToolPairing("tools");
        JsonNode messages = getJson("/api/chat/session/tools").get("messages");
        assertThat(messages).extracting(m -> m.get("role").asText()).containsExactly("user", "assistant", "tool", "tool", "assistant");
        assertThat(messages.get(2).get("tool_call_id").asText()).isEqualTo("call_a");
        assertThat(messages.get(3).get("tool_call_id").asText()).isEqualTo("call_b");
        assertThat(messages.get(2).get("is_error").asBoolean()).isTrue();
        JsonNode secondHop = FAKE.lastChatRequest().json().get("messages");
        assertThat(secondHop.get(secondHop.size() - 1).get("role").asText()).isEqualTo("tool");
        long assistantId = messages.get(1).get("id").asLong();
        assertThat(send("DELETE", "/api/chat/session/tools/messages/" + assistantId, null).statusCode()).isEqualTo(204);
        assertThat(getJson("/api/chat/session/tools").get("messages")).extracting(m -> m.get("role").asText()).containsExactly("user");
        DB.assertToolPairing("tools");
    }

    @Test
    void deletingASessionRemovesRowsAndItsUploadFolder() throws Exception {
        turn("bye", "hello", "b1");
        Path folder = DIR.resolve("uploads").resolve("bye");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("x.txt"), "data");
        assertThat(send("DELETE", "/api/chat/session/bye", null).statusCode()).isEqualTo(204);
        assertThat(Files.exists(folder)).isFalse();
        assertThat(DB.query("SELECT id FROM messages WHERE session_id = 'bye'")).isEmpty();
        assertThat(DB.query("SELECT id FROM turns WHERE session_id = 'bye'")).isEmpty();
        assertThat(send("DELETE", "/api/chat/session/bye", null).statusCode()).isEqualTo(404);
    }

    @Test
    void generationStatisticsPassThrough() throws Exception {
        JsonNode stats = getJson("/api/chat/generation/gen-123");
        assertThat(stats.get("data").get("id").asText()).isEqualTo("gen-123");
        assertThat(FAKE.requests()).anyMatch(r -> r.path().endsWith("/generation") && "id=gen-123".equals(r.query()));
        FAKE.setGenerationStatus(404);
        HttpResponse<String> missing = send("GET", "/api/chat/generation/gen-unknown", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).get("detail").asText()).isEqualTo("Generation not found");
        assertThat(send("GET", "/api/chat/generation/bad.id", null).statusCode()).isEqualTo(422);
    }
}
