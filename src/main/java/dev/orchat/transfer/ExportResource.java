package dev.orchat.transfer;

import dev.orchat.conversation.SessionIds;
import dev.orchat.web.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.List;

/**
 * {@code GET /api/chat/session/{id}/export} (docs/api.md "Export"). Its own root path, more specific than the
 * history routes' {@code /api/chat}, so Jersey picks it for exactly this route.
 */
@Path("/api/chat/session/{sessionId}/export")
public final class ExportResource {
    private final SessionExporter exporter;

    ExportResource(SessionExporter exporter) {
        this.exporter = exporter;
    }

    @GET
    public Response export(@PathParam("sessionId") String sessionId, @QueryParam("format") String formatParam,
                           @QueryParam("include_files") String includeFilesParam) {
        String format = format(formatParam);
        boolean includeFiles = bool("include_files", includeFilesParam);
        if (includeFiles && format.equals("md")) {
            throw ApiException.invalid(List.of("query", "include_files"), "Files are exported with format=json only",
                    "value_error");
        }
        if (!SessionIds.isValid(sessionId)) {
            throw ApiException.notFound("Session not found");
        }
        SessionRows rows = exporter.require(sessionId);
        if (includeFiles) {
            StreamingOutput zip = out -> exporter.writeZip(List.of(sessionId), false, true, out);
            return download(zip, "application/zip", sessionId + ".zip");
        }
        if (format.equals("md")) {
            return download(out -> exporter.writeMarkdown(rows, out), "text/markdown; charset=utf-8", sessionId + ".md");
        }
        return download(out -> exporter.writeJson(rows, out), "application/json", sessionId + ".json");
    }

    static Response download(StreamingOutput body, String type, String filename) {
        return Response.ok(body, type)
                .header("Content-Disposition", "attachment; filename=\"" + filename + "\"")
                .header("Cache-Control", "no-store")
                .build();
    }

    static String format(String raw) {
        String format = raw == null ? "json" : raw.strip().toLowerCase(java.util.Locale.ROOT);
        if (!format.equals("json") && !format.equals("md")) {
            throw ApiException.invalid(List.of("query", "format"), "Input should be 'md' or 'json'", "enum");
        }
        return format;
    }

    static boolean bool(String name, String raw) {
        if (raw == null) {
            return false;
        }
        return switch (raw.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw ApiException.invalid(List.of("query", name), "Input should be a valid boolean", "bool_parsing");
        };
    }
}
