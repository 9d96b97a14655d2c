package dev.orchat.upload;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.Db;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.SampleFiles;
import dev.orchat.testing.Scripts;
import dev.orchat.testing.SseClient;
import dev.orchat.testing.TestApp;
import dev.orchat.testing.Uploads;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Attachments as model input (docs/api.md §2.21, §4.1–4.5), checked on the request the fake upstream received. */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class ChatAttachmentsTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, DIR,
            TestApp.set("attachments.inputModalities.acme/vision-files", "text,image,file"),
            TestApp.set("attachments.inputModalities.acme/text-only", "text"),
            TestApp.set("attachments.inputModalities.acme/configured-text", "text"));
    static final Db DB = new Db(DIR.resolve("chat.db"));
    static final ObjectMapper JSON = new ObjectMapper();
    static final byte[] PNG = SampleFiles.png(3000);
    static final byte[] PDF = SampleFiles.pdf("Quarterly revenue grew by 42 percent", "Outlook is stable");

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    @BeforeEach
    void reset() {
        FAKE.reset();
    }

    @Test
    void aModelThatAcceptsFilesGetsTheImageAsDataUrlAndThePdfAsAFilePartWithTheParserPlugin() throws Exception {
        String image = upload("files-1", "chart.png", "image/png", PNG);
        String pdf = upload("files-1", "Report.pdf", "application/pdf", PDF);
        String imageUrlForm = "{\"type\":\"image_url\",\"image_url\":{\"url\":\"http://localhost:" + APP.getLocalPort()
                + "/api/uploads/" + image + "/content\"}}";
        turn("files-1", "acme/vision-files", "[{\"type\":\"text\",\"text\":\"Summarise\"}," + imageUrlForm
                + ",{\"type\":\"image_url\",\"image_url\":{\"url\":\"blob:x\"},\"metadata\":{\"attachment_id\":\"" + pdf + "\"}},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.org/cat.png\"}}]");

        JsonNode request = FAKE.lastChatRequest().json();
        JsonNode parts = lastUser(request).get("content");
        assertThat(parts.get(0).get("text").asText()).isEqualTo("Summarise");
        assertThat(parts.get(1).get("type").asText()).isEqualTo("image_url");
        assertThat(parts.get(1).get("image_url").get("url").asText())
                .isEqualTo("data:image/png;base64," + Base64.getEncoder().encodeToString(PNG));
        assertThat(parts.get(2).get("type").asText()).isEqualTo("file");
        assertThat(parts.get(2).get("file").get("filename").asText()).isEqualTo("Report.pdf");
        assertThat(parts.get(2).get("file").get("file_data").asText())
                .isEqualTo("data:application/pdf;base64," + Base64.getEncoder().encodeToString(PDF));
        assertThat(parts.get(3).toString()).isEqualTo("{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.org/cat.png\"}}");
        assertThat(request.get("plugins").toString()).isEqualTo("[{\"id\":\"file-parser\",\"pdf\":{\"engine\":\"native\"}}]");

        // Stored canonically, with the snapshot rows and refs in the history view.
        JsonNode history = JSON.readTree(get("/api/chat/session/files-1").body());
        JsonNode user = history.get("messages").get(0);
        assertThat(user.get("content").get(1).toString()).isEqualTo("{\"type\":\"attachment\",\"attachment_id\":\"" + image + "\"}");
        assertThat(user.get("content").get(2).toString()).isEqualTo("{\"type\":\"attachment\",\"attachment_id\":\"" + pdf + "\"}");
        assertThat(user.get("attachments")).hasSize(2);
        assertThat(user.get("attachments").get(0).get("id").asText()).isEqualTo(image);
        assertThat(user.get("attachments").get(0).get("available").asBoolean()).isTrue();
        assertThat(user.get("attachments").get(0).get("displayUrl").asText()).endsWith("/api/uploads/" + image + "/content");
        assertThat(user.get("attachments").get(1).get("filename").asText()).isEqualTo("Report.pdf");
        assertThat(DB.query("SELECT part_index, attachment_id, filename, mime_type FROM message_attachments ORDER BY part_index"))
                .extracting(r -> r.get("part_index") + ":" + r.get("attachment_id") + ":" + r.get("mime_type"))
                .contains("1:" + image + ":image/png", "2:" + pdf + ":application/pdf");
        assertThat(history.get("session").get("title").asText()).isEqualTo("Summarise");
    }

    @Test
    void aTextOnlyModelGetsExtractedPdfTextAndAPlaceholderForTheImage() throws Exception {
        String image = upload("text-1", "photo.png", "image/png", PNG);
        String pdf = upload("text-1", "Report.pdf", "application/pdf", PDF);
        String notes = upload("text-1", "notes.md", "text/markdown", "# Notes\nremember the milk".getBytes(StandardCharsets.UTF_8));
        turn("text-1", "acme/text-only", "[{\"type\":\"attachment\",\"attachment_id\":\"" + image + "\"},"
                + "{\"type\":\"attachment\",\"attachment_id\":\"" + pdf + "\"},{\"type\":\"attachment\",\"attachment_id\":\"" + notes + "\"}]");

        JsonNode request = FAKE.lastChatRequest().json();
        JsonNode parts = lastUser(request).get("content");
        assertThat(parts.get(0).toString()).isEqualTo("{\"type\":\"text\",\"text\":\"[Image photo.png not sent: the selected"
                + " model does not accept images]\"}");
        String pdfText = parts.get(1).get("text").asText();
        assertThat(pdfText).startsWith("[Attachment: Report.pdf — PDF, 2 pages; text of pages 1–2]\n")
                .contains("Quarterly revenue grew by 42 percent").contains("Outlook is stable");
        assertThat(parts.get(2).get("text").asText()).isEqualTo("[Attachment: notes.md]\n# Notes\nremember the milk");
        assertThat(request.has("plugins")).isFalse();
        assertThat(request.toString()).doesNotContain("base64");
    }

    @Test
    void anUnknownModelGetsTheImageAndPdfTextAndReplayedHistoryIsExpandedOnLaterTurns() throws Exception {
        String image = upload("replay-1", "a.png", "image/png", PNG);
        turn("replay-1", "acme/unknown", "[{\"type\":\"text\",\"text\":\"look\"},{\"type\":\"attachment\",\"attachment_id\":\"" + image + "\"}]");
        assertThat(lastUser(FAKE.lastChatRequest().json()).get("content").get(1).get("type").asText()).isEqualTo("image_url");
        DB.update("UPDATE attachments SET last_used_at = '2020-01-01T00:00:00.000Z' WHERE id = ?", image);

        turn("replay-1", "acme/unknown", "\"and again\"");
        JsonNode messages = FAKE.lastChatRequest().json().get("messages");
        JsonNode firstUser = null;
        for (JsonNode m : messages) {
            if (m.get("role").asText().equals("user")) {
                firstUser = m;
                break;
            }
        }
        assertThat(firstUser.get("content").get(1).get("image_url").get("url").asText()).startsWith("data:image/png;base64,");
        // Replaying it upstream counted as a use (docs/api.md §2.21).
        assertThat((String) DB.query("SELECT last_used_at FROM attachments WHERE id = ?", image).get(0).get("last_used_at"))
                .doesNotStartWith("2020");

        // Deleted afterwards: the model sees a placeholder, the history a snapshot ref.
        assertThat(send("DELETE", "/api/uploads/" + image).statusCode()).isEqualTo(204);
        turn("replay-1", "acme/unknown", "\"one more\"");
        String wire = FAKE.lastChatRequest().json().get("messages").toString();
        assertThat(wire).contains("[Attachment a.png is no longer available]").doesNotContain("base64");
        JsonNode ref = JSON.readTree(get("/api/chat/session/replay-1").body()).get("messages").get(0).get("attachments").get(0);
        assertThat(ref.toString()).isEqualTo("{\"id\":\"" + image + "\",\"filename\":\"a.png\",\"mimeType\":\"image/png\","
                + "\"sizeBytes\":null,\"displayUrl\":null,\"available\":false}");
    }

    /** The catalogue's input_modalities win over configuration (docs/api.md §2.21: "from the catalogue when available"). */
    @Test
    void capabilitiesComeFromTheModelCatalogueWhenItKnowsTheModel() throws Exception {
        FAKE.setModelsJson("{\"data\":[{\"id\":\"acme/configured-text\",\"architecture\":{\"input_modalities\":"
                + "[\"text\",\"image\",\"file\"]}},{\"id\":\"cat/blind\",\"architecture\":{\"input_modalities\":[\"text\"]}}]}");
        HttpResponse<String> refreshed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + APP.getAdminPort() + "/tasks/models-refresh")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refreshed.body()).contains("2"); // the catalogue now holds these two models
        String image = upload("catalogue-1", "c.png", "image/png", PNG);
        String pdf = upload("catalogue-1", "c.pdf", "application/pdf", PDF);
        String parts = "[{\"type\":\"attachment\",\"attachment_id\":\"" + image + "\"},"
                + "{\"type\":\"attachment\",\"attachment_id\":\"" + pdf + "\"}]";
        // Configured as text-only, but the catalogue says it takes images and files.
        turn("catalogue-1", "acme/configured-text", parts);
        JsonNode sent = lastUser(FAKE.lastChatRequest().json()).get("content");
        assertThat(sent.get(0).get("type").asText()).isEqualTo("image_url");
        assertThat(sent.get(1).get("type").asText()).isEqualTo("file");
        // Not configured at all, but the catalogue says text only.
        turn("catalogue-1", "cat/blind", "\"again\"");
        String wire = FAKE.lastChatRequest().json().get("messages").toString();
        assertThat(wire).contains("[Image c.png not sent: the selected model does not accept images]")
                .contains("[Attachment: c.pdf — PDF, 2 pages").doesNotContain("base64");
    }

    @Test
    void referencesToForeignOrExpiredAttachmentsAreRefusedBeforeTheStream() throws Exception {
        String foreign = upload("owner", "o.txt", "text/plain", "mine".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = post("{\"session_id\":\"thief\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"attachment\",\"attachment_id\":\"" + foreign + "\"}]}]}");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).isEqualTo("{\"detail\":\"Attachment " + foreign + " does not belong to this session\"}");

        DB.update("UPDATE attachments SET expires_at = '2001-01-01T00:00:00.000Z' WHERE id = ?", foreign);
        r = post("{\"session_id\":\"owner\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"attachment\",\"attachment_id\":\"" + foreign + "\"}]}]}");
        assertThat(r.statusCode()).isEqualTo(410);
        assertThat(r.body()).isEqualTo("{\"detail\":\"Attachment " + foreign + " has expired\"}");
        assertThat(FAKE.chatRequestCount()).isZero();
    }

    static JsonNode lastUser(JsonNode request) {
        JsonNode found = null;
        for (JsonNode m : request.get("messages")) {
            if (m.get("role").asText().equals("user")) {
                found = m;
            }
        }
        return found;
    }

    static void turn(String session, String model, String content) throws Exception {
        FAKE.enqueue(Scripts.text("ok"));
        String body = "{\"session_id\":\"" + session + "\",\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\","
                + "\"content\":" + content + "}]}";
        try (SseClient.Stream stream = SseClient.post(APP.getLocalPort(), body)) {
            assertThat(stream.status()).isEqualTo(200);
            List<SseClient.Received> events = stream.readAll();
            assertThat(events.get(events.size() - 1).data()).isEqualTo("[DONE]");
            assertThat(events).noneMatch(e -> e.name().equals("error"));
        }
    }

    static String upload(String session, String name, String type, byte[] data) throws Exception {
        HttpResponse<String> r = Uploads.form().field("session_id", session).file(name, type, data).send(APP.getLocalPort());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).get("attachment").get("id").asText();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return send("GET", path);
    }

    static HttpResponse<String> send(String method, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String json) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort()
                        + "/api/chat/stream")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
