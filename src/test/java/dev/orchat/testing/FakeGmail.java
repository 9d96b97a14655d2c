package dev.orchat.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Gmail v1 mailbox in Google's resource shapes: messages with nested MIME parts (base64url bodies, attachment
 * ids), threads, labels, drafts, send and modify. Search understands {@code in:inbox}, {@code from:},
 * {@code has:attachment} and plain words, newest first, paginated with opaque page tokens.
 */
public final class FakeGmail {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder();
    private final Map<String, ObjectNode> messages = new ConcurrentHashMap<>();
    private final Map<String, byte[]> attachments = new ConcurrentHashMap<>();
    private final Queue<ObjectNode> drafts = new ConcurrentLinkedQueue<>();
    private final Queue<ObjectNode> sent = new ConcurrentLinkedQueue<>();
    private final AtomicInteger ids = new AtomicInteger();

    FakeGmail() {
        byte[] pdf = SampleFiles.pdf("Quarterly revenue grew 12 percent.", "Outlook: stable.");
        attachments.put("att-pdf", pdf);
        attachments.put("att-notes", "Remember the budget meeting.".getBytes(StandardCharsets.UTF_8));
        ObjectNode alt = part("multipart/alternative", "", null, null, List.of(
                part("text/plain", "", "Please find the Q3 report attached.\nGrace", null, List.of()),
                part("text/html", "", "<p>Please find the <b>Q3 report</b> attached.</p>", null, List.of())));
        ObjectNode root = part("multipart/mixed", "", null, null, List.of(alt,
                part("text/plain", "notes.txt", null, "att-notes", List.of()),
                part("application/pdf", "q3-report.pdf", null, "att-pdf", List.of())));
        add("m-report", "t-report", "Grace Hopper <grace@example.com>", "Q3 report", "2026-11-20T14:30:00Z",
                List.of("INBOX", "UNREAD", "IMPORTANT"), root);
        add("m-reply", "t-report", "Ada Lovelace <ada@example.com>", "Re: Q3 report", "2026-11-20T16:05:00Z",
                List.of("SENT"), part("text/html", "",
                        "<html><head><style>p{color:red}</style></head><body><p>Thanks, <b>received</b> &amp; read.</p></body></html>",
                        null, List.of()));
        for (int i = 1; i <= 11; i++) {
            String n = String.format("%02d", i);
            add("m-" + n, "t-" + n, "Newsletter <news@example.org>", "Weekly digest " + n,
                    Instant.parse("2026-11-01T09:00:00Z").plusSeconds(3600L * i).toString(), List.of("INBOX"),
                    part("text/plain", "", "Digest number " + n, null, List.of()));
        }
    }

    private void add(String id, String thread, String from, String subject, String date, List<String> labels, ObjectNode payload) {
        ObjectNode m = JSON.createObjectNode().put("id", id).put("threadId", thread);
        labels.forEach(m.putArray("labelIds")::add);
        String snippet = snippetOf(payload).replaceAll("\\s+", " ");
        m.put("snippet", snippet.length() > 100 ? snippet.substring(0, 100) : snippet);
        m.put("historyId", "9" + ids.incrementAndGet());
        m.put("internalDate", Long.toString(Instant.parse(date).toEpochMilli()));
        m.put("sizeEstimate", 4096);
        ArrayNode headers = payload.putArray("headers");
        header(headers, "From", from);
        header(headers, "To", "Ada Lovelace <ada@example.com>");
        header(headers, "Subject", subject);
        header(headers, "Date", "Thu, 20 Nov 2026 14:30:00 +0000");
        header(headers, "Message-ID", "<" + id + "@mail.example.com>");
        m.set("payload", payload);
        messages.put(id, m);
    }

    private static void header(ArrayNode headers, String name, String value) {
        headers.addObject().put("name", name).put("value", value);
    }

