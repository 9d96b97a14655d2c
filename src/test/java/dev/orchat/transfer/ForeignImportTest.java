package dev.orchat.transfer;

import org.junit.jupiter.api.Tag;
import static dev.orchat.transfer.TransferClient.JSON;
import static dev.orchat.transfer.TransferClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** ChatGPT and Open WebUI exports become sessions (docs/api.md "Import"). */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class ForeignImportTest {
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(null, DIR);

    static JsonNode session(String id) throws Exception {
        var r = TransferClient.get(APP.getLocalPort(), "/api/chat/session/" + id);
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void chatGptConversationsFollowThePathToCurrentNodeAndNoteTheOtherBranches() throws Exception {
        var file = JSON.createArrayNode().add(ForeignExports.chatGptWithBranches("6570a1b2-c3d4-e5f6-0718-293a4b5c6d7e"));
        JsonNode report = TransferClient.importOk(APP.getLocalPort(), "conversations.json", utf8(file.toString()));
        assertThat(report.get("failed")).as(report.toString()).isEmpty();
        JsonNode item = report.get("imported").get(0);
        assertThat(item.get("session_id").asText()).isEqualTo("chatgpt-6570a1b2-c3d4-e5f6-0718-293a4b5c6d7e");
        assertThat(item.get("source").asText()).isEqualTo("chatgpt");
        assertThat(item.get("title").asText()).isEqualTo("Kiwi birds");
        assertThat(item.get("messages").asInt()).isEqualTo(4);
        assertThat(item.get("note").asText()).contains("1 other branch not imported").contains("1 tool message left out");
        assertThat(item.get("item").asText()).isEqualTo("conversations.json #1");

        JsonNode view = session("chatgpt-6570a1b2-c3d4-e5f6-0718-293a4b5c6d7e");
        assertThat(view.get("session").get("title").asText()).isEqualTo("Kiwi birds");
        assertThat(view.get("session").get("created_at").asText()).isEqualTo("2023-11-14T22:13:20.500Z");
        assertThat(view.get("session").get("message_count").asInt()).isEqualTo(4);
        assertThat(view.get("session").get("last_model").asText()).isEqualTo("gpt-4o");
        assertThat(view.get("messages")).extracting(m -> m.get("role").asText() + ": " + m.get("content").asText())
                .containsExactly("user: What is a kiwi bird?", "assistant: A flightless bird from New Zealand.",
                        "user: [image]\n\nAnd this picture?", "assistant: It is a kiwi.");
        assertThat(view.get("messages").get(1).get("model").asText()).isEqualTo("gpt-4o");

        JsonNode again = TransferClient.importOk(APP.getLocalPort(), "conversations.json", utf8(file.toString()));
        assertThat(again.get("skipped")).hasSize(1);
        assertThat(again.get("imported")).isEmpty();
    }

    @Test
    void aChatGptZipIsReadForItsConversationFilesAndTheRestIsIgnored() throws Exception {
        var noCurrent = ForeignExports.chatGptConversation("zip-2", "No current node", 1_700_100_000, null);
        ForeignExports.chatGptNode(noCurrent, "r", null, null, null, 0);
        ForeignExports.chatGptNode(noCurrent, "u", "r", "user", "text", 1_700_100_001, "hello from a zip");
        ForeignExports.chatGptNode(noCurrent, "a", "u", "assistant", "text", 1_700_100_002, "hi");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("user.json", utf8("{\"id\":\"user-x\",\"email\":\"a@example.org\"}"));
        entries.put("message_feedback.json", utf8("[{\"id\":\"f\",\"rating\":\"thumbsUp\"}]"));
        entries.put("file-abc.png", dev.orchat.testing.SampleFiles.png(500));
        entries.put("dalle-generations/", new byte[0]);
        entries.put("chat.html", utf8("<html></html>"));
        entries.put("conversations.json", utf8(JSON.createArrayNode().add(ForeignExports.chatGptWithBranches("zip-1"))
                .add(noCurrent).toString()));
        JsonNode report = TransferClient.importOk(APP.getLocalPort(), "chatgpt-export.zip", TransferClient.zip(entries));
        assertThat(report.get("failed")).as(report.toString()).isEmpty();
        assertThat(report.get("imported")).extracting(i -> i.get("session_id").asText()).containsExactly("chatgpt-zip-1", "chatgpt-zip-2");
        assertThat(session("chatgpt-zip-2").get("messages")).extracting(m -> m.get("content").asText())
                .containsExactly("hello from a zip", "hi");
    }

    @Test
    void openWebUiChatsFollowCurrentIdOrTheLinearList() throws Exception {
        var file = JSON.createArrayNode().add(ForeignExports.openWebUiChat("7f3e-owu")).add(ForeignExports.openWebUiLinear("old-owu"));
        JsonNode report = TransferClient.importOk(APP.getLocalPort(), "chat-export-1700000000.json", utf8(file.toString()));
        assertThat(report.get("failed")).as(report.toString()).isEmpty();
        assertThat(report.get("imported")).extracting(i -> i.get("source").asText()).containsExactly("open-webui", "open-webui");
        assertThat(report.get("imported").get(0).get("note").asText()).contains("1 other branch");
        JsonNode tea = session("openwebui-7f3e-owu");
        assertThat(tea.get("session").get("title").asText()).isEqualTo("Tea brewing");
        assertThat(tea.get("session").get("updated_at").asText()).isEqualTo("2023-11-14T22:15:00.000Z");
        assertThat(tea.get("messages")).extracting(m -> m.get("content").asText())
                .containsExactly("How long to steep green tea?", "Two to three minutes at 80 °C.", "Thanks!");
        assertThat(tea.get("messages").get(1).get("model").asText()).isEqualTo("llama3:8b");
        assertThat(session("openwebui-old-owu").get("messages")).extracting(m -> m.get("content").asText()).containsExactly("ping", "pong");
        var hits = JSON.readTree(TransferClient.get(APP.getLocalPort(), "/api/search?q=steep").body()).get("hits");
        assertThat(hits).extracting(h -> h.get("session_id").asText()).containsExactly("openwebui-7f3e-owu");
    }
}
