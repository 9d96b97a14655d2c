package dev.orchat.upload;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.Db;
import dev.orchat.testing.SampleFiles;
import dev.orchat.testing.TestApp;
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
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The upload routes of docs/api.md §2.21 without authentication (unsigned URLs). */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class UploadRoutesTest {
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(null, DIR);
    static final Db DB = new Db(DIR.resolve("chat.db"));
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static Stream<Arguments> acceptedFiles() {
        return Stream.of(
                Arguments.of("photo.png", "image/png", SampleFiles.png(5000), "image/png", ".png"),
                Arguments.of("Holiday Snap.JPG", "image/jpg", SampleFiles.jpeg(7000), "image/jpeg", ".jpg"),
                Arguments.of("anim.gif", "image/gif", SampleFiles.gif(300), "image/gif", ".gif"),
                Arguments.of("pic.webp", null, SampleFiles.webp(900), "image/webp", ".webp"),
                Arguments.of("Quarterly Report 2024.pdf", "application/pdf", SampleFiles.pdf("Revenue grew", "Page two"),
                        "application/pdf", ".pdf"),
                Arguments.of("notes.txt", "text/plain", "héllo wörld ✓\n".getBytes(StandardCharsets.UTF_8), "text/plain", ".txt"),
                Arguments.of("README.markdown", "application/octet-stream", "# Title\n\n*hi*".getBytes(StandardCharsets.UTF_8),
                        "text/markdown", ".md"),
                Arguments.of("data.csv", "text/csv; charset=utf-8", "\uFEFFa,b\n1,2\n".getBytes(StandardCharsets.UTF_8),
                        "text/csv", ".csv"));
    }

    @ParameterizedTest
    @MethodSource("acceptedFiles")
    void storesVerifiedFilesAndServesThemBackByteIdentical(String filename, String declared, byte[] data,
                                                           String expectedType, String ext) throws Exception {
        HttpResponse<String> r = Uploads.form().field("session_id", "up-ok").file(filename, declared, data)
                .send(APP.getLocalPort());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode a = JSON.readTree(r.body()).get("attachment");
        String id = a.get("id").asText();
        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(r.headers().firstValue("Location")).contains("/api/uploads/" + id);
        assertThat(a.get("sessionId").asText()).isEqualTo("up-ok");
        assertThat(a.get("mimeType").asText()).isEqualTo(expectedType);
        assertThat(a.get("sizeBytes").asLong()).isEqualTo(data.length);
        assertThat(a.get("displayUrl").asText()).isEqualTo("http://localhost:" + APP.getLocalPort() + "/api/uploads/" + id + "/content");
        assertThat(a.get("deliveryUrl").asText()).isEqualTo(a.get("displayUrl").asText());
        assertThat(a.get("metadata").get("filename").asText()).isEqualTo(filename);
        assertThat(a.get("expiresAt").asText()).isGreaterThan(a.get("uploadedAt").asText());

        var row = DB.query("SELECT * FROM attachments WHERE id = ?", id).get(0);
        assertThat(row.get("sha256")).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
        String storage = (String) row.get("storage_path");
        assertThat(storage).startsWith("up-ok/" + id).endsWith(ext);
        assertThat(Files.readAllBytes(DIR.resolve("uploads").resolve(storage))).isEqualTo(data);
        // Owner-only on disk (docs/operations.md).
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(DIR.resolve("uploads").resolve(storage)))).isEqualTo("rw-------");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(DIR.resolve("uploads/up-ok")))).isEqualTo("rwx------");
        if (expectedType.equals("application/pdf")) {
            assertThat(storage).isEqualTo("up-ok/" + id + "__quarterly-report-2024.pdf");
            assertThat(row.get("page_count")).isEqualTo(2);
        }

        HttpResponse<byte[]> content = HTTP.send(HttpRequest.newBuilder(URI.create(a.get("displayUrl").asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(content.statusCode()).isEqualTo(200);
        assertThat(content.body()).isEqualTo(data);
        assertThat(content.headers().firstValue("Content-Type").orElseThrow())
                .isEqualTo(expectedType.startsWith("text/") ? expectedType + ";charset=utf-8" : expectedType);
        assertThat(content.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(content.headers().firstValue("Content-Security-Policy")).contains("default-src 'none'; sandbox");
        assertThat(content.headers().firstValue("Cache-Control")).contains("private, max-age=0, must-revalidate");
        assertThat(content.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("inline; filename=\"");

        JsonNode meta = JSON.readTree(get("/api/uploads/" + id).body()).get("attachment");
        assertThat(meta.get("id").asText()).isEqualTo(id);
        assertThat(meta.get("sizeBytes").asLong()).isEqualTo(data.length);
    }

    @Test
    void uploadCreatesTheSessionAndHidesItFromTheDefaultList() throws Exception {
        HttpResponse<String> r = Uploads.form().field("session_id", "made-by-upload").file("a.txt", "text/plain",
                "x".getBytes(StandardCharsets.UTF_8)).send(APP.getLocalPort());
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(DB.query("SELECT id FROM sessions WHERE id = 'made-by-upload'")).hasSize(1);
        assertThat(get("/api/chat/sessions").body()).doesNotContain("made-by-upload");
        assertThat(get("/api/chat/sessions?include_empty=true").body()).contains("made-by-upload");
    }

    @Test
    void sessionIdMayFollowTheFileAndTheFileStillLandsInTheSessionFolder() throws Exception {
        HttpResponse<String> r = Uploads.form().file("late.txt", "text/plain", "late".getBytes(StandardCharsets.UTF_8))
                .field("session_id", "late-field").send(APP.getLocalPort());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String id = JSON.readTree(r.body()).get("attachment").get("id").asText();
        assertThat(DIR.resolve("uploads/late-field/" + id + "__late.txt")).exists();
        try (Stream<Path> root = Files.list(DIR.resolve("uploads"))) {
            assertThat(root.filter(Files::isRegularFile)).isEmpty();
        }
    }

    static Stream<Arguments> refusedUploads() {
        byte[] png = SampleFiles.png(2000);
        byte[] nulText = "abc\0def".getBytes(StandardCharsets.ISO_8859_1);
        byte[] badUtf8 = {'o', 'k', (byte) 0xC3, (byte) 0x28, 'x'};
        return Stream.of(
                Arguments.of("png declared as jpeg", Uploads.form().field("session_id", "bad").file("a.jpg", "image/jpeg", png),
                        415, "Declared type image/jpeg does not match the file content (image/png)"),
                Arguments.of("jpeg bytes declared as text", Uploads.form().field("session_id", "bad")
                        .file("a.txt", "text/plain", SampleFiles.jpeg(500)), 415, "does not match the file content (image/jpeg)"),
                Arguments.of("type outside the list", Uploads.form().field("session_id", "bad")
                        .file("a.zip", "application/zip", "PK\u0003\u0004xxxx".getBytes(StandardCharsets.ISO_8859_1)),
                        415, "Unsupported attachment type: application/zip"),
                Arguments.of("text with NUL", Uploads.form().field("session_id", "bad").file("a.txt", "text/plain", nulText),
                        415, "Unsupported attachment type: text/plain"),
                Arguments.of("invalid UTF-8 without a type", Uploads.form().field("session_id", "bad").file("a.bin", null, badUtf8),
                        415, "Unsupported attachment type: unknown"),
                Arguments.of("empty file", Uploads.form().field("session_id", "bad").file("e.txt", "text/plain", new byte[0]),
                        400, "Uploaded file was empty"),
                Arguments.of("missing file part", Uploads.form().field("session_id", "bad"), 422, "file"),
                Arguments.of("missing session_id", Uploads.form().file("a.png", "image/png", png), 422, "session_id"),
                Arguments.of("session id with a slash", Uploads.form().field("session_id", "a/b").file("a.png", "image/png", png),
                        422, "session_id"),
                Arguments.of("session id ..", Uploads.form().field("session_id", "..").file("a.png", "image/png", png),
                        422, "session_id"),
                Arguments.of("session id with NUL", Uploads.form().field("session_id", "a\0b").file("a.png", "image/png", png),
                        422, "session_id"),
                Arguments.of("session id of 65 chars", Uploads.form().field("session_id", "s".repeat(65))
                        .file("a.png", "image/png", png), 422, "session_id"),
                Arguments.of("session id after the file, invalid", Uploads.form().file("a.png", "image/png", png)
                        .field("session_id", "../../etc"), 422, "session_id"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedUploads")
    void refusesBadInputAndLeavesNothingBehind(String name, Uploads form, int status, String detail) throws Exception {
        long rowsBefore = attachmentRows();
        HttpResponse<String> r = form.send(APP.getLocalPort());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.body()).contains("\"detail\"").contains(detail);
        assertThat(attachmentRows()).isEqualTo(rowsBefore);
        assertThat(filesUnder(DIR.resolve("uploads"))).allMatch(p -> !p.getFileName().toString().endsWith(".part"));
        assertThat(DIR.resolve("uploads/bad")).satisfiesAnyOf(
                p -> assertThat(p).doesNotExist(),
                p -> assertThat(filesUnder(p)).isEmpty());
    }

    @Test
    void refusesBodiesThatAreNotMultipartOrMalformed() throws Exception {
        HttpResponse<String> json = HTTP.send(HttpRequest.newBuilder(uri("/api/uploads"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(json.statusCode()).isEqualTo(415);
        HttpResponse<String> truncated = HTTP.send(HttpRequest.newBuilder(uri("/api/uploads"))
                .header("Content-Type", "multipart/form-data; boundary=" + Uploads.BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofString("--" + Uploads.BOUNDARY + "\r\nContent-Disposition: form-data; "
                        + "name=\"session_id\"\r\n\r\nfine\r\n--" + Uploads.BOUNDARY + "\r\nContent-Disposition: form-data; "
                        + "name=\"file\"; filename=\"a.txt\"\r\n\r\nno closing boundary")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(truncated.statusCode()).isEqualTo(400);
        assertThat(truncated.body()).contains("Malformed multipart body");
        assertThat(filesUnder(DIR.resolve("uploads/fine"))).isEmpty();
    }

    @Test
    void hostileFilenamesAreDisplayOnlyAndNeverShapeThePath() throws Exception {
        String longUnicode = "é".repeat(300) + "漢字🎉.txt";
        for (String filename : List.of("../../../etc/passwd.txt", "..\\..\\boot.ini", "a\u0001b\u001bc\u007f.txt",
                "tab\there.txt", longUnicode, "\"quoted\";.txt")) {
            HttpResponse<String> r = Uploads.form().field("session_id", "names").file(filename, "text/plain",
                    "body".getBytes(StandardCharsets.UTF_8)).send(APP.getLocalPort());
            assertThat(r.statusCode()).as(filename + " → " + r.body()).isEqualTo(201);
            JsonNode a = JSON.readTree(r.body()).get("attachment");
            String stored = (String) DB.query("SELECT storage_path FROM attachments WHERE id = ?", a.get("id").asText())
                    .get(0).get("storage_path");
            assertThat(stored).matches("names/[0-9a-f]{32}(__[a-z0-9-]{1,60})?\\.txt");
            String shown = a.get("metadata").get("filename").asText();
            assertThat(shown).doesNotContain("/", "\\", "\r", "\n", "\u0001", "\u001b");
            assertThat(shown.codePointCount(0, shown.length())).isLessThanOrEqualTo(255);
            HttpResponse<String> content = get("/api/uploads/" + a.get("id").asText() + "/content");
            String disposition = content.headers().firstValue("Content-Disposition").orElseThrow();
            assertThat(disposition).matches("inline; filename=\"[ -~&&[^\"\\\\]]*\"; filename\\*=UTF-8''[A-Za-z0-9!#$&+.^_`|~%-]*");
        }
        assertThat(filesUnder(DIR.resolve("uploads"))).allMatch(p -> p.startsWith(DIR.resolve("uploads/names"))
                || !p.getFileName().toString().contains("passwd"));
    }

    @Test
    void metadataContentAndDeleteAnswerUnknownAndExpiredAttachments() throws Exception {
        assertThat(get("/api/uploads/" + "0".repeat(32)).statusCode()).isEqualTo(404);
        assertThat(get("/api/uploads/not-an-id/content").statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/api/uploads/" + "0".repeat(32)).statusCode()).isEqualTo(404);

        String id = upload("expiring", "old.txt", "text");
        DB.update("UPDATE attachments SET expires_at = '2001-01-01T00:00:00.000Z' WHERE id = ?", id);
        HttpResponse<String> meta = get("/api/uploads/" + id);
        assertThat(meta.statusCode()).isEqualTo(410);
        assertThat(meta.body()).isEqualTo("{\"detail\":\"Attachment expired\"}");
        assertThat(get("/api/uploads/" + id + "/content").statusCode()).isEqualTo(410);

        String other = upload("deleting", "gone.txt", "bye");
        Path file = DIR.resolve("uploads").resolve((String) DB.query("SELECT storage_path FROM attachments WHERE id = ?", other)
                .get(0).get("storage_path"));
        assertThat(file).exists();
        assertThat(send("DELETE", "/api/uploads/" + other).statusCode()).isEqualTo(204);
        assertThat(file).doesNotExist();
        assertThat(get("/api/uploads/" + other).statusCode()).isEqualTo(404);
        assertThat(get("/api/uploads/" + other + "/content").statusCode()).isEqualTo(404);
    }

    @Test
    void downloadingExtendsRetentionAndAnEtagAllowsRevalidation() throws Exception {
        String id = upload("touching", "t.txt", "touch me");
        DB.update("UPDATE attachments SET last_used_at = '2020-01-01T00:00:00.000Z', expires_at = '2099-01-01T00:00:00.000Z'"
                + " WHERE id = ?", id);
        HttpResponse<String> first = get("/api/uploads/" + id + "/content");
        var row = DB.query("SELECT last_used_at, expires_at FROM attachments WHERE id = ?", id).get(0);
        assertThat((String) row.get("last_used_at")).startsWith(java.time.Year.now().toString());
        assertThat(row.get("expires_at")).isEqualTo("2099-01-01T00:00:00.000Z"); // max(), never shortened
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = HTTP.send(HttpRequest.newBuilder(uri("/api/uploads/" + id + "/content"))
                .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(304);
    }

    @Test
    void deletingTheSessionDeletesItsFilesAndRows() throws Exception {
        String id = upload("doomed", "d.txt", "doomed");
        assertThat(DIR.resolve("uploads/doomed")).isDirectory();
        assertThat(send("DELETE", "/api/chat/session/doomed").statusCode()).isEqualTo(204);
        assertThat(DIR.resolve("uploads/doomed")).doesNotExist();
        assertThat(DB.query("SELECT id FROM attachments WHERE id = ?", id)).isEmpty();
    }

    static String upload(String session, String filename, String text) throws Exception {
        HttpResponse<String> r = Uploads.form().field("session_id", session)
                .file(filename, "text/plain", text.getBytes(StandardCharsets.UTF_8)).send(APP.getLocalPort());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).get("attachment").get("id").asText();
    }

    static long attachmentRows() {
        return ((Number) DB.query("SELECT COUNT(*) AS n FROM attachments").get(0).get("n")).longValue();
    }

    static List<Path> filesUnder(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    static URI uri(String path) {
        return URI.create("http://localhost:" + APP.getLocalPort() + path);
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> send(String method, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
