package dev.orchat.transfer;

import org.junit.jupiter.api.Tag;
import static dev.orchat.transfer.TransferClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.Db;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.SampleFiles;
import dev.orchat.testing.Scripts;
import dev.orchat.testing.SseClient;
import dev.orchat.testing.TestApp;
import dev.orchat.testing.ToolTurns;
import dev.orchat.testing.Uploads;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Export (Markdown, orchat JSON, ZIP with files, all sessions) and the import of what was exported. */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class ExportImportRoundTripTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, DIR,
            TestApp.set("attachments.inputModalities.acme/vision-files", "text,image,file"));
    static final Db DB = new Db(DIR.resolve("chat.db"));
    static final byte[] PNG = SampleFiles.png(3000);

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    static int port() {
        return APP.getLocalPort();
    }

    /** A session with an attachment, a tool call and its result, usage and cost. */
    static String richSession(String id) throws Exception {
        HttpResponse<String> up = Uploads.form().field("session_id", id).file("kiwi.png", "image/png", PNG).send(port());
        assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
        String attachment = JSON.readTree(up.body()).get("attachment").get("id").asText();
        FAKE.enqueue(Scripts.text("A fine kiwi chart."));
        String body = "{\"session_id\":\"" + id + "\",\"model\":\"acme/vision-files\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"Look at this kiwi chart <b>now</b>\"},{\"type\":\"image_url\",\"image_url\":"
                + "{\"url\":\"blob:x\"},\"metadata\":{\"attachment_id\":\"" + attachment + "\"}}]}]}";
        try (SseClient.Stream s = SseClient.post(port(), body)) {
            assertThat(s.status()).isEqualTo(200);
            s.readAll();
        }
        ToolTurns.call(port(), FAKE, id, "calculator_evaluate", "{\"operation\":\"multiply\",\"a\":6,\"b\":7}");
        return attachment;
    }

    /** The session as the UI reads it, minus what a restore cannot keep: row ids and freshly signed URLs. */
    static JsonNode comparable(String id) throws Exception {
        HttpResponse<byte[]> r = TransferClient.get(port(), "/api/chat/session/" + id);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode view = JSON.readTree(r.body());
        for (JsonNode m : view.get("messages")) {
            ((ObjectNode) m).remove("id");
            for (JsonNode a : m.path("attachments")) {
                ((ObjectNode) a).remove("url");
                ((ObjectNode) a).remove("thumbnail_url");
            }
        }
        return view;
    }

    @Test
    void markdownNamesToolCallsResultsAndAttachments() throws Exception {
        richSession("md-1");
        HttpResponse<byte[]> r = TransferClient.get(port(), "/api/chat/session/md-1/export?format=md");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/markdown");
        assertThat(r.headers().firstValue("Content-Disposition").orElse("")).contains("md-1.md");
        String md = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(md).startsWith("# Look at this kiwi chart")
                .contains("### User · ", "Look at this kiwi chart <b>now</b>", "- Attachment: `kiwi.png` (image/png)",
                        "### Assistant · ", "A fine kiwi chart.", "**Tool call** `calculator_evaluate`", "\"operation\" : \"multiply\"",
                        "### Tool result · `calculator_evaluate`", "42");
        assertThat(TransferClient.get(port(), "/api/chat/session/nope/export?format=md").statusCode()).isEqualTo(404);
        assertThat(TransferClient.get(port(), "/api/chat/session/md-1/export?format=pdf").statusCode()).isEqualTo(422);
        assertThat(TransferClient.get(port(), "/api/chat/session/md-1/export?format=md&include_files=true").statusCode()).isEqualTo(422);
    }

    @Test
    void jsonCarriesEverythingAndAZipWithFilesRestoresTheSameSession() throws Exception {
        String attachment = richSession("rt-1");
        JsonNode before = comparable("rt-1");

        HttpResponse<byte[]> json = TransferClient.get(port(), "/api/chat/session/rt-1/export?format=json");
        assertThat(json.statusCode()).isEqualTo(200);
        JsonNode doc = JSON.readTree(json.body());
        assertThat(doc.get("format").asText()).isEqualTo("orchat-session");
        assertThat(doc.get("version").asInt()).isEqualTo(1);
        assertThat(doc.get("session").get("id").asText()).isEqualTo("rt-1");
        assertThat(doc.get("messages")).hasSize(6);
        assertThat(doc.get("messages").get(0).get("content").isArray()).isTrue();
        assertThat(doc.get("messages")).anySatisfy(m -> assertThat(m.get("tool_calls").isArray()).isTrue());
        assertThat(doc.get("messages")).anySatisfy(m -> assertThat(m.get("usage").isObject()).isTrue());
        assertThat(doc.get("generations").size()).isGreaterThanOrEqualTo(3);
        assertThat(doc.get("message_attachments").get(0).get("filename").asText()).isEqualTo("kiwi.png");
        assertThat(doc.get("attachments").get(0).has("storage_path")).isFalse();

        HttpResponse<byte[]> zip = TransferClient.get(port(), "/api/chat/session/rt-1/export?format=json&include_files=true");
        assertThat(zip.headers().firstValue("Content-Type").orElse("")).isEqualTo("application/zip");
        Map<String, byte[]> entries = TransferClient.unzip(zip.body());
        assertThat(entries.keySet()).containsExactly("manifest.json", "files/" + attachment, "sessions/rt-1.json");
        assertThat(entries.get("files/" + attachment)).isEqualTo(PNG);

        assertThat(TransferClient.send(port(), "DELETE", "/api/chat/session/rt-1").statusCode()).isEqualTo(204);
        JsonNode report = TransferClient.importOk(port(), "rt-1.zip", zip.body());
        assertThat(report.get("failed")).as(report.toString()).isEmpty();
        assertThat(report.get("imported")).hasSize(1);
        assertThat(report.get("imported").get(0).get("session_id").asText()).isEqualTo("rt-1");
        assertThat(report.get("imported").get(0).get("source").asText()).isEqualTo("orchat");
        assertThat(comparable("rt-1")).isEqualTo(before);
        HttpResponse<byte[]> file = TransferClient.get(port(), "/api/uploads/" + attachment + "/content");
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).isEqualTo(PNG);
        assertThat(TransferClient.get(port(), "/api/search?q=kiwi").body()).asString(StandardCharsets.UTF_8).contains("\"session_id\":\"rt-1\"");

        JsonNode again = TransferClient.importOk(port(), "rt-1.zip", zip.body());
        assertThat(again.get("imported")).isEmpty();
        assertThat(again.get("skipped").get(0).get("reason").asText()).isEqualTo("already present");

        // The same session from its plain JSON export: attachments stay named, the file did not travel.
        TransferClient.send(port(), "DELETE", "/api/chat/session/rt-1");
        assertThat(TransferClient.importOk(port(), "rt-1.json", json.body()).get("imported")).hasSize(1);
        assertThat(DB.query("SELECT filename FROM message_attachments a JOIN messages m ON m.id = a.message_id"
                + " WHERE m.session_id = 'rt-1'")).containsExactly(Map.of("filename", "kiwi.png"));
        assertThat(DB.query("SELECT id FROM attachments WHERE session_id = 'rt-1'")).isEmpty();
    }

    @Test
    void exportOfAllSessionsStreamsAZipThatImportsBack() throws Exception {
        FAKE.enqueue(Scripts.text("one"));
        try (SseClient.Stream s = SseClient.post(port(), "{\"session_id\":\"all-a\",\"messages\":[{\"role\":\"user\",\"content\":\"alpha\"}]}")) {
            s.readAll();
        }
        FAKE.enqueue(Scripts.text("two"));
        try (SseClient.Stream s = SseClient.post(port(), "{\"session_id\":\"all-b\",\"messages\":[{\"role\":\"user\",\"content\":\"beta\"}]}")) {
            s.readAll();
        }
        HttpResponse<byte[]> r = TransferClient.get(port(), "/api/export");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Disposition").orElse("")).contains("orchat-export.zip");
        Map<String, byte[]> entries = TransferClient.unzip(r.body());
        assertThat(entries).containsKeys("manifest.json", "sessions/all-a.json", "sessions/all-b.json");
        assertThat(JSON.readTree(entries.get("manifest.json")).get("format").asText()).isEqualTo("orchat-export");
        JsonNode a = comparable("all-a");
        TransferClient.send(port(), "DELETE", "/api/chat/session/all-a");
        JsonNode report = TransferClient.importOk(port(), "orchat-export.zip", r.body());
        assertThat(report.get("imported")).extracting(i -> i.get("session_id").asText()).containsExactly("all-a");
        assertThat(report.get("skipped")).extracting(i -> i.get("session_id").asText()).contains("all-b");
        assertThat(report.get("failed")).isEmpty();
        assertThat(comparable("all-a")).isEqualTo(a);
        Map<String, byte[]> md = TransferClient.unzip(TransferClient.get(port(), "/api/export?format=md").body());
        assertThat(new String(md.get("sessions/all-b.md"), StandardCharsets.UTF_8)).contains("beta", "two");
    }
}
