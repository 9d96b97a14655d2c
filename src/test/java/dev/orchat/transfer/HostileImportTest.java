package dev.orchat.transfer;

import org.junit.jupiter.api.Tag;
import static dev.orchat.transfer.TransferClient.JSON;
import static dev.orchat.transfer.TransferClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.Db;
import dev.orchat.testing.TestApp;
import dev.orchat.testing.Uploads;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Malformed and hostile import files: each is refused with a reason a person can act on, the service keeps
 * running, and no session is ever stored in part (docs/api.md "Import").
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class HostileImportTest {
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(null, DIR,
            TestApp.set("import.maxStringLength", "100000"),
            TestApp.set("import.maxItemSize", "1MiB"),
            TestApp.set("import.maxUploadSize", "8MiB"));
    static final Db DB = new Db(DIR.resolve("chat.db"));

    /** No session without its messages, no message without its session, no turn left over. */
    @AfterEach
    void nothingHalfImported() {
        assertThat(DB.query("SELECT s.id FROM sessions s WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.session_id = s.id)")).isEmpty();
        assertThat(DB.query("SELECT t.id FROM turns t WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.turn_id = t.id)")).isEmpty();
        assertThat(DB.query("SELECT id FROM turns WHERE status = 'running'")).isEmpty();
    }

    static JsonNode importOk(String name, byte[] data) throws Exception {
        return TransferClient.importOk(APP.getLocalPort(), name, data);
    }

    static String conversation(String id, String text) {
        ObjectNode c = ForeignExports.chatGptConversation(id, "t " + id, 1_700_000_000, "a");
        ForeignExports.chatGptNode(c, "r", null, null, null, 0);
        ForeignExports.chatGptNode(c, "u", "r", "user", "text", 1_700_000_001, text);
        ForeignExports.chatGptNode(c, "a", "u", "assistant", "text", 1_700_000_002, "ok");
        return c.toString();
    }

    @Test
    void deepNestingIsRefusedBeforeATreeIsBuilt() throws Exception {
        String deep = "[" + "{\"mapping\":".repeat(1) + "[".repeat(5000) + "]".repeat(5000) + "}]";
        JsonNode report = importOk("conversations.json", utf8(deep));
        assertThat(report.get("imported")).isEmpty();
        assertThat(report.get("failed").get(0).get("reason").asText()).contains("exceeds a limit").contains("nesting depth");
    }

    @Test
    void hugeStringsAndOversizedConversationsAreRefusedWhileTheOthersImport() throws Exception {
        String huge = conversation("huge-string", "x".repeat(150_000));
        StringBuilder many = new StringBuilder();
        ObjectNode big = ForeignExports.chatGptConversation("too-big", "big", 1_700_000_000, null);
        ForeignExports.chatGptNode(big, "r", null, null, null, 0);
        String parent = "r";
        for (int i = 0; i < 40; i++) {
            ForeignExports.chatGptNode(big, "n" + i, parent, i % 2 == 0 ? "user" : "assistant", "text", 1_700_000_000 + i, "y".repeat(50_000));
            parent = "n" + i;
        }
        many.append('[').append(conversation("small-1", "fine")).append(',').append(big).append(']');
        JsonNode report = importOk("conversations.json", utf8(many.toString()));
        assertThat(report.get("imported")).extracting(i -> i.get("session_id").asText()).containsExactly("chatgpt-small-1");
        assertThat(report.get("failed").get(0).get("reason").asText()).contains("larger than 1048576 bytes");
        assertThat(DB.query("SELECT id FROM sessions WHERE id = 'chatgpt-too-big'")).isEmpty();

        JsonNode strings = importOk("conversations.json", utf8("[" + huge + "]"));
        assertThat(strings.get("imported")).isEmpty();
        assertThat(strings.get("failed").get(0).get("reason").asText()).contains("exceeds a limit").contains("String value length");
    }

    @Test
    void truncatedJsonKeepsTheConversationsBeforeTheDamageAndReportsWhere() throws Exception {
        String file = "[" + conversation("before-damage", "intact") + "," + conversation("damaged", "cut").substring(0, 120);
        JsonNode report = importOk("conversations.json", utf8(file));
        assertThat(report.get("imported")).extracting(i -> i.get("session_id").asText()).containsExactly("chatgpt-before-damage");
        assertThat(report.get("failed").get(0).get("reason").asText()).startsWith("Malformed JSON");
        assertThat(DB.query("SELECT id FROM sessions WHERE id = 'chatgpt-damaged'")).isEmpty();
        assertThat(importOk("notes.json", utf8("just text")).get("failed").get(0).get("reason").asText()).startsWith("Malformed JSON");
        assertThat(importOk("other.json", utf8("[{\"hello\":1}]")).get("failed").get(0).get("reason").asText())
                .contains("Not a conversation in a known format");
        assertThat(importOk("empty.json", new byte[0]).get("failed").get(0).get("reason").asText()).isEqualTo("The file is empty");
    }

    @Test
    void aSessionThatViolatesTheSchemaLeavesNoRowBehind() throws Exception {
        ObjectNode doc = JSON.createObjectNode().put("format", "orchat-session").put("version", 1);
        doc.putObject("session").put("id", "broken").put("title", "Broken").put("created_at", "2026-01-01T00:00:00.000Z")
                .put("updated_at", "2026-01-01T00:00:00.000Z");
        doc.putArray("turns").addObject().put("id", "broken-turn").put("seq", 1).put("status", "complete")
                .put("started_at", "2026-01-01T00:00:00.000Z");
        doc.putArray("messages").addObject().put("id", 1).put("turn_id", "broken-turn").put("position", 1)
                .put("content", "no role").put("content_kind", "text").put("created_at", "2026-01-01T00:00:00.000Z");
        JsonNode report = importOk("broken.json", utf8(doc.toString()));
        assertThat(report.get("failed").get(0).get("reason").asText()).contains("Could not be stored").contains("messages.role");
        assertThat(DB.query("SELECT id FROM sessions WHERE id = 'broken'")).isEmpty();
        assertThat(DB.query("SELECT id FROM turns WHERE id = 'broken-turn'")).isEmpty();
        assertThat(DB.query("SELECT doc_id FROM search_docs WHERE session_id = 'broken'")).isEmpty();

        doc.put("version", 99);
        assertThat(importOk("future.json", utf8(doc.toString())).get("failed").get(0).get("reason").asText())
                .contains("Unsupported orchat export version 99");
    }

    @Test
    void pathTraversalEntriesAreRefusedAndNothingIsWrittenOutsideTheUploads() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("../../evil/conversations.json", utf8("[" + conversation("evil-1", "escape") + "]"));
        entries.put("/etc/conversations.json", utf8("[" + conversation("evil-2", "absolute") + "]"));
        entries.put("files/..\\..\\evil.png", utf8("x"));
        entries.put("C:/conversations.json", utf8("[" + conversation("evil-3", "drive") + "]"));
        entries.put("files/../../evil.png", utf8("x"));
        entries.put("conversations.json", utf8("[" + conversation("good-1", "fine") + "]"));
        JsonNode report = importOk("export.zip", TransferClient.zip(entries));
        assertThat(report.get("imported")).extracting(i -> i.get("session_id").asText()).containsExactly("chatgpt-good-1");
        assertThat(report.get("failed")).hasSize(5).allSatisfy(f -> assertThat(f.get("reason").asText()).startsWith("Unsafe entry name"));
        assertThat(DB.query("SELECT id FROM sessions WHERE id LIKE 'chatgpt-evil%'")).isEmpty();
        assertThat(Files.exists(DIR.getParent().resolve("evil"))).isFalse();
        assertThat(Files.exists(DIR.resolve("evil.png"))).isFalse();
    }

    @Test
    void aZipBombStopsTheArchiveWithoutInflatingIt() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("conversations.json"));
            zip.write(utf8("[" + conversation("bomb-first", "before the bomb") + ","));
            byte[] spaces = new byte[1 << 20];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 1024; i++) {
                zip.write(spaces); // 1 GiB of JSON whitespace, a few MB compressed
            }
            zip.write(utf8(conversation("bomb-after", "never reached") + "]"));
            zip.closeEntry();
        }
        assertThat(out.size()).isLessThan(8 << 20);
        JsonNode report = importOk("bomb.zip", out.toByteArray());
        assertThat(report.get("imported")).extracting(i -> i.get("session_id").asText()).containsExactly("chatgpt-bomb-first");
        assertThat(report.get("failed").get(0).get("reason").asText()).contains("inflates more than 100 times");
        assertThat(DB.query("SELECT id FROM sessions WHERE id = 'chatgpt-bomb-after'")).isEmpty();
    }

    @Test
    void anAttachmentWhoseBytesDoNotMatchItsHashFailsItsSession() throws Exception {
        ObjectNode doc = JSON.createObjectNode().put("format", "orchat-session").put("version", 1);
        String at = "2026-01-01T00:00:00.000Z";
        doc.putObject("session").put("id", "tampered").put("title", "T").put("created_at", at).put("updated_at", at);
        doc.putArray("turns").addObject().put("id", "tampered-turn").put("seq", 1).put("status", "complete").put("started_at", at);
        doc.putArray("messages").addObject().put("id", 7).put("turn_id", "tampered-turn").put("position", 1).put("role", "user")
                .put("content", "see file").put("content_kind", "text").put("created_at", at);
        doc.putArray("attachments").addObject().put("id", "att-tampered").put("mime_type", "image/png").put("size_bytes", 1)
                .put("sha256", "00".repeat(32)).put("created_at", at).put("last_used_at", at);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("files/att-tampered", utf8("not the file"));
        entries.put("sessions/tampered.json", utf8(doc.toString()));
        JsonNode report = importOk("tampered.zip", TransferClient.zip(entries));
        assertThat(report.get("failed").get(0).get("reason").asText()).contains("does not match its sha256");
        assertThat(DB.query("SELECT id FROM sessions WHERE id = 'tampered'")).isEmpty();
        Path folder = DIR.resolve("uploads").resolve("tampered");
        assertThat(!Files.isDirectory(folder) || Files.list(folder).findAny().isEmpty()).isTrue();
    }

    @Test
    void requestsOutsideTheBoundsAreClientErrors() throws Exception {
        var http = TransferClient.HTTP;
        HttpResponse<String> tooLarge = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort() + "/api/import"))
                .header("Content-Type", "multipart/form-data; boundary=" + Uploads.BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[9 << 20])).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(tooLarge.body()).get("detail").asText()).contains("exceeds");
        HttpResponse<String> notMultipart = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort() + "/api/import"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("[]")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(notMultipart.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(notMultipart.body()).get("detail").asText()).isNotBlank();
        HttpResponse<String> noFile = TransferClient.importFiles(APP.getLocalPort(), Uploads.form().field("note", "x"));
        assertThat(noFile.statusCode()).isEqualTo(422);
    }
}
