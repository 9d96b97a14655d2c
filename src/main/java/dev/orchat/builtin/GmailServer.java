package dev.orchat.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.googleauth.GoogleApi;
import dev.orchat.mcp.ToolRegistry.ToolContext;
import dev.orchat.upload.PdfText;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The {@code gmail} built-in (docs/operations.md, "MCP servers") over the Gmail REST API v1. */
public final class GmailServer extends GoogleToolServer {
    public static final String DEFAULT_ID = "custom-gmail";
    static final String READ = "https://www.googleapis.com/auth/gmail.readonly";
    static final String MODIFY = "https://www.googleapis.com/auth/gmail.modify";
    static final String COMPOSE = "https://www.googleapis.com/auth/gmail.compose";
    static final String SEND = "https://www.googleapis.com/auth/gmail.send";
    private static final List<String> FORMATS = List.of("plain", "html");
    /**
     * A partial response of {@code format=full}: headers and the part tree with filenames, but no body data, so a
     * search learns attachment names without downloading messages ({@code format=metadata} omits the parts).
     */
    static final String SEARCH_FIELDS = "id,threadId,snippet,internalDate,labelIds,payload(mimeType,filename,headers,"
            + "parts(mimeType,filename,body/size,parts(mimeType,filename,body/size,parts(mimeType,filename,body/size))))";

    private final long maxAttachmentBytes;
    private final int pdfMaxPages;
    private final ExecutorService metadata;
    private final List<GoogleTool> catalogue;

