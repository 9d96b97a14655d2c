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
import dev.orchat.testing.ToolCallSpec;
import dev.orchat.testing.Uploads;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The {@code pdf} built-in's confinement (docs/operations.md, "MCP servers", §13.4) and the retention sweep and task (§8.7–8.8, §12.3). */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class PdfToolAndRetentionTest {
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

    @Test
    void thePdfToolReadsOnlyTheCurrentSessionsPdfs() throws Exception {
        String mine = upload("pdf-mine", "Contract.pdf", "application/pdf",
                SampleFiles.pdf("Clause one says hello", "Clause two says goodbye", "Clause three"));
        String theirs = upload("pdf-theirs", "Secret.pdf", "application/pdf", SampleFiles.pdf("TOP SECRET PAYLOAD"));

        Map<String, String> results = toolTurn("pdf-mine",
                new ToolCallSpec("c_list", "pdf_list_documents", "{}"),
                new ToolCallSpec("c_pages", "pdf_extract_text", "{\"attachment_id\":\"" + mine + "\",\"pages\":\"2-3\"}"),
                new ToolCallSpec("c_name", "pdf_extract_text", "{\"filename\":\"contract\"}"),
                new ToolCallSpec("c_foreign", "pdf_extract_text", "{\"attachment_id\":\"" + theirs + "\"}"),
                new ToolCallSpec("c_foreign_name", "pdf_extract_text", "{\"filename\":\"Secret\"}"),
                new ToolCallSpec("c_path", "pdf_extract_text", "{\"filename\":\"../pdf-theirs/" + theirs + "__secret.pdf\"}"),
                new ToolCallSpec("c_bad_pages", "pdf_extract_text", "{\"pages\":\"../../etc/passwd\"}"),
                new ToolCallSpec("c_session_arg", "pdf_extract_text",
                        "{\"attachment_id\":\"" + theirs + "\",\"session_id\":\"pdf-theirs\"}"));

        JsonNode list = JSON.readTree(results.get("c_list"));
        assertThat(list.get("count").asInt()).isEqualTo(1);
        assertThat(list.get("documents").get(0).get("attachment_id").asText()).isEqualTo(mine);
        assertThat(list.get("documents").get(0).get("pages").asInt()).isEqualTo(3);
        assertThat(results.get("c_pages")).contains("pages 2–3").contains("Clause two").contains("Clause three")
                .doesNotContain("Clause one");
        assertThat(results.get("c_name")).contains("Clause one").contains("Contract.pdf");
        for (String call : List.of("c_foreign", "c_foreign_name", "c_path", "c_session_arg")) {
            assertThat(results.get(call)).as(call).startsWith("No PDF attached to this conversation matches")
                    .doesNotContain("TOP SECRET");
        }
        assertThat(results.get("c_bad_pages")).contains("pages must look like");
        assertThat(FAKE.lastChatRequest().json().toString()).doesNotContain("TOP SECRET");
    }

    /** Even a row tampered with in the database cannot lead the tool or the content route out of the uploads folder. */
    @Test
    void aStoragePathPointingOutsideTheUploadsFolderIsNeverFollowed() throws Exception {
        String id = upload("pdf-escape", "Inside.pdf", "application/pdf", SampleFiles.pdf("inside text"));
        Path outside = Files.write(DIR.resolve("outside.pdf"), SampleFiles.pdf("OUTSIDE SECRET"));
        DB.update("UPDATE attachments SET storage_path = '../outside.pdf' WHERE id = ?", id);
        assertThat(outside).exists();

        Map<String, String> results = toolTurn("pdf-escape", new ToolCallSpec("c_escape", "pdf_extract_text",
                "{\"attachment_id\":\"" + id + "\"}"));
        assertThat(results.get("c_escape")).contains("no longer available").doesNotContain("OUTSIDE SECRET");
        HttpResponse<String> content = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort()
                + "/api/uploads/" + id + "/content")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(content.statusCode()).isEqualTo(404);
        assertThat(content.body()).doesNotContain("OUTSIDE");
        DB.update("DELETE FROM attachments WHERE id = ?", id); // keep the sweep test's counts independent of order
    }

    @Test
    void theRetentionTaskReportsInDryRunThenDeletesExpiredMissingOrphanedAndDeletedSessionFiles() throws Exception {
        Path uploads = DIR.resolve("uploads");
        String expired = upload("ret-a", "old.txt", "text/plain", "old".getBytes(StandardCharsets.UTF_8));
        String missing = upload("ret-a", "missing.txt", "text/plain", "missing".getBytes(StandardCharsets.UTF_8));
        String kept = upload("ret-a", "kept.txt", "text/plain", "kept".getBytes(StandardCharsets.UTF_8));
        DB.update("UPDATE attachments SET expires_at = '2001-01-01T00:00:00.000Z' WHERE id = ?", expired);
        Path expiredFile = uploads.resolve(path(expired));
        Files.delete(uploads.resolve(path(missing)));
        Path orphan = Files.writeString(uploads.resolve("ret-a/0123456789abcdef0123456789abcdef__stray.txt"), "stray");
        Path freshOrphan = Files.writeString(uploads.resolve("ret-a/fresh.part"), "in flight");
        Path deadSessionDir = Files.createDirectories(uploads.resolve("ret-deleted-session"));
        Path deadFile = Files.writeString(deadSessionDir.resolve("x.png"), "left over");
        Path emptyDir = Files.createDirectories(uploads.resolve("ret-empty"));
        Instant old = Instant.now().minus(2, ChronoUnit.HOURS);
        for (Path p : List.of(orphan, deadFile, deadSessionDir, emptyDir)) {
            Files.setLastModifiedTime(p, FileTime.from(old));
        }

        DB.update("INSERT INTO oauth_flows (state_hash, provider, code_verifier_enc, redirect_uri, scopes, created_at,"
                + " expires_at) VALUES ('old', 'google', 'x', 'http://localhost/cb', 'openid', '2001-01-01T00:00:00.000Z',"
                + " '2001-01-01T00:10:00.000Z'), ('new', 'google', 'x', 'http://localhost/cb', 'openid', ?, ?)",
                java.time.Instant.now().toString(), java.time.Instant.now().plusSeconds(600).toString());
        String dry = task("attachments-retention?dry_run=true");
        assertThat(dry.strip()).isEqualTo("expired=1 missing_files=1 orphan_files=2 deleted_session_dirs=2 bytes=" + (3 + 5 + 9)
                + " dry_run=true");
        assertThat(expiredFile).exists();
        assertThat(orphan).exists();
        assertThat(deadFile).exists();
        assertThat(DB.query("SELECT id FROM attachments WHERE id IN (?, ?)", expired, missing)).hasSize(2);

        String real = task("attachments-retention");
        assertThat(real.strip()).isEqualTo("expired=1 missing_files=1 orphan_files=2 deleted_session_dirs=2 bytes=17 dry_run=false");
        assertThat(expiredFile).doesNotExist();
        assertThat(orphan).doesNotExist();
        assertThat(deadSessionDir).doesNotExist();
        assertThat(emptyDir).doesNotExist();
        assertThat(freshOrphan).exists(); // younger than the grace period
        assertThat(uploads.resolve(path(kept))).exists();
        assertThat(DB.query("SELECT id FROM attachments WHERE id IN (?, ?)", expired, missing)).isEmpty();
        assertThat(DB.query("SELECT id FROM attachments WHERE id = ?", kept)).hasSize(1);
        assertThat(DB.query("SELECT state_hash FROM oauth_flows")).extracting(r -> r.get("state_hash")).containsExactly("new");

        JsonNode metrics = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getAdminPort()
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(metrics.get("counters").get("attachments.swept").get("count").asLong()).isGreaterThanOrEqualTo(6);
        assertThat(metrics.get("meters").get("uploads.count").get("count").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(metrics.get("counters").get("uploads.bytes").get("count").asLong()).isGreaterThanOrEqualTo(14);
        assertThat(task("attachments-retention?dry_run=maybe")).contains("error");
    }

    @Test
    void purgingASessionCountsAndRemovesItsAttachments() throws Exception {
        upload("purge-me", "a.txt", "text/plain", "aaaa".getBytes(StandardCharsets.UTF_8));
        upload("purge-me", "b.gif", "image/gif", SampleFiles.gif(100));
        assertThat(task("purge-sessions?session=purge-me")).contains("attachments=2 files=2 bytes=104 dry_run=true");
        assertThat(task("purge-sessions?session=purge-me&dry_run=false")).contains("attachments=2 files=2 bytes=104 dry_run=false");
        assertThat(DIR.resolve("uploads/purge-me")).doesNotExist();
        assertThat(DB.query("SELECT id FROM attachments WHERE session_id = 'purge-me'")).isEmpty();
    }

    static Map<String, String> toolTurn(String session, ToolCallSpec... calls) throws Exception {
        FAKE.enqueue(Scripts.toolCalls(calls), Scripts.text("done"));
        try (SseClient.Stream stream = SseClient.post(APP.getLocalPort(), "{\"session_id\":\"" + session
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"read the pdf\"}]}")) {
            stream.readAll();
        }
        Map<String, String> results = new java.util.HashMap<>();
        for (var row : DB.query("SELECT tool_call_id, content FROM messages WHERE session_id = ? AND role = 'tool'", session)) {
            results.put((String) row.get("tool_call_id"), (String) row.get("content"));
        }
        assertThat(results).hasSize(calls.length);
        return results;
    }

    static String path(String id) {
        return (String) DB.query("SELECT storage_path FROM attachments WHERE id = ?", id).get(0).get("storage_path");
    }

    static String task(String nameAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getAdminPort() + "/tasks/" + nameAndQuery))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    static String upload(String session, String name, String type, byte[] data) throws Exception {
        HttpResponse<String> r = Uploads.form().field("session_id", session).file(name, type, data).send(APP.getLocalPort());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).get("attachment").get("id").asText();
    }
}
