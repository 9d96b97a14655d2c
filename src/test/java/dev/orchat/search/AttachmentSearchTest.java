package dev.orchat.search;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The text of uploaded PDFs and text files is searchable, named in the hit, and leaves with its attachment. */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class AttachmentSearchTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, DIR,
            TestApp.set("attachments.inputModalities.acme/vision-files", "text,image,file"));
    static final Db DB = new Db(DIR.resolve("chat.db"));
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    static String upload(String session, String name, String type, byte[] data) throws Exception {
        HttpResponse<String> r = Uploads.form().field("session_id", session).file(name, type, data).send(APP.getLocalPort());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).get("attachment").get("id").asText();
    }

    static JsonNode hits(String q) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort()
                + "/api/search?q=" + q)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("hits");
    }

    /** Indexing runs in the background a few seconds after upload. */
    static JsonNode awaitHits(String q) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        JsonNode found = hits(q);
        while (found.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            found = hits(q);
        }
        return found;
    }

    @Test
    void pdfAndTextAttachmentsAreFoundUntilRetentionOrDeletionRemovesThem() throws Exception {
        String pdf = upload("att-1", "Report.pdf", "application/pdf", SampleFiles.pdf("Quarterly revenue grew by 42 percent", "Outlook is stable"));
        String txt = upload("att-2", "manifesto.txt", "text/plain", "The wombat manifesto, part one.".getBytes(StandardCharsets.UTF_8));
        FAKE.enqueue(Scripts.text("Noted."));
        String body = "{\"session_id\":\"att-1\",\"model\":\"acme/vision-files\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"Summarise the report\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"blob:x\"},"
                + "\"metadata\":{\"attachment_id\":\"" + pdf + "\"}}]}]}";
        try (SseClient.Stream s = SseClient.post(APP.getLocalPort(), body)) {
            s.readAll();
        }
        JsonNode revenue = awaitHits("revenue");
        assertThat(revenue).hasSize(1);
        JsonNode hit = revenue.get(0);
        assertThat(hit.get("source").asText()).isEqualTo("attachment");
        assertThat(hit.get("session_id").asText()).isEqualTo("att-1");
        assertThat(hit.get("attachment").get("id").asText()).isEqualTo(pdf);
        assertThat(hit.get("attachment").get("filename").asText()).isEqualTo("Report.pdf");
        assertThat(hit.get("snippet").asText()).contains("<mark>revenue</mark>");
        long userMessage = ((Number) DB.query("SELECT id FROM messages WHERE session_id = 'att-1' AND role = 'user'").get(0).get("id")).longValue();
        assertThat(hit.get("message_id").asLong()).isEqualTo(userMessage);
        assertThat(hit.get("role").asText()).isEqualTo("user");

        JsonNode wombat = awaitHits("wombat");
        assertThat(wombat.get(0).get("attachment").get("filename").asText()).isEqualTo("manifesto.txt");
        assertThat(wombat.get(0).get("message_id").isNull()).isTrue(); // uploaded, never sent

        DB.update("UPDATE attachments SET expires_at = '2000-01-01T00:00:00.000Z' WHERE id = ?", pdf);
        HttpResponse<String> sweep = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getAdminPort()
                + "/tasks/attachments-retention?dry_run=false")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(sweep.statusCode()).as(sweep.body()).isEqualTo(200);
        assertThat(hits("revenue")).isEmpty();
        assertThat(hits("summarise")).hasSize(2); // the message and its title stay

        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort() + "/api/chat/session/att-2"))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
        assertThat(hits("wombat")).isEmpty();
        SearchConsistency.assertConsistent(DB);
        assertThat(DB.query("SELECT * FROM search_docs WHERE kind = 'attachment'")).isEmpty();
    }
}
