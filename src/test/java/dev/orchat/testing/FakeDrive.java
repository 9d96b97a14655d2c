package dev.orchat.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Drive v3 in Google's shapes: files.list with the query language subset the tools use (conjunctions of
 * {@code fullText/name contains}, {@code name =}, {@code 'id' in parents}, {@code mimeType =|!=},
 * {@code trashed =}; anything else is Google's 400 "Invalid Value"), corpora and shared drives, files.get with
 * {@code alt=media}, and files.export for Google documents. Lists are paged at most 3 files at a time.
 */
public final class FakeDrive {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CLAUSE = Pattern.compile(
            "(fullText contains|name contains|name =|mimeType =|mimeType !=|trashed =) '?((?:[^'\\\\]|\\\\.)*)'?|'((?:[^'\\\\]|\\\\.)*)' in parents");
    private final Map<String, ObjectNode> files = new LinkedHashMap<>();
    private final Map<String, byte[]> content = new LinkedHashMap<>();
    private final Map<String, String> exports = new LinkedHashMap<>();
    private final List<String> queries = new ArrayList<>();

    FakeDrive() {
        folder("f-reports", "Reports", "root", "2026-10-10T10:00:00.000Z");
        folder("f-reports-old", "Reports", "root", "2024-01-01T10:00:00.000Z");
        folder("f-2024", "2024", "f-reports", "2026-10-11T10:00:00.000Z");
        file("q3", "q3.txt", "text/plain", "f-2024", "2026-10-12T10:00:00.000Z", "Q3 numbers are in.".getBytes(StandardCharsets.UTF_8));
        google("doc-plan", "Project plan", "application/vnd.google-apps.document", "root", "2026-11-20T15:00:00.000Z",
                "Plan: ship the Google tools.");
        google("sheet-budget", "Budget", "application/vnd.google-apps.spreadsheet", "root", "2026-11-19T15:00:00.000Z",
                "item,amount\r\nrent,1000\r\n");
        google("slides-deck", "Deck", "application/vnd.google-apps.presentation", "root", "2026-11-18T15:00:00.000Z",
                "Slide 1: Hello");
        file("pdf-invoice", "invoice.pdf", "application/pdf", "root", "2026-11-17T15:00:00.000Z", SampleFiles.pdf("Invoice total 99 EUR"));
        file("txt-notes", "notes.txt", "text/plain", "root", "2026-11-16T15:00:00.000Z",
                "Shopping: milk, bread.".getBytes(StandardCharsets.UTF_8));
        file("docx-letter", "letter.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "root",
                "2026-11-15T15:00:00.000Z", docx("Dear Ada,", "Thank you & goodbye."));
        file("img-photo", "photo.png", "image/png", "root", "2026-11-14T15:00:00.000Z", SampleFiles.png(64));
        ObjectNode big = file("pdf-big", "huge.pdf", "application/pdf", "root", "2026-11-13T15:00:00.000Z", new byte[0]);
        big.put("size", Long.toString(30L * 1024 * 1024));
        file("old-trash", "trash plan.txt", "text/plain", "root", "2026-11-12T15:00:00.000Z", new byte[1]).put("trashed", true);
        ObjectNode roadmap = google("sd-roadmap", "Roadmap", "application/vnd.google-apps.document", "drive-1",
                "2026-11-21T15:00:00.000Z", "Roadmap: plan for 2027");
        roadmap.put("driveId", "drive-1");
        roadmap.remove("owners");
        ObjectNode shared = files.get("doc-plan");
        ArrayNode perms = shared.putArray("permissions");
        perms.addObject().put("type", "user").put("role", "owner").put("emailAddress", "ada@example.com");
        perms.addObject().put("type", "user").put("role", "writer").put("emailAddress", "grace@example.com");
        perms.addObject().put("type", "group").put("role", "reader").put("emailAddress", "team@example.com");
        perms.addObject().put("type", "anyone").put("role", "reader");
        shared.put("shared", true);
    }

    public List<String> queries() { return List.copyOf(queries); }

    private ObjectNode base(String id, String name, String mime, String parent, String modified) {
        ObjectNode f = JSON.createObjectNode().put("kind", "drive#file").put("id", id).put("name", name).put("mimeType", mime)
                .put("createdTime", "2026-01-05T08:00:00.000Z").put("modifiedTime", modified).put("trashed", false)
                .put("webViewLink", "https://drive.google.com/file/d/" + id + "/view");
        f.putArray("parents").add(parent);
        f.putArray("owners").addObject().put("displayName", "Ada Lovelace").put("emailAddress", "ada@example.com");
        files.put(id, f);
        return f;
    }

    private void folder(String id, String name, String parent, String modified) {
        base(id, name, "application/vnd.google-apps.folder", parent, modified);
    }

    private ObjectNode file(String id, String name, String mime, String parent, String modified, byte[] bytes) {
        content.put(id, bytes);
        return base(id, name, mime, parent, modified).put("size", Integer.toString(bytes.length));
    }

