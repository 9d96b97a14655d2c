package dev.orchat.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.ApiClient;
import dev.orchat.testing.Db;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.McpTestServers;
import dev.orchat.testing.RawSse;
import dev.orchat.testing.Scripts;
import dev.orchat.testing.SseClient;
import dev.orchat.testing.TestApp;
import dev.orchat.testing.ToolCallSpec;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tool approvals and MCP elicitation (docs/api.md §3.7) with the real npm server-everything over stdio, a built-in,
 * real HTTP and a real SQLite file: the card, the wait, allow, deny, {@code always} across a restart, a reload
 * while waiting, and elicitation accepted, declined and rejected by the schema.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class ToolApprovalsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final Path DIR = prepare();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, DIR,
            TestApp.set("chat.detachGrace", "1s"),
            TestApp.set("chat.toolCallTimeout", "20s"),
            TestApp.set("openrouter.timeoutSeconds", "30"));
    static final Db DB = new Db(DIR.resolve("chat.db"));
    /** Its MCP annotations say readOnlyHint: false, so by default it asks. */
    static final String WRITE_TOOL = "toggle-simulated-logging";

    static Path prepare() {
        Path dir = TestApp.tempDir();
        try {
            Files.writeString(dir.resolve("mcp_servers.json"), "{\"servers\":["
                    + "{\"id\":\"local-calculator\",\"transport\":\"builtin\",\"builtin\":\"calculator\"},"
                    + "{\"id\":\"everything\",\"transport\":\"stdio\",\"command\":["
                    + JSON.writeValueAsString(McpTestServers.node()) + ","
                    + JSON.writeValueAsString(McpTestServers.everything().toString()) + "],"
                    + "\"tool_policies\":{\"trigger-elicitation-request\":\"allow\"}}]}");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dir;
    }

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    @BeforeEach
    void ready() throws Exception {
        FAKE.reset();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!everythingConnected() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(everythingConnected()).isTrue();
    }

    static boolean everythingConnected() {
        JsonNode write = tool("everything", WRITE_TOOL);
        JsonNode elicit = tool("everything", "trigger-elicitation-request");
        return write != null && elicit != null && write.path("enabled").asBoolean() && elicit.path("enabled").asBoolean();
    }

    static ApiClient api() {
        return new ApiClient(APP.getLocalPort());
    }

    static JsonNode server(String id) {
        for (JsonNode s : api().get("/api/mcp/servers").json().get("servers")) {
            if (s.get("id").asText().equals(id)) {
                return s;
            }
        }
        throw new AssertionError(id);
    }

    static JsonNode tool(String serverId, String name) {
        for (JsonNode t : server(serverId).get("tools")) {
            if (t.get("name").asText().equals(name)) {
                return t;
            }
        }
        return null;
    }

    static SseClient.Stream post(String session) throws Exception {
        return SseClient.post(APP.getLocalPort(), "{\"session_id\":\"" + session
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}");
    }

    /** Reads events up to and including the first that matches; all of them are returned. */
    static List<SseClient.Received> readUntil(SseClient.Stream stream, Predicate<SseClient.Received> stop)
            throws Exception {
        List<SseClient.Received> out = new ArrayList<>();
        SseClient.Received e;
        while ((e = stream.next()) != null) {
            out.add(e);
            if (stop.test(e)) {
                return out;
            }
        }
        throw new AssertionError("stream ended before the expected event: " + out);
    }

    static Predicate<SseClient.Received> named(String name) {
        return e -> e.name().equals(name);
    }

    static JsonNode finished(List<SseClient.Received> events, String callId) {
        return events.stream().filter(e -> e.name().equals("tool")).map(SseClient.Received::json)
                .filter(t -> t.path("call_id").asText().equals(callId) && !t.path("status").asText().equals("started"))
                .findFirst().orElseThrow(() -> new AssertionError("no result for " + callId + " in " + events));
    }

    static ApiClient.Reply decide(String turnId, String callId, String decision, String remember) {
        return api().post("/api/chat/turns/" + turnId + "/approvals", "{\"call_id\":\"" + callId
                + "\",\"decision\":\"" + decision + "\",\"remember\":\"" + remember + "\"}");
    }

    static JsonNode toolMessage(String session, String callId) {
        for (JsonNode m : api().get("/api/chat/session/" + session).json().get("messages")) {
            if (callId.equals(m.path("tool_call_id").asText())) {
                return m;
            }
        }
        throw new AssertionError("no stored result for " + callId);
    }

    @Test
    void theStatusShowsEachToolsEffectivePolicyAndWhereItCameFrom() {
        assertThat(tool("everything", WRITE_TOOL).get("policy").asText()).isEqualTo("ask");
        assertThat(tool("everything", WRITE_TOOL).get("policy_source").asText()).isEqualTo("annotation");
        assertThat(tool("everything", "echo").get("policy").asText()).isEqualTo("allow");
        assertThat(tool("everything", "trigger-elicitation-request").get("policy_source").asText())
                .isEqualTo("tool_policies");
        assertThat(tool("local-calculator", "calculator_evaluate").get("policy").asText()).isEqualTo("allow");
        assertThat(tool("local-calculator", "calculator_evaluate").get("policy_source").asText()).isEqualTo("builtin");
        assertThat(server("everything").get("default_policy").isNull()).isTrue();
    }

    @Test
    void aWriteToolWaitsWhileTheOtherCallRunsAndAllowRunsIt() throws Exception {
        FAKE.enqueue(Scripts.toolCalls(new ToolCallSpec("call_w", WRITE_TOOL, "{}"),
                        new ToolCallSpec("call_c", "calculator_evaluate", "{\"operation\":\"add\",\"a\":2,\"b\":3}")),
                Scripts.text("done"));
        try (SseClient.Stream stream = post("approve-allow")) {
            String turnId = stream.next().json().get("turn_id").asText();
            List<SseClient.Received> events = readUntil(stream, named("approval"));
            JsonNode approval = events.get(events.size() - 1).json();
            assertThat(approval.get("call_id").asText()).isEqualTo("call_w");
            assertThat(approval.get("tool").asText()).isEqualTo(WRITE_TOOL);
            assertThat(approval.get("server").asText()).isEqualTo("everything");
            assertThat(approval.get("arguments").isObject()).isTrue();
            assertThat(approval.get("reason").asText()).isNotBlank();
            // The calculator needs no approval: it finishes while the write tool waits. The two calls run on
            // their own threads, so its result may come before the approval event as well as after it.
            Predicate<SseClient.Received> calculatorDone = e -> e.name().equals("tool")
                    && e.json().path("call_id").asText().equals("call_c") && e.json().has("result");
            if (events.stream().noneMatch(calculatorDone)) {
                events.addAll(readUntil(stream, calculatorDone));
            }
            assertThat(finished(events, "call_c").get("result").asText()).isEqualTo("5");
            assertThat(events.stream().filter(e -> e.name().equals("tool"))
                    .noneMatch(e -> e.json().path("call_id").asText().equals("call_w"))).isTrue();
            JsonNode running = api().get("/api/chat/session/approve-allow").json().get("running_turn");
            assertThat(running.get("status").asText()).isEqualTo("awaiting_approval");
            assertThat(DB.turn(turnId).get("status")).isEqualTo("awaiting_approval");

            assertThat(decide(turnId, "call_w", "allow", "once").status()).isEqualTo(200);
            events.addAll(stream.readAll());
            JsonNode result = finished(events, "call_w");
            assertThat(result.get("status").asText()).isEqualTo("finished");
            assertThat(events.stream().anyMatch(e -> e.name().equals("tool")
                    && e.json().path("call_id").asText().equals("call_w")
                    && e.json().path("status").asText().equals("started"))).isTrue();
            assertThat(DB.turn(turnId).get("status")).isEqualTo("complete");
        }
        JsonNode stored = toolMessage("approve-allow", "call_w");
        assertThat(stored.get("approval").get("decision").asText()).isEqualTo("allow");
        assertThat(stored.get("approval").get("source").asText()).isEqualTo("user");
        assertThat(toolMessage("approve-allow", "call_c").has("approval")).isFalse();
        DB.assertToolPairing("approve-allow");
    }

    @Test
    void denyGivesTheModelTheDeclinedResult() throws Exception {
        FAKE.enqueue(Scripts.toolCalls(new ToolCallSpec("call_d", WRITE_TOOL, "{}")), Scripts.text("ok"));
        List<SseClient.Received> events;
        try (SseClient.Stream stream = post("approve-deny")) {
            String turnId = stream.next().json().get("turn_id").asText();
            readUntil(stream, named("approval"));
            assertThat(decide(turnId, "call_d", "deny", "once").status()).isEqualTo(200);
            events = stream.readAll();
        }
        JsonNode result = finished(events, "call_d");
        assertThat(result.get("status").asText()).isEqualTo("error");
        assertThat(result.get("result").asText()).isEqualTo("The user declined this tool call.");
        JsonNode wire = FAKE.lastChatRequest().json().get("messages");
        assertThat(wire.get(wire.size() - 1).toString())
                .isEqualTo("{\"role\":\"tool\",\"tool_call_id\":\"call_d\",\"content\":\"The user declined this tool call.\"}");
        assertThat(toolMessage("approve-deny", "call_d").get("approval").get("decision").asText()).isEqualTo("deny");
    }

    @Test
    void rememberedForTheSessionTheNextCallRunsWithoutACard() throws Exception {
        FAKE.enqueue(Scripts.toolCalls(new ToolCallSpec("call_s1", WRITE_TOOL, "{}")), Scripts.text("one"));
        try (SseClient.Stream stream = post("approve-session")) {
            String turnId = stream.next().json().get("turn_id").asText();
            readUntil(stream, named("approval"));
            assertThat(decide(turnId, "call_s1", "allow", "session").status()).isEqualTo(200);
            stream.readAll();
        }
        FAKE.enqueue(Scripts.toolCalls(new ToolCallSpec("call_s2", WRITE_TOOL, "{}")), Scripts.text("two"));
        List<SseClient.Received> events;
        try (SseClient.Stream stream = post("approve-session")) {
            events = stream.readAll();
        }
        assertThat(events).noneMatch(e -> e.name().equals("approval"));
        assertThat(finished(events, "call_s2").get("status").asText()).isEqualTo("finished");
        assertThat(toolMessage("approve-session", "call_s2").get("approval").get("source").asText())
                .isEqualTo("session");
        // Only this session: another one still asks (answered at once here).
        assertThat(tool("everything", WRITE_TOOL).get("policy").asText()).isEqualTo("ask");
    }

    @Test
    void aReloadWhileWaitingShowsTheCardAgainTheGraceWaitsAndTheReloadedPageAnswers() throws Exception {
        FAKE.enqueue(Scripts.toolCalls(new ToolCallSpec("call_r", WRITE_TOOL, "{}")), Scripts.text("after reload"));
        String turnId;
        try (SseClient.Stream stream = post("approve-reload")) {
            turnId = stream.next().json().get("turn_id").asText();
            readUntil(stream, named("approval"));
        }
        // No client now: the detach grace (1 s) must not cancel a turn that waits for the person.
        long until = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < until) {
            Thread.sleep(200);
            assertThat(DB.turn(turnId).get("status")).isEqualTo("awaiting_approval");
        }
        JsonNode running = api().get("/api/chat/session/approve-reload").json().get("running_turn");
        assertThat(running.get("turn_id").asText()).isEqualTo(turnId);
        assertThat(running.get("status").asText()).isEqualTo("awaiting_approval");
        try (RawSse replay = RawSse.attach(APP.getLocalPort(), turnId, null)) {
            assertThat(replay.status()).isEqualTo(200);
            String block;
            do {
                block = replay.next();
            } while (block != null && !"approval".equals(RawSse.name(block)));
            assertThat(block).as("the card's event is replayed").isNotNull();
            assertThat(RawSse.data(block)).contains("\"call_id\":\"call_r\"");
            assertThat(decide(turnId, "call_r", "allow", "once").status()).isEqualTo(200);
            List<String> rest = replay.readAll();
            assertThat(rest).anyMatch(b -> "tool".equals(RawSse.name(b)) && RawSse.data(b).contains("\"finished\""));
            assertThat(RawSse.data(rest.get(rest.size() - 1))).isEqualTo("[DONE]");
        }
        assertThat(DB.turn(turnId).get("status")).isEqualTo("complete");
    }

    @Test
    void theRoutesCheckTheirInput() throws Exception {
        assertThat(decide("0123456789abcdef0123456789abcdef", "call_x", "allow", "once").status()).isEqualTo(404);
        FAKE.enqueue(Scripts.toolCalls(new ToolCallSpec("call_v", WRITE_TOOL, "{}")), Scripts.text("ok"));
        try (SseClient.Stream stream = post("approve-input")) {
            String turnId = stream.next().json().get("turn_id").asText();
            readUntil(stream, named("approval"));
            ApiClient.Reply bad = api().post("/api/chat/turns/" + turnId + "/approvals",
                    "{\"call_id\":\"call_v\",\"decision\":\"maybe\",\"remember\":\"forever\",\"x\":1}");
            assertThat(bad.status()).isEqualTo(422);
            assertThat(bad.body()).contains("\"decision\"").contains("\"remember\"").contains("extra_forbidden");
            assertThat(decide(turnId, "call_other", "allow", "once").status()).isEqualTo(409);
            assertThat(api().post("/api/chat/turns/" + turnId + "/elicitations/nope", "{\"action\":\"accept\"}")
                    .status()).isEqualTo(404);
            assertThat(decide(turnId, "call_v", "deny", "once").status()).isEqualTo(200);
            stream.readAll();
            assertThat(decide(turnId, "call_v", "allow", "once").status()).isEqualTo(409);
        }
    }

    @Test
    void patchSetsAToolPolicyAndDenyRefusesWithoutACard() throws Exception {
        ApiClient.Reply invalid = api().send("PATCH", "/api/mcp/servers/everything",
                "{\"tool_policies\":{\"echo\":\"never\"}}", "application/json");
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(api().send("PATCH", "/api/mcp/servers/everything",
                "{\"tool_policies\":{\"trigger-elicitation-request\":\"allow\",\"echo\":\"deny\"}}",
                "application/json").status()).isEqualTo(200);
        assertThat(tool("everything", "echo").get("policy").asText()).isEqualTo("deny");
        FAKE.enqueue(Scripts.toolCalls(new ToolCallSpec("call_e", "echo", "{\"message\":\"hi\"}")), Scripts.text("ok"));
        List<SseClient.Received> events;
        try (SseClient.Stream stream = post("policy-deny")) {
            events = stream.readAll();
        }
        assertThat(events).noneMatch(e -> e.name().equals("approval"));
        assertThat(finished(events, "call_e").get("result").asText()).isEqualTo("The user declined this tool call.");
        assertThat(api().send("PATCH", "/api/mcp/servers/everything",
                "{\"tool_policies\":{\"trigger-elicitation-request\":\"allow\"}}", "application/json").status())
                .isEqualTo(200);
        assertThat(tool("everything", "echo").get("policy").asText()).isEqualTo("allow");
    }

    @Test
    void anAcceptedElicitationReachesTheServerAndItsResultTheModel() throws Exception {
        FAKE.enqueue(Scripts.toolCalls(new ToolCallSpec("call_el", "trigger-elicitation-request", "{}")),
                Scripts.text("thanks"));
        List<SseClient.Received> events;
        try (SseClient.Stream stream = post("elicit-accept")) {
            String turnId = stream.next().json().get("turn_id").asText();
            List<SseClient.Received> upTo = readUntil(stream, named("elicitation"));
            JsonNode elicitation = upTo.get(upTo.size() - 1).json();
            assertThat(elicitation.get("call_id").asText()).isEqualTo("call_el");
            assertThat(elicitation.get("server").asText()).isEqualTo("everything");
            assertThat(elicitation.get("requested_schema").get("required").toString()).contains("name");
            assertThat(DB.turn(turnId).get("status")).isEqualTo("awaiting_approval");
            String path = "/api/chat/turns/" + turnId + "/elicitations/" + elicitation.get("elicitation_id").asText();
            ApiClient.Reply invalid = api().post(path, "{\"action\":\"accept\",\"content\":{\"integer\":500,"
                    + "\"email\":\"not-an-address\",\"untitledSingleSelectEnum\":\"Gunther\"}}");
            assertThat(invalid.status()).isEqualTo(422);
            List<String> fields = new ArrayList<>();
            invalid.json().get("detail").forEach(d -> fields.add(d.get("loc").get(2).asText()));
            assertThat(fields).containsExactlyInAnyOrder("name", "integer", "email", "untitledSingleSelectEnum");
            assertThat(api().post(path, "{\"action\":\"accept\",\"content\":{\"name\":\"Ada Lovelace\",\"check\":true,"
                    + "\"integer\":7}}").status()).isEqualTo(200);
            events = stream.readAll();
            assertThat(DB.turn(turnId).get("status")).isEqualTo("complete");
        }
        String result = finished(events, "call_el").get("result").asText();
        assertThat(result).contains("Name: Ada Lovelace").contains("Favorite Integer: 7");
        JsonNode wire = FAKE.lastChatRequest().json().get("messages");
        assertThat(wire.get(wire.size() - 1).get("content").asText()).contains("Name: Ada Lovelace");
        JsonNode stored = toolMessage("elicit-accept", "call_el");
        assertThat(stored.get("elicitations").get(0).get("action").asText()).isEqualTo("accept");
    }

    @Test
    void aDeclinedElicitationIsWhatTheServerHears() throws Exception {
        FAKE.enqueue(Scripts.toolCalls(new ToolCallSpec("call_ed", "trigger-elicitation-request", "{}")),
                Scripts.text("ok"));
        List<SseClient.Received> events;
        try (SseClient.Stream stream = post("elicit-decline")) {
            String turnId = stream.next().json().get("turn_id").asText();
            List<SseClient.Received> upTo = readUntil(stream, named("elicitation"));
            String id = upTo.get(upTo.size() - 1).json().get("elicitation_id").asText();
            assertThat(api().post("/api/chat/turns/" + turnId + "/elicitations/" + id, "{\"action\":\"decline\"}")
                    .status()).isEqualTo(200);
            events = stream.readAll();
        }
        assertThat(finished(events, "call_ed").get("result").asText())
                .contains("User declined to provide the requested information");
    }

    /** Runs last by name order is not guaranteed, so it restores the policy it changes. */
    @Test
    void alwaysWritesThePolicyWhichSurvivesARestart() throws Exception {
        FAKE.enqueue(Scripts.toolCalls(new ToolCallSpec("call_a1", WRITE_TOOL, "{}")), Scripts.text("one"));
        try (SseClient.Stream stream = post("approve-always")) {
            String turnId = stream.next().json().get("turn_id").asText();
            readUntil(stream, named("approval"));
            assertThat(decide(turnId, "call_a1", "allow", "always").status()).isEqualTo(200);
            stream.readAll();
        }
        assertThat(Files.readString(DIR.resolve("mcp_servers.json"))).contains("\"" + WRITE_TOOL + "\" : \"allow\"");
        APP.after();
        APP.before();
        ready();
        assertThat(tool("everything", WRITE_TOOL).get("policy").asText()).isEqualTo("allow");
        assertThat(tool("everything", WRITE_TOOL).get("policy_source").asText()).isEqualTo("tool_policies");
        FAKE.enqueue(Scripts.toolCalls(new ToolCallSpec("call_a2", WRITE_TOOL, "{}")), Scripts.text("two"));
        List<SseClient.Received> events;
        try (SseClient.Stream stream = post("approve-always-2")) {
            events = stream.readAll();
        }
        assertThat(events).noneMatch(e -> e.name().equals("approval"));
        assertThat(finished(events, "call_a2").get("status").asText()).isEqualTo("finished");
        assertThat(api().send("PATCH", "/api/mcp/servers/everything",
                "{\"tool_policies\":{\"trigger-elicitation-request\":\"allow\"}}", "application/json").status())
                .isEqualTo(200);
    }
}