    private ObjectNode part(String mime, String filename, String text, String attachmentId, List<ObjectNode> children) {
        ObjectNode p = JSON.createObjectNode().put("partId", Integer.toString(ids.incrementAndGet())).put("mimeType", mime)
                .put("filename", filename);
        ObjectNode body = p.putObject("body");
        if (attachmentId != null) {
            body.put("attachmentId", attachmentId).put("size", attachments.get(attachmentId).length);
        } else if (text != null) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            body.put("size", bytes.length).put("data", B64.encodeToString(bytes));
        } else {
            body.put("size", 0);
        }
        if (!children.isEmpty()) {
            ArrayNode parts = p.putArray("parts");
            children.forEach(parts::add);
        }
        return p;
    }

    private static String snippetOf(ObjectNode part) {
        if (part.path("body").has("data") && part.path("filename").asText().isEmpty()) {
            return new String(Base64.getUrlDecoder().decode(part.path("body").path("data").asText()), StandardCharsets.UTF_8)
                    .replaceAll("<[^>]+>", "").strip();
        }
        for (var child : part.path("parts")) {
            String s = snippetOf((ObjectNode) child);
            if (!s.isEmpty()) {
                return s;
            }
        }
        return "";
    }

    public List<ObjectNode> drafts() { return List.copyOf(drafts); }
    public List<ObjectNode> sent() { return List.copyOf(sent); }
    public ObjectNode message(String id) { return messages.get(id); }

    /** Decodes a {@code raw} field to the RFC 5322 text the service built. */
    public static String decodeRaw(String raw) {
        return new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8);
    }

    FakeGoogle.Answer answer(FakeGoogle.Request req, String path) {
        String[] seg = path.split("/");
        // seg[0] is empty: "/messages/x" → ["", "messages", "x"]
        if (req.method().equals("GET") && path.equals("/messages")) {
            return search(req.query());
        }
        if (req.method().equals("GET") && path.equals("/labels")) {
            ObjectNode out = JSON.createObjectNode();
            ArrayNode labels = out.putArray("labels");
            for (String system : List.of("INBOX", "SENT", "DRAFT", "UNREAD", "IMPORTANT", "TRASH")) {
                labels.addObject().put("id", system).put("name", system).put("type", "system");
            }
            labels.addObject().put("id", "Label_42").put("name", "Receipts").put("type", "user");
            return FakeGoogle.Answer.json(200, out);
        }
        if (seg.length == 3 && seg[1].equals("messages") && req.method().equals("GET")) {
            ObjectNode m = messages.get(seg[2]);
            return m == null ? FakeGoogle.Answer.error(404, "Requested entity was not found.")
                    : FakeGoogle.Answer.json(200, "metadata".equals(req.query().get("format")) ? metadata(m, req.query())
                    : req.query().containsKey("fields") ? withoutBodies(m) : m);
        }
        if (seg.length == 5 && seg[1].equals("messages") && seg[3].equals("attachments")) {
            byte[] data = messages.containsKey(seg[2]) ? attachments.get(seg[4]) : null;
            return data == null ? FakeGoogle.Answer.error(404, "Requested entity was not found.")
                    : FakeGoogle.Answer.json(200, Map.of("size", data.length, "data", B64.encodeToString(data)));
        }
        if (seg.length == 3 && seg[1].equals("threads")) {
            List<ObjectNode> in = messages.values().stream().filter(m -> m.path("threadId").asText().equals(seg[2]))
                    .sorted(Comparator.comparing(m -> m.path("internalDate").asLong())).toList();
            if (in.isEmpty()) {
                return FakeGoogle.Answer.error(404, "Requested entity was not found.");
            }
            ObjectNode t = JSON.createObjectNode().put("id", seg[2]).put("historyId", "1");
            in.forEach(t.putArray("messages")::add);
            return FakeGoogle.Answer.json(200, t);
        }
        if (req.method().equals("POST") && path.equals("/drafts")) {
            ObjectNode d = req.json();
            drafts.add(d);
            String mid = "m-draft-" + ids.incrementAndGet();
            return FakeGoogle.Answer.json(200, Map.of("id", "r-" + ids.incrementAndGet(), "message",
                    Map.of("id", mid, "threadId", d.path("message").path("threadId").asText(mid), "labelIds", List.of("DRAFT"))));
        }
        if (req.method().equals("POST") && path.equals("/messages/send")) {
            ObjectNode s = req.json();
            sent.add(s);
            String mid = "m-sent-" + ids.incrementAndGet();
            return FakeGoogle.Answer.json(200, Map.of("id", mid, "threadId", s.path("threadId").asText(mid), "labelIds", List.of("SENT")));
        }
        if (req.method().equals("POST") && seg.length == 4 && seg[1].equals("messages") && seg[3].equals("modify")) {
            ObjectNode m = messages.get(seg[2]);
            if (m == null) {
                return FakeGoogle.Answer.error(404, "Requested entity was not found.");
            }
            ObjectNode body = req.json();
            List<String> labels = new ArrayList<>();
            m.path("labelIds").forEach(l -> labels.add(l.asText()));
            body.path("removeLabelIds").forEach(l -> labels.remove(l.asText()));
            body.path("addLabelIds").forEach(l -> {
                if (!labels.contains(l.asText())) {
                    labels.add(l.asText());
                }
            });
            ArrayNode now = m.putArray("labelIds");
            labels.forEach(now::add);
            return FakeGoogle.Answer.json(200, Map.of("id", seg[2], "threadId", m.path("threadId").asText(), "labelIds", labels));
        }
        return FakeGoogle.Answer.error(404, "Not Found");
    }

    /**
     * A {@code fields} mask as the search uses it: the fake does not evaluate masks, it only drops what that mask
     * drops (body data and attachment ids), which is what the service relies on.
     */
    private static ObjectNode withoutBodies(ObjectNode full) {
        ObjectNode m = full.deepCopy();
        strip(m.path("payload"));
        return m;
    }

    private static void strip(com.fasterxml.jackson.databind.JsonNode part) {
        if (part.path("body").isObject()) {
            ((ObjectNode) part.get("body")).remove(List.of("data", "attachmentId"));
        }
        part.path("parts").forEach(FakeGmail::strip);
    }

    /** {@code format=metadata}: headers limited to metadataHeaders, no part tree. */
    private ObjectNode metadata(ObjectNode full, Map<String, String> query) {
        ObjectNode m = full.deepCopy();
        List<String> wanted = List.of(query.getOrDefault("metadataHeaders", "").toLowerCase(Locale.ROOT).split(","));
        ArrayNode kept = JSON.createArrayNode();
        full.path("payload").path("headers").forEach(h -> {
            if (wanted.contains(h.path("name").asText().toLowerCase(Locale.ROOT))) {
                kept.add(h);
            }
        });
        ObjectNode payload = m.putObject("payload").put("mimeType", full.path("payload").path("mimeType").asText());
        payload.set("headers", kept);
        return m;
    }

    private FakeGoogle.Answer search(Map<String, String> q) {
        String query = q.getOrDefault("q", "").toLowerCase(Locale.ROOT);
        List<ObjectNode> hits = new ArrayList<>();
        for (ObjectNode m : messages.values()) {
            if (matches(m, query)) {
                hits.add(m);
            }
        }
        hits.sort(Comparator.comparing((ObjectNode m) -> m.path("internalDate").asLong()).reversed());
        int size = Integer.parseInt(q.getOrDefault("maxResults", "100"));
        int offset = q.containsKey("pageToken") ? Integer.parseInt(q.get("pageToken").substring(4)) : 0;
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("messages");
        hits.stream().skip(offset).limit(size).forEach(m -> list.addObject().put("id", m.path("id").asText())
                .put("threadId", m.path("threadId").asText()));
        if (offset + size < hits.size()) {
            out.put("nextPageToken", "page" + (offset + size));
        }
        if (list.isEmpty()) {
            out.remove("messages");
        }
        out.put("resultSizeEstimate", hits.size());
        return FakeGoogle.Answer.json(200, out);
    }

    private static boolean matches(ObjectNode m, String query) {
        String all = m.toString().toLowerCase(Locale.ROOT);
        for (String term : query.split("\\s+")) {
            if (term.isEmpty()) {
                continue;
            }
            boolean ok;
            if (term.equals("in:inbox")) {
                ok = m.path("labelIds").toString().contains("\"INBOX\"");
            } else if (term.startsWith("from:")) {
                ok = headerValue(m, "From").toLowerCase(Locale.ROOT).contains(term.substring(5));
            } else if (term.equals("has:attachment")) {
                ok = all.contains("\"attachmentid\"");
            } else {
                ok = headerValue(m, "Subject").toLowerCase(Locale.ROOT).contains(term)
                        || m.path("snippet").asText().toLowerCase(Locale.ROOT).contains(term);
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String headerValue(ObjectNode m, String name) {
        for (var h : m.path("payload").path("headers")) {
            if (h.path("name").asText().equalsIgnoreCase(name)) {
                return h.path("value").asText();
            }
        }
        return "";
    }
}
