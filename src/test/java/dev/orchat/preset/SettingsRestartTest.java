package dev.orchat.preset;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchat.testing.ApiClient;
import dev.orchat.testing.ChildApp;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.TestApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The service in its own JVM, started twice on one data directory: the legacy files are imported on the first
 * start only (docs/operations.md, "Legacy import"), and settings, a cleared prompt, presets and the default survive a restart.
 */
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class SettingsRestartTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();

    @AfterAll
    static void stop() {
        FAKE.close();
    }

    static Map<String, String> env(Path dir) {
        Map<String, String> env = new HashMap<>(Map.of("DATA_DIR", dir.toString(), "CHAT_DATABASE_PATH",
                dir.resolve("chat.db").toString(), "ATTACHMENTS_DIR", dir.resolve("uploads").toString(),
                "MCP_SERVERS_PATH", dir.resolve("mcp_servers.json").toString(), "OPENROUTER_BASE_URL",
                FAKE.baseUrl().toString(), "OPENROUTER_API_KEY", "child-key", "OPENROUTER_FLAVOR", "openrouter"));
        env.put("MODEL_SETTINGS_PATH", dir.resolve("legacy/model_settings.json").toString());
        env.put("PRESETS_PATH", dir.resolve("legacy/presets.json").toString());
        return env;
    }

    @Test
    void legacyImportOnceThenEverythingSurvivesARestart() throws Exception {
        Path dir = TestApp.tempDir();
        Files.createDirectories(dir.resolve("legacy"));
        String legacySettings = """
                {"model": "mistralai/mistral-mid-2.2-large", "provider": {"sort": "throughput"},
                 "parameters": {"temperature": 0.4}, "system_prompt": "Legacy prompt."}""";
        String legacyPresets = """
                {"presets": [
                  {"name": "Old One", "model": "openai/gpt-n-1.0-pro", "system_prompt": "x",
                   "mcp_servers": [{"id": "local-calculator", "enabled": false, "command": "npx secret", "env": {"K": "v"}}]},
                  {"name": "bad/name", "model": "a/b"},
                  {"name": "Old Two", "model": "openai/gpt-n-1.0-mini", "parameters": {"temperature": 9}}
                ]}""";
        Files.writeString(dir.resolve("legacy/model_settings.json"), legacySettings);
        Files.writeString(dir.resolve("legacy/presets.json"), legacyPresets);

        try (ChildApp first = ChildApp.start(env(dir))) {
            ApiClient api = new ApiClient(first.port);
            assertThat(api.get("/api/settings/model").json().get("model").asText()).isEqualTo("mistralai/mistral-mid-2.2-large");
            assertThat(api.get("/api/settings/model").json().get("parameters").toString()).isEqualTo("{\"temperature\":0.4}");
            assertThat(api.get("/api/settings/system-prompt").json().get("system_prompt").asText()).isEqualTo("Legacy prompt.");
            JsonNode presets = api.get("/api/presets").json();
            assertThat(presets.size()).as("invalid entries skipped").isEqualTo(1);
            JsonNode old = api.get("/api/presets/old%20one").json();
            assertThat(old.get("mcp_servers").toString()).isEqualTo("[{\"id\":\"local-calculator\",\"enabled\":false,\"disabled_tools\":[]}]");
            assertThat(first.log()).doesNotContain("npx secret");

            api.put("/api/settings/model", "{\"model\": \"qwen/qwen-coder-1.0-base\", \"provider\": {\"only\": [\"Together\"]}}");
            api.put("/api/settings/system-prompt", "{\"system_prompt\": \"\"}");
            api.delete("/api/presets/Old%20One");
            api.post("/api/presets", "{\"name\": \"Kept\"}");
            api.post("/api/presets/kept/set-default", null);
        }
        assertThat(Files.readString(dir.resolve("legacy/model_settings.json"))).as("legacy files untouched").isEqualTo(legacySettings);

        try (ChildApp second = ChildApp.start(env(dir))) {
            ApiClient api = new ApiClient(second.port);
            JsonNode model = api.get("/api/settings/model").json();
            assertThat(model.get("model").asText()).isEqualTo("qwen/qwen-coder-1.0-base");
            assertThat(model.get("provider").toString()).isEqualTo("{\"only\":[\"Together\"]}");
            assertThat(api.get("/api/settings/system-prompt").json().get("system_prompt").isNull())
                    .as("a cleared prompt stays cleared").isTrue();
            assertThat(api.get("/api/presets/old%20one").status()).as("not imported a second time").isEqualTo(404);
            assertThat(api.get("/api/presets/default").json().get("name").asText()).isEqualTo("Kept");
            assertThat(api.get("/health").json().get("active_model").asText()).isEqualTo("qwen/qwen-coder-1.0-base");
        }
    }

    @Test
    void aSettingsFileWithoutPromptKeepsTheDefaultPrompt() throws Exception {
        Path dir = TestApp.tempDir();
        Files.createDirectories(dir.resolve("legacy"));
        Files.writeString(dir.resolve("legacy/model_settings.json"), "{\"model\": \"a/b\", \"parameters\": {\"nope\": 1}}");
        Map<String, String> env = env(dir);
        env.put("OPENROUTER_SYSTEM_PROMPT", "Configured default.");
        try (ChildApp app = ChildApp.start(env)) {
            ApiClient api = new ApiClient(app.port);
            JsonNode model = api.get("/api/settings/model").json();
            assertThat(model.get("model").asText()).isEqualTo("a/b");
            assertThat(model.get("parameters").isNull()).as("invalid part dropped").isTrue();
            assertThat(api.get("/api/settings/system-prompt").json().get("system_prompt").asText()).isEqualTo("Configured default.");
        }
    }
}
