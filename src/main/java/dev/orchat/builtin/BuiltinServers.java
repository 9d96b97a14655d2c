package dev.orchat.builtin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.conversation.MessageRow;
import dev.orchat.googleauth.GoogleApi;
import dev.orchat.mcp.ToolServer;
import dev.orchat.upload.AttachmentService;
import dev.orchat.upload.PdfText;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The built-in tool servers by name, as the MCP supervisor starts them (docs/configuration.md, "Built-in
 * servers"). The supervisor never imports this package: it receives this map.
 */
public final class BuiltinServers {
    private BuiltinServers() {
    }

    /** What the built-ins read: the session's history, its attachments, Google, and the size limits. */
    public record Sources(Function<String, List<MessageRow>> history, AttachmentService attachments, PdfText pdf,
                          GoogleApi google, Limits limits) {
    }

    public record Limits(int pdfMaxPages, int pdfMaxChars, long attachmentMaxBytes) {
    }

    public static Map<String, Function<String, ToolServer>> factories(Sources with, Clock clock, ObjectMapper mapper) {
        Limits limits = with.limits();
        return Map.of(
                "calculator", CalculatorServer::new,
                "housekeeping", id -> new HousekeepingServer(id, clock, with.history()::apply),
                "pdf", id -> new PdfServer(id, with.attachments(), with.pdf(), limits.pdfMaxPages(),
                        limits.pdfMaxChars(), mapper),
                "gmail", id -> new GmailServer(id, with.google(), clock, limits.attachmentMaxBytes(),
                        limits.pdfMaxPages()),
                "calendar", id -> new CalendarServer(id, with.google(), clock),
                "gdrive", id -> new DriveServer(id, with.google(), clock, limits.pdfMaxPages()));
    }
}
