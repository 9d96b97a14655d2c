package dev.orchat.builtin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.mcp.ToolRegistry.ToolContext;
import dev.orchat.mcp.ToolRegistry.ToolResult;
import dev.orchat.mcp.ToolServer;
import dev.orchat.upload.AttachmentRow;
import dev.orchat.upload.AttachmentService;
import dev.orchat.upload.PdfText;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code pdf} built-in (docs/operations.md, "MCP servers"): text of the current session's PDF attachments. The model names a document
 * by attachment id or filename only; the session comes from the service and files are reached only through that
 * session's attachment rows, so no other session's upload and no other path can be read.
 */
public final class PdfServer implements ToolServer {
    public static final String DEFAULT_ID = "custom-pdf";
    public static final String LIST = "pdf_list_documents";
    public static final String EXTRACT = "pdf_extract_text";
    private static final int DEFAULT_CHARS = 20_000;

    private final String id;
    private final AttachmentService attachments;
    private final PdfText pdf;
    private final int maxPages;
    private final int maxChars;
    private final ObjectMapper mapper;
    private final List<ToolSpec> tools;

    public PdfServer(String id, AttachmentService attachments, PdfText pdf, int maxPages, int maxChars,
                     ObjectMapper mapper) {
        this.id = id;
        this.attachments = attachments;
        this.pdf = pdf;
        this.maxPages = maxPages;
        this.maxChars = maxChars;
        this.mapper = mapper;
        this.tools = List.of(
                new ToolSpec(LIST, "List the PDF documents attached to this conversation (id, filename, pages).",
                        Schemas.object().build()),
                new ToolSpec(EXTRACT, "Extract the text of a PDF attached to this conversation, optionally only some pages.",
                        Schemas.object()
                                .string("attachment_id", "Id of the PDF attachment (from pdf_list_documents).")
                                .string("filename", "Part of the PDF's filename, when no id is given.")
                                .string("pages", "Pages to extract, e.g. \"1-3,7\" (default: from the first page).")
                                .integer("max_chars", "Maximum characters of text to return.", 1, maxChars,
                                        Math.min(DEFAULT_CHARS, maxChars))
                                .build()));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<ToolSpec> tools() {
        return tools;
    }

    @Override
    public ToolResult call(String tool, ObjectNode arguments, ToolContext context) {
        try {
            return switch (tool) {
                case LIST -> list(context.sessionId());
                case EXTRACT -> extract(arguments, context.sessionId());
                default -> new ToolResult("Unknown tool: " + tool, true);
            };
        } catch (Args.Invalid e) {
            return new ToolResult(e.getMessage(), true);
        }
    }

    private ToolResult list(String sessionId) {
        ArrayNode documents = mapper.createArrayNode();
        for (AttachmentRow row : attachments.sessionPdfs(sessionId)) {
            ObjectNode d = documents.addObject();
            d.put("attachment_id", row.id());
            d.put("filename", row.displayName());
            if (row.pageCount() == null) {
                d.putNull("pages");
            } else {
                d.put("pages", row.pageCount());
            }
            d.put("size_bytes", row.sizeBytes());
            d.put("uploaded_at", row.createdAt());
        }
        ObjectNode out = mapper.createObjectNode();
        out.put("count", documents.size());
        out.set("documents", documents);
        return new ToolResult(out.toString(), false);
    }

    private ToolResult extract(ObjectNode arguments, String sessionId) throws Args.Invalid {
        String attachmentId = Args.optionalString(arguments, "attachment_id");
        String filename = Args.optionalString(arguments, "filename");
        String pages = Args.optionalString(arguments, "pages");
        int limit = Args.optionalInt(arguments, "max_chars", Math.min(DEFAULT_CHARS, maxChars), 1, maxChars);
        List<AttachmentRow> candidates = attachments.sessionPdfs(sessionId);
        Optional<AttachmentRow> chosen;
        if (attachmentId != null) {
            chosen = candidates.stream().filter(r -> r.id().equals(attachmentId.strip())).findFirst();
        } else if (filename != null) {
            String needle = filename.strip().toLowerCase(Locale.ROOT);
            List<AttachmentRow> matches = candidates.stream()
                    .filter(r -> r.displayName().toLowerCase(Locale.ROOT).contains(needle)).toList();
            if (matches.size() > 1) {
                return new ToolResult("Several PDFs match \"" + filename + "\"; give the attachment_id instead.", true);
            }
            chosen = matches.stream().findFirst();
        } else if (candidates.size() == 1) {
            chosen = Optional.of(candidates.get(0));
        } else {
            return new ToolResult(candidates.isEmpty() ? "No PDF is attached to this conversation."
                    : "Several PDFs are attached; give the attachment_id or filename.", true);
        }
        if (chosen.isEmpty()) {
            return new ToolResult("No PDF attached to this conversation matches that id or filename.", true);
        }
        AttachmentRow row = chosen.get();
        Optional<Path> file = attachments.file(row);
        if (file.isEmpty()) {
            return new ToolResult("The PDF " + row.displayName() + " is no longer available.", true);
        }
        List<int[]> ranges = pages == null ? List.of(new int[] {1, maxPages}) : ranges(pages);
        attachments.touch(List.of(row.id()));
        StringBuilder text = new StringBuilder();
        int pageCount = 0;
        List<String> shown = new ArrayList<>();
        int budget = maxPages;
        try {
            for (int[] range : ranges) {
                int to = Math.min(range[1], range[0] + budget - 1);
                if (to < range[0]) {
                    break;
                }
                PdfText.Extract extract = pdf.extract(file.get(), row.id(), range[0], to);
                pageCount = extract.pageCount();
                if (extract.first() > extract.last()) {
                    continue;
                }
                budget -= extract.last() - extract.first() + 1;
                shown.add(extract.first() == extract.last() ? Integer.toString(extract.first())
                        : extract.first() + "–" + extract.last());
                if (!text.isEmpty()) {
                    text.append("\n\n");
                }
                text.append(extract.text());
            }
        } catch (PdfText.Unreadable e) {
            return new ToolResult("The PDF " + row.displayName() + " could not be read: " + e.getMessage() + ".", true);
        }
        if (shown.isEmpty()) {
            return new ToolResult("The PDF " + row.displayName() + " has " + pageCount + " pages; none of the requested "
                    + "pages exist.", true);
        }
        String header = "PDF " + row.displayName() + " (attachment " + row.id() + ", " + pageCount + " pages); pages "
                + String.join(", ", shown) + ":\n";
        String body = text.toString().isBlank() ? "[no extractable text on these pages]" : PdfText.limit(text.toString(), limit);
        return new ToolResult(header + body, false);
    }

    /** {@code "1-3, 7"} → [[1,3],[7,7]]; anything else is a one-sentence error for the model. */
    static List<int[]> ranges(String spec) throws Args.Invalid {
        List<int[]> out = new ArrayList<>();
        for (String item : spec.split(",")) {
            String s = item.strip();
            if (s.isEmpty()) {
                continue;
            }
            if (!s.matches("\\d{1,6}(\\s*-\\s*\\d{1,6})?")) {
                throw new Args.Invalid("pages must look like \"1-3,7\".");
            }
            String[] bounds = s.split("-");
            int from = Integer.parseInt(bounds[0].strip());
            int to = bounds.length > 1 ? Integer.parseInt(bounds[1].strip()) : from;
            if (from < 1 || to < from) {
                throw new Args.Invalid("pages must be ranges of page numbers from 1, low to high.");
            }
            out.add(new int[] {from, to});
        }
        if (out.isEmpty()) {
            throw new Args.Invalid("pages must look like \"1-3,7\".");
        }
        return out;
    }
}
