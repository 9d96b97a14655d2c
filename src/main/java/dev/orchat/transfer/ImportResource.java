package dev.orchat.transfer;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;

/** {@code POST /api/import} (docs/api.md "Import"): multipart upload of export files, answered with a report. */
@Path("/api/import")
@Produces(MediaType.APPLICATION_JSON)
public final class ImportResource {
    private final ImportService imports;

    ImportResource(ImportService imports) {
        this.imports = imports;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public ImportReport importFiles(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                                    @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength, InputStream body) {
        long length = -1;
        try {
            length = contentLength == null ? -1 : Long.parseLong(contentLength.strip());
        } catch (NumberFormatException e) {
            // unknown length: the stream limit still applies
        }
        return imports.run(body, contentType, length);
    }
}
