package dev.orchat.preset;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.ApiClient;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** docs/api.md §2.19 end to end: CRUD, default handling, apply across settings and MCP enablement, and its atomicity. */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class PresetRoutesTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, DIR,
            TestApp.set("chat.defaultSystemPrompt", "Default prompt."));
    static final ObjectMapper JSON = new ObjectMapper();

    @AfterAll
    static void stop() {
        FAKE.close();
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
        throw new AssertionError("no server " + id);
    }

    @Test
    @Order(1)
    void createSnapshotsTheCurrentState() {
        api().put("/api/settings/model", "{\"model\": \"anthropic/claude-lyric-1.0-pro\", \"parameters\": {\"temperature\": 0.7}}");
        ApiClient.Reply created = api().post("/api/presets", "{\"name\": \"  Work  \"}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        JsonNode p = created.json();
        assertThat(p.get("name").asText()).isEqualTo("Work");
        assertThat(p.get("model").asText()).isEqualTo("anthropic/claude-lyric-1.0-pro");
        assertThat(p.get("parameters").toString()).isEqualTo("{\"temperature\":0.7}");
        assertThat(p.get("provider").isNull()).isTrue();
        assertThat(p.get("system_prompt").asText()).isEqualTo("Default prompt.");
        assertThat(p.get("is_default").asBoolean()).isFalse();
        List<String> ids = new ArrayList<>();
        p.get("mcp_servers").forEach(s -> {
            ids.add(s.get("id").asText());
            assertThat(s.size()).as("enablement only, never launch fields").isEqualTo(3);
        });
        assertThat(ids).contains("local-calculator", "housekeeping");

        JsonNode overridden = api().post("/api/presets/", """
                {"name": "beta", "model": "openai/gpt-n-1.1-mini", "system_prompt": null, "mcp_servers": null}""").json();
        assertThat(overridden.get("model").asText()).isEqualTo("openai/gpt-n-1.1-mini");
        assertThat(overridden.get("system_prompt").isNull()).isTrue();
        assertThat(overridden.get("mcp_servers").isNull()).isTrue();
        assertThat(overridden.get("parameters").toString()).isEqualTo("{\"temperature\":0.7}");
        api().post("/api/presets", "{\"name\": \"alpha\"}");
    }

    @Test
    @Order(2)
    void conflictsAndValidation() {
        ApiClient.Reply dup = api().post("/api/presets", "{\"name\": \"WORK\"}");
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.json().get("detail").asText()).contains("Work");
        for (String bad : List.of("{\"name\": \"a/b\"}", "{\"name\": \"Default\"}", "{\"name\": \"   \"}",
                "{\"name\": \"" + "n".repeat(65) + "\"}", "{\"name\": \"tab\\there\"}", "{}", "{\"name\": 5}",
                "{\"name\": \"ok\", \"colour\": 1}", "{\"name\": \"ok\", \"parameters\": {\"top_p\": 3}}",
                "{\"name\": \"ok\", \"mcp_servers\": [{\"id\": \"x\", \"command\": \"rm\"}]}",
                "{\"name\": \"ok\", \"mcp_servers\": [{\"enabled\": true}]}")) {
            ApiClient.Reply reply = api().post("/api/presets", bad);
            assertThat(reply.status()).as(bad + " -> " + reply.body()).isEqualTo(422);
            assertThat(reply.json().get("detail").isArray()).isTrue();
        }
        assertThat(api().get("/api/presets/ok").status()).isEqualTo(404);
    }

    @Test
    @Order(3)
    void listReadAndDefault() {
        JsonNode list = api().get("/api/presets").json();
        List<String> names = new ArrayList<>();
        list.forEach(i -> {
            names.add(i.get("name").asText());
            assertThat(i.size()).isEqualTo(5);
        });
        assertThat(names).containsExactly("alpha", "beta", "Work");
        assertThat(api().get("/api/presets/wORK").json().get("name").asText()).isEqualTo("Work");
        ApiClient.Reply missing = api().get("/api/presets/nope");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("detail").asText()).isNotBlank();

        ApiClient.Reply none = api().get("/api/presets/default");
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.body()).isEqualTo("null");
        JsonNode work = api().post("/api/presets/work/set-default", null).json();
        assertThat(work.get("is_default").asBoolean()).isTrue();
        assertThat(api().get("/api/presets/default").json().get("name").asText()).isEqualTo("Work");
        api().post("/api/presets/beta/set-default", null);
        assertThat(api().get("/api/presets/work").json().get("is_default").asBoolean()).isFalse();
        assertThat(api().get("/api/presets/default").json().get("name").asText()).isEqualTo("beta");
        assertThat(api().post("/api/presets/nope/set-default", null).status()).isEqualTo(404);

        ApiClient.Reply protectedDelete = api().delete("/api/presets/BETA");
        assertThat(protectedDelete.status()).isEqualTo(409);
        assertThat(protectedDelete.json().get("detail").asText()).isEqualTo("Cannot delete default preset: beta");
        assertThat(api().delete("/api/presets/alpha").json().toString()).isEqualTo("{\"deleted\":true}");
        assertThat(api().delete("/api/presets/alpha").status()).isEqualTo(404);
    }

    @Test
    @Order(4)
    void overwriteResnapshotsAndKeepsCreationAndDefault() {
        JsonNode before = api().get("/api/presets/beta").json();
        api().put("/api/settings/model", "{\"model\": \"qwen/qwen-coder-3.3-large\"}");
        ApiClient.Reply put = api().put("/api/presets/Beta", "{\"system_prompt\": \"Terse.\", \"note\": \"ignored\"}");
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        JsonNode after = put.json();
        assertThat(after.get("name").asText()).isEqualTo("beta");
        assertThat(after.get("model").asText()).isEqualTo("qwen/qwen-coder-3.3-large");
        assertThat(after.get("parameters").isNull()).isTrue();
        assertThat(after.get("system_prompt").asText()).isEqualTo("Terse.");
        assertThat(after.get("mcp_servers").isArray()).as("re-snapshotted").isTrue();
        assertThat(after.get("is_default").asBoolean()).isTrue();
        assertThat(after.get("created_at")).isEqualTo(before.get("created_at"));
        ApiClient.Reply noBody = api().send("PUT", "/api/presets/beta", null, null);
        assertThat(noBody.status()).as(noBody.body()).isEqualTo(200);
        assertThat(noBody.json().get("system_prompt").asText()).isEqualTo("Default prompt.");
        assertThat(api().put("/api/presets/nope", "{}").status()).isEqualTo(404);
        assertThat(api().put("/api/presets/beta", "{\"bogus\": 1}").status()).isEqualTo(422);
        assertThat(api().send("PUT", "/api/presets/beta", "{}", "text/plain").status()).isEqualTo(415);
    }

    @Test
    @Order(5)
    void applySetsSettingsPromptAndMcpEnablement() throws Exception {
        api().put("/api/settings/system-prompt", "{\"system_prompt\": \"Before apply.\"}");
        api().post("/api/presets", """
                {"name": "Focus", "model": "deepseek/deepseek-r-2.4-base", "provider": {"sort": "price"},
                 "parameters": {"max_tokens": 512}, "system_prompt": null,
                 "mcp_servers": [{"id": "local-calculator", "enabled": false, "disabled_tools": []},
                                 {"id": "housekeeping", "enabled": true, "disabled_tools": ["chat_history"]},
                                 {"id": "ghost", "enabled": true}]}""");
        ApiClient.Reply applied = api().post("/api/presets/focus/apply", null);
        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
        assertThat(applied.json().get("warnings").toString()).contains("ghost");
        JsonNode model = api().get("/api/settings/model").json();
        assertThat(model.get("model").asText()).isEqualTo("deepseek/deepseek-r-2.4-base");
        assertThat(model.get("provider").toString()).isEqualTo("{\"sort\":\"price\"}");
        assertThat(model.get("parameters").toString()).isEqualTo("{\"max_tokens\":512}");
        assertThat(api().get("/api/settings/system-prompt").json().get("system_prompt").isNull()).isTrue();
        assertThat(server("local-calculator").get("enabled").asBoolean()).isFalse();
        assertThat(server("housekeeping").get("enabled").asBoolean()).isTrue();
        assertThat(server("housekeeping").get("disabled_tools").toString()).isEqualTo("[\"chat_history\"]");
        String onDisk = Files.readString(DIR.resolve("mcp_servers.json"));
        assertThat(JSON.readTree(onDisk).get("servers").get(0).get("enabled").asBoolean()).isFalse();
        assertThat(api().post("/api/presets/nope/apply", null).status()).isEqualTo(404);
    }

    /** The second write (the MCP file) is made to fail: a directory now stands where the file was. */
    @Test
    @Order(6)
    void applyIsAllOrNothingWhenTheMcpWriteFails() throws Exception {
        api().post("/api/presets", """
                {"name": "Restore", "model": "x-ai/grok-q-1.0-ultra", "parameters": {"temperature": 1.1},
                 "system_prompt": "After apply.", "mcp_servers": [{"id": "local-calculator", "enabled": true}]}""");
        JsonNode settingsBefore = api().get("/api/settings/model").json();
        JsonNode promptBefore = api().get("/api/settings/system-prompt").json();
        boolean calculatorBefore = server("local-calculator").get("enabled").asBoolean();
        Path file = DIR.resolve("mcp_servers.json");
        String content = Files.readString(file);
        Files.delete(file);
        Files.createDirectories(file.resolve("blocker"));
        try {
            ApiClient.Reply failed = api().post("/api/presets/restore/apply", null);
            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.json().get("detail").asText()).contains("not applied");
            assertThat(api().get("/api/settings/model").json()).isEqualTo(settingsBefore);
            assertThat(api().get("/api/settings/system-prompt").json()).isEqualTo(promptBefore);
            assertThat(server("local-calculator").get("enabled").asBoolean()).isEqualTo(calculatorBefore).isFalse();
        } finally {
            Files.delete(file.resolve("blocker"));
            Files.delete(file);
            Files.writeString(file, content);
        }
        ApiClient.Reply retried = api().post("/api/presets/restore/apply", null);
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        assertThat(api().get("/api/settings/model").json().get("model").asText()).isEqualTo("x-ai/grok-q-1.0-ultra");
        assertThat(server("local-calculator").get("enabled").asBoolean()).isTrue();
    }
}
