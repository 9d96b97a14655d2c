package dev.orchat.transfer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** {@code GET /api/export}: every session as one streamed ZIP (docs/api.md "Export"). */
@Path("/api/export")
public final class ExportAllResource {
    private final SessionExporter exporter;

    ExportAllResource(SessionExporter exporter) {
        this.exporter = exporter;
    }

    @GET
    public Response exportAll(@QueryParam("format") String formatParam, @QueryParam("include_files") String includeFilesParam) {
        boolean markdown = ExportResource.format(formatParam).equals("md");
        boolean includeFiles = ExportResource.bool("include_files", includeFilesParam);
        List<String> ids = exporter.allSessionIds();
        return ExportResource.download(out -> exporter.writeZip(ids, markdown, includeFiles, out), "application/zip",
                "orchat-export.zip");
    }
}