    public GmailServer(String id, GoogleApi api, Clock clock, long maxAttachmentBytes, int pdfMaxPages) {
        super(id, "gmail", api, clock);
        this.maxAttachmentBytes = maxAttachmentBytes;
        this.pdfMaxPages = pdfMaxPages;
        // Search fetches each hit's metadata in parallel (docs/operations.md, "MCP servers"); a small pool bounds the fan-out per server.
        this.metadata = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "gmail-metadata");
            t.setDaemon(true);
            return t;
        });
        Set<String> read = Set.of(READ, MODIFY);
        this.catalogue = List.of(
                new GoogleTool(new ToolSpec("search_gmail_messages",
                        "Search Gmail with Gmail search syntax (default in:inbox lists recent inbox messages).",
                        Schemas.object().string("query", "Gmail search query, e.g. from:alice has:attachment newer_than:7d.")
                                .integer("page_size", "Messages per page.", 1, 50, 10)
                                .string("page_token", "next_page_token from a previous search.").build()),
                        read, Access.READ, this::search),
                new GoogleTool(new ToolSpec("get_gmail_message_content",
                        "Read one Gmail message: headers, labels, body text and attachment list.",
                        Schemas.object().string("message_id", "Gmail message id.")
                                .integer("max_chars", "Maximum characters of body text.", 1, 200_000, 20_000)
                                .required("message_id").build()),
                        read, Access.READ, this::message),
                new GoogleTool(new ToolSpec("get_gmail_thread_content",
                        "Read a Gmail conversation thread: subject and each message's sender, date and body.",
                        Schemas.object().string("thread_id", "Gmail thread id.")
                                .integer("max_messages", "Maximum messages to show.", 1, 50, 20)
                                .required("thread_id").build()),
                        read, Access.READ, this::thread),
                new GoogleTool(new ToolSpec("read_gmail_attachment_text",
                        "Extract the text of an attachment of a Gmail message (PDF or text files).",
                        Schemas.object().string("message_id", "Gmail message id.")
                                .string("attachment_id", "Attachment id from get_gmail_message_content (optional).")
                                .string("filename_contains", "Prefer an attachment whose filename contains this.")
                                .string("prefer_mime", "Prefer this MIME type (default application/pdf).")
                                .integer("max_chars", "Maximum characters of text.", 1, 200_000, 20_000)
                                .required("message_id").build()),
                        read, Access.READ, this::attachmentText),
                new GoogleTool(new ToolSpec("list_gmail_labels", "List Gmail system and user labels with their ids.",
                        Schemas.object().build()), read, Access.READ, (a, c) -> labels()),
                new GoogleTool(new ToolSpec("draft_gmail_message", "Create a Gmail draft (not sent).",
                        composeSchema().required("subject", "body").build()),
                        Set.of(COMPOSE, MODIFY), Access.WRITE, this::draft),
                new GoogleTool(new ToolSpec("send_gmail_message", "Send an e-mail from the connected Gmail account.",
                        composeSchema().required("to", "subject", "body").build()),
                        Set.of(SEND), Access.SEND, this::send),
                new GoogleTool(new ToolSpec("modify_gmail_message_labels", "Add or remove labels on one Gmail message.",
                        Schemas.object().string("message_id", "Gmail message id.")
                                .stringArray("add_label_ids", "Label ids to add.")
                                .stringArray("remove_label_ids", "Label ids to remove.")
                                .required("message_id").build()),
                        Set.of(MODIFY), Access.WRITE, this::modifyLabels));
    }

    private static Schemas composeSchema() {
        return Schemas.object().stringArray("to", "Recipient addresses.").string("subject", "Subject line.")
                .string("body", "Message body.").stringArray("cc", "Cc addresses.").stringArray("bcc", "Bcc addresses.")
                .stringEnum("body_format", "plain or html (default plain).", FORMATS)
                .string("thread_id", "Thread to add the message to.")
                .string("in_reply_to", "Message-ID header of the message being answered.")
                .string("references", "References header for threading.");
    }

    @Override
    List<GoogleTool> catalogue() {
        return catalogue;
    }

    @Override
    List<String> readScopes() {
        return List.of(READ, MODIFY);
    }

    @Override
    List<String> writeScopes() {
        return List.of(COMPOSE, MODIFY, SEND);
    }

    @Override
    public void close() {
        super.close();
        metadata.shutdownNow();
    }

    private URI gmail(String path, Map<String, ?> query) {
        return GoogleApi.url(api.connection().config().gmailBase(), "/users/me" + path, query);
    }

    private String search(ObjectNode args, ToolContext ctx) throws GoogleApi.Failure, InterruptedException {
        String query = Args.optionalString(args, "query");
        query = query == null || query.isBlank() ? "in:inbox" : query.strip();
        int size = Args.optionalInt(args, "page_size", 10, 1, 50);
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("q", query);
        q.put("maxResults", size);
        q.put("pageToken", Args.optionalString(args, "page_token"));
        JsonNode list = api.getJson(gmail("/messages", q));
        List<Future<JsonNode>> pending = new ArrayList<>();
        for (JsonNode m : list.path("messages")) {
            String id = m.path("id").asText();
            pending.add(metadata.submit(() -> api.getJson(gmail("/messages/" + GoogleApi.segment(id),
                    Map.of("format", "full", "fields", SEARCH_FIELDS)))));
        }
        StringBuilder out = new StringBuilder();
        if (pending.isEmpty()) {
            out.append("No messages match \"").append(query).append("\".");
        }
        for (Future<JsonNode> f : pending) {
            JsonNode m = await(f);
            // One line per hit, whatever the headers and snippet contain.
            out.append(GmailMessages.localDate(m, ctx.timeZone())).append(" | From: ").append(oneLine(GmailMessages.header(m, "From")))
                    .append(" | Subject: ").append(oneLine(GmailMessages.header(m, "Subject")))
                    .append(" | ").append(oneLine(m.path("snippet").asText(""))).append(" | message_id: ").append(m.path("id").asText())
                    .append(" | thread_id: ").append(m.path("threadId").asText());
            List<String> names = GmailMessages.attachments(m).stream().map(GmailMessages.Attachment::filename).toList();
            if (!names.isEmpty()) {
                out.append(" | attachments: ").append(String.join(", ", names));
            }
            out.append(" | ").append(GmailMessages.webLink(m.path("id").asText())).append('\n');
        }
        if (list.hasNonNull("nextPageToken")) {
            out.append("next_page_token: ").append(list.get("nextPageToken").asText()).append('\n');
        }
        return out.toString().strip();
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    private static JsonNode await(Future<JsonNode> f) throws GoogleApi.Failure, InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GoogleApi.Failure failure) {
                throw failure;
            }
            throw new GoogleApi.Failure(500, "Reading message metadata failed");
        }
    }

    private JsonNode full(String messageId) throws GoogleApi.Failure, InterruptedException {
        return api.getJson(gmail("/messages/" + GoogleApi.segment(messageId), Map.of("format", "full")));
    }

    private String message(ObjectNode args, ToolContext ctx) throws GoogleApi.Failure, InterruptedException {
        JsonNode m = full(Args.requiredString(args, "message_id"));
        int max = Args.optionalInt(args, "max_chars", 20_000, 1, 200_000);
        StringBuilder out = new StringBuilder();
        for (String h : List.of("From", "To", "Cc", "Date", "Subject")) {
            String v = GmailMessages.header(m, h);
            if (!v.isEmpty()) {
                out.append(h).append(": ").append(v).append('\n');
            }
        }
        out.append("Local date: ").append(GmailMessages.localDate(m, ctx.timeZone())).append('\n');
        List<String> labels = new ArrayList<>();
        m.path("labelIds").forEach(l -> labels.add(l.asText()));
        out.append("Labels: ").append(String.join(", ", labels)).append('\n');
        out.append("message_id: ").append(m.path("id").asText()).append(" | thread_id: ").append(m.path("threadId").asText()).append("\n\n");
        out.append(GmailMessages.cut(GmailMessages.body(m), max)).append('\n');
        List<GmailMessages.Attachment> attachments = GmailMessages.attachments(m);
        if (!attachments.isEmpty()) {
            out.append("\nAttachments:\n");
            for (GmailMessages.Attachment a : attachments) {
                out.append("- ").append(a.filename()).append(" (").append(a.mimeType()).append(", ").append(a.size())
                        .append(" bytes) attachment_id: ").append(a.attachmentId()).append('\n');
            }
        }
        return out.toString().strip();
    }

    private String thread(ObjectNode args, ToolContext ctx) throws GoogleApi.Failure, InterruptedException {
        String id = Args.requiredString(args, "thread_id");
        int max = Args.optionalInt(args, "max_messages", 20, 1, 50);
        JsonNode t = api.getJson(gmail("/threads/" + GoogleApi.segment(id), Map.of("format", "full")));
        JsonNode messages = t.path("messages");
        StringBuilder out = new StringBuilder();
        out.append("Subject: ").append(messages.size() == 0 ? "" : GmailMessages.header(messages.get(0), "Subject")).append('\n');
        out.append("Messages: ").append(messages.size());
        if (messages.size() > max) {
            out.append(" (showing the first ").append(max).append(')');
        }
        out.append('\n');
        int i = 0;
        for (JsonNode m : messages) {
            if (i++ >= max) {
                break;
            }
            out.append("\n--- Message ").append(i).append(" ---\nFrom: ").append(GmailMessages.header(m, "From"))
                    .append("\nDate: ").append(GmailMessages.localDate(m, ctx.timeZone())).append("\n\n")
                    .append(GmailMessages.cut(GmailMessages.body(m), 5_000)).append('\n');
        }
        return out.toString().strip();
    }

    private String attachmentText(ObjectNode args, ToolContext ctx) throws GoogleApi.Failure, InterruptedException {
        String messageId = Args.requiredString(args, "message_id");
        String wanted = Args.optionalString(args, "attachment_id");
        String contains = Args.optionalString(args, "filename_contains");
        String prefer = Args.optionalString(args, "prefer_mime");
        prefer = prefer == null || prefer.isBlank() ? "application/pdf" : prefer.strip();
        int max = Args.optionalInt(args, "max_chars", 20_000, 1, 200_000);
        List<GmailMessages.Attachment> all = GmailMessages.attachments(full(messageId));
        if (all.isEmpty()) {
            return failure("The message has no attachments.");
        }
        GmailMessages.Attachment chosen = null;
        if (wanted != null && !wanted.isBlank()) {
            chosen = all.stream().filter(a -> wanted.equals(a.attachmentId())).findFirst().orElse(null);
            if (chosen == null) {
                return failure("No attachment with that attachment_id in the message.");
            }
        } else {
            int best = -1;
            for (GmailMessages.Attachment a : all) {
                int score = (contains != null && !contains.isBlank()
                        && a.filename().toLowerCase(Locale.ROOT).contains(contains.toLowerCase(Locale.ROOT)) ? 2 : 0)
                        + (prefer.equalsIgnoreCase(a.mimeType()) ? 1 : 0);
                if (score > best) { // strictly greater: ties keep message order
                    best = score;
                    chosen = a;
                }
            }
        }
        if (chosen.size() > maxAttachmentBytes) {
            return failure("The attachment is larger than the " + maxAttachmentBytes + "-byte limit.");
        }
        byte[] data;
        if (chosen.attachmentId() != null) {
            JsonNode body = api.getJson(gmail("/messages/" + GoogleApi.segment(messageId) + "/attachments/"
                    + GoogleApi.segment(chosen.attachmentId()), Map.of()));
            data = GmailMessages.bytes(body.path("data").asText(""));
        } else {
            data = GmailMessages.bytes(chosen.inlineData() == null ? "" : chosen.inlineData());
        }
        if (data.length > maxAttachmentBytes) {
            return failure("The attachment is larger than the " + maxAttachmentBytes + "-byte limit.");
        }
        String text;
        String mime = chosen.mimeType().toLowerCase(Locale.ROOT);
        if (mime.equals("application/pdf") || chosen.filename().toLowerCase(Locale.ROOT).endsWith(".pdf")) {
            try {
                text = PdfText.extract(data, pdfMaxPages).text();
            } catch (PdfText.Unreadable e) {
                return failure("The PDF attachment could not be read: " + e.getMessage() + ".");
            }
        } else if (mime.startsWith("text/") || mime.equals("application/json")) {
            text = new String(data, StandardCharsets.UTF_8);
        } else {
            return failure("Attachment type " + chosen.mimeType() + " is not readable as text.");
        }
        return "Attachment: " + chosen.filename() + "\nMIME type: " + chosen.mimeType() + "\nSize: " + data.length
                + " bytes\n\n" + PdfText.limit(text, max);
    }

    /** An expected failure inside a handler is an error result; the base class turns this into one. */
    private static String failure(String sentence) {
        throw new Args.Invalid(sentence);
    }

    private String labels() throws GoogleApi.Failure, InterruptedException {
        JsonNode labels = api.getJson(gmail("/labels", Map.of())).path("labels");
        StringBuilder system = new StringBuilder("System labels:\n");
        StringBuilder user = new StringBuilder("User labels:\n");
        for (JsonNode l : labels) {
            StringBuilder target = "system".equals(l.path("type").asText()) ? system : user;
            target.append("- ").append(l.path("name").asText()).append(" (id: ").append(l.path("id").asText()).append(")\n");
        }
        return (system + "\n" + user).strip();
    }

    private String draft(ObjectNode args, ToolContext ctx) throws GoogleApi.Failure, InterruptedException {
        GmailCompose.Message msg = GmailCompose.fromArgs(args, false);
        ObjectNode body = api.mapper().createObjectNode();
        ObjectNode message = body.putObject("message").put("raw", msg.raw());
        if (msg.threadId() != null) {
            message.put("threadId", msg.threadId());
        }
        try {
            JsonNode draft = api.sendJson("POST", gmail("/drafts", Map.of()), body);
            audit("draft_gmail_message", ctx, draft.path("id").asText(), "ok");
            return "Draft created. draft_id: " + draft.path("id").asText() + " | message_id: "
                    + draft.path("message").path("id").asText();
        } catch (GoogleApi.Failure e) {
            audit("draft_gmail_message", ctx, msg.threadId(), "error " + e.status());
            throw e;
        }
    }

    private String send(ObjectNode args, ToolContext ctx) throws GoogleApi.Failure, InterruptedException {
        GmailCompose.Message msg = GmailCompose.fromArgs(args, true);
        ObjectNode body = api.mapper().createObjectNode().put("raw", msg.raw());
        if (msg.threadId() != null) {
            body.put("threadId", msg.threadId());
        }
        try {
            JsonNode sent = api.sendJson("POST", gmail("/messages/send", Map.of()), body);
            audit("send_gmail_message", ctx, sent.path("id").asText(), "ok");
            return "Message sent. message_id: " + sent.path("id").asText() + " | thread_id: " + sent.path("threadId").asText();
        } catch (GoogleApi.Failure e) {
            audit("send_gmail_message", ctx, msg.threadId(), "error " + e.status());
            throw e;
        }
    }

    private String modifyLabels(ObjectNode args, ToolContext ctx) throws GoogleApi.Failure, InterruptedException {
        String id = Args.requiredString(args, "message_id");
        List<String> add = Args.optionalStringList(args, "add_label_ids");
        List<String> remove = Args.optionalStringList(args, "remove_label_ids");
        if (add.isEmpty() && remove.isEmpty()) {
            return failure("Give add_label_ids or remove_label_ids (at least one label).");
        }
        ObjectNode body = api.mapper().createObjectNode();
        add.forEach(body.putArray("addLabelIds")::add);
        remove.forEach(body.putArray("removeLabelIds")::add);
        try {
            JsonNode m = api.sendJson("POST", gmail("/messages/" + GoogleApi.segment(id) + "/modify", Map.of()), body);
            audit("modify_gmail_message_labels", ctx, id, "ok");
            List<String> now = new ArrayList<>();
            m.path("labelIds").forEach(l -> now.add(l.asText()));
            return "Labels updated for message " + id + ". Current labels: " + String.join(", ", now);
        } catch (GoogleApi.Failure e) {
            audit("modify_gmail_message_labels", ctx, id, "error " + e.status());
            throw e;
        }
    }
}