    private ObjectNode google(String id, String name, String mime, String parent, String modified, String text) {
        exports.put(id, text);
        return base(id, name, mime, parent, modified);
    }

    private static byte[] docx(String... paragraphs) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/"
                + "wordprocessingml/2006/main\"><w:body>");
        for (String p : paragraphs) {
            xml.append("<w:p><w:r><w:t>").append(p.replace("&", "&amp;")).append("</w:t></w:r></w:p>");
        }
        xml.append("</w:body></w:document>");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
            zip.write("<Types/>".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("word/document.xml"));
            zip.write(xml.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    FakeGoogle.Answer answer(FakeGoogle.Request req, String path) {
        String[] seg = path.split("/");
        if (path.equals("/files")) {
            return list(req.query());
        }
        ObjectNode f = seg.length >= 3 ? files.get(seg[2]) : null;
        if (f == null || seg.length > 4) {
            return FakeGoogle.Answer.error(404, "File not found: " + (seg.length >= 3 ? seg[2] : ""));
        }
        if (seg.length == 4 && seg[3].equals("export")) {
            String text = exports.get(seg[2]);
            return text == null ? FakeGoogle.Answer.error(403, "Export only supports Docs Editors files.")
                    : new FakeGoogle.Answer(200, text.getBytes(StandardCharsets.UTF_8), req.query().get("mimeType"));
        }
        if ("media".equals(req.query().get("alt"))) {
            byte[] bytes = content.get(seg[2]);
            return bytes == null ? FakeGoogle.Answer.error(403, "Only files with binary content can be downloaded.")
                    : new FakeGoogle.Answer(200, bytes, f.path("mimeType").asText());
        }
        return FakeGoogle.Answer.json(200, f);
    }

    private FakeGoogle.Answer list(Map<String, String> q) {
        String query = q.getOrDefault("q", "");
        synchronized (queries) {
            queries.add(query);
        }
        List<Matcher> clauses = new ArrayList<>();
        for (String part : query.split(" and ")) {
            Matcher m = CLAUSE.matcher(part.strip());
            if (!m.matches()) {
                return FakeGoogle.Answer.json(400, Map.of("error", Map.of("code", 400, "message", "Invalid Value",
                        "errors", List.of(Map.of("domain", "global", "reason", "invalid", "location", "q")))));
            }
            clauses.add(m);
        }
        String corpora = q.getOrDefault("corpora", "user");
        List<ObjectNode> hits = new ArrayList<>();
        for (ObjectNode f : files.values()) {
            String drive = f.path("driveId").asText(null);
            boolean inCorpus = switch (corpora) {
                case "drive" -> q.get("driveId").equals(drive);
                case "allDrives" -> true;
                default -> drive == null;
            };
            if (inCorpus && clauses.stream().allMatch(m -> matches(f, m))) {
                hits.add(f);
            }
        }
        hits.sort(Comparator.comparing((ObjectNode f) -> f.path("modifiedTime").asText()).reversed());
        int size = Math.min(3, Integer.parseInt(q.getOrDefault("pageSize", "100")));
        int offset = q.containsKey("pageToken") ? Integer.parseInt(q.get("pageToken").substring(1)) : 0;
        ObjectNode out = JSON.createObjectNode().put("kind", "drive#fileList").put("incompleteSearch", false);
        ArrayNode list = out.putArray("files");
        hits.stream().skip(offset).limit(size).forEach(list::add);
        if (offset + size < hits.size()) {
            out.put("nextPageToken", "d" + (offset + size));
        }
        return FakeGoogle.Answer.json(200, out);
    }

    private boolean matches(ObjectNode f, Matcher m) {
        if (m.group(3) != null) {
            return f.path("parents").toString().contains("\"" + unquote(m.group(3)) + "\"");
        }
        String value = unquote(m.group(2));
        String name = f.path("name").asText();
        return switch (m.group(1)) {
            case "fullText contains" -> contains(name, value) || contains(text(f), value);
            case "name contains" -> contains(name, value);
            case "name =" -> name.equals(value);
            case "mimeType =" -> f.path("mimeType").asText().equals(value);
            case "mimeType !=" -> !f.path("mimeType").asText().equals(value);
            default -> Boolean.toString(f.path("trashed").asBoolean()).equals(value);
        };
    }

    private String text(ObjectNode f) {
        String id = f.path("id").asText();
        if (exports.containsKey(id)) {
            return exports.get(id);
        }
        return f.path("mimeType").asText().startsWith("text/") ? new String(content.get(id), StandardCharsets.UTF_8) : "";
    }

    private static boolean contains(String haystack, String needle) {
        return haystack.toLowerCase(Locale.ROOT).contains(needle.toLowerCase(Locale.ROOT));
    }

    private static String unquote(String s) {
        return s.replace("\\'", "'").replace("\\\\", "\\");
    }
}
