package dev.orchat.upload;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.web.ApiException;
import dev.orchat.web.BearerTokens;
import dev.orchat.web.PublicUrls;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;

/** The upload routes of docs/api.md §2.21 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public final class UploadResource {
    private static final String ATTR_CHARS = "!#$&+-.^_`|~";
    private final AttachmentService attachments;
    private final AttachmentViews views;
    private final PublicUrls urls;
    private final BearerTokens tokens;
    private final UrlSigner signer;

    public UploadResource(AttachmentService attachments, AttachmentViews views, PublicUrls urls, BearerTokens tokens,
                          UrlSigner signer) {
        this.attachments = attachments;
        this.views = views;
        this.urls = urls;
        this.tokens = tokens;
        this.signer = signer;
    }

    @POST
    @Path("/uploads{slash: /?}")
    @Consumes(MediaType.WILDCARD)
    public Response upload(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                           @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength, InputStream body,
                           @Context UriInfo uri, @Context HttpHeaders headers) {
        long length = contentLength == null || !contentLength.strip().matches("\\d{1,18}") ? -1
                : Long.parseLong(contentLength.strip());
        AttachmentRow row = attachments.upload(contentType, length, body);
        return Response.created(URI.create("/api/uploads/" + row.id()))
                .entity(views.attachment(row, urls.base(uri, headers))).build();
    }

    @GET
    @Path("/uploads/{id}")
    public ObjectNode metadata(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers) {
        return views.attachment(attachments.get(id), urls.base(uri, headers));
    }

    @GET
    @Path("/uploads/{id}/content")
    @Produces(MediaType.WILDCARD)
    public Response content(@PathParam("id") String id, @QueryParam("exp") String exp, @QueryParam("sig") String sig,
                            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        // The security filter lets a request with a `sig` through without a token; this is where it is checked.
        if (tokens.isActive() && !tokens.accepts(authorization) && !signer.verify(id, exp, sig)) {
            throw new ApiException(401, "Not authenticated", Map.of("WWW-Authenticate", "Bearer"));
        }
        AttachmentRow row = attachments.get(id);
        java.nio.file.Path file = attachments.content(row);
        String etag = "\"" + row.sha256() + "\"";
        Response.ResponseBuilder response;
        if (etag.equals(ifNoneMatch)) {
            response = Response.notModified();
        } else {
            String type = AttachmentTypes.isText(row.mimeType()) ? row.mimeType() + "; charset=utf-8" : row.mimeType();
            response = Response.ok((StreamingOutput) out -> Files.copy(file, out), type)
                    .header(HttpHeaders.CONTENT_LENGTH, row.sizeBytes());
        }
        return response
                .header("ETag", etag)
                .header(HttpHeaders.CACHE_CONTROL, "private, max-age=0, must-revalidate")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'none'; sandbox")
                .header("Content-Disposition", contentDisposition(row.displayName()))
                .build();
    }

    @DELETE
    @Path("/uploads/{id}")
    public Response delete(@PathParam("id") String id) {
        attachments.delete(id);
        return Response.noContent().build();
    }

    static String contentDisposition(String name) {
        StringBuilder fallback = new StringBuilder();
        name.codePoints().filter(c -> c >= 0x20 && c < 0x7F && c != '"' && c != '\\').forEach(fallback::appendCodePoint);
        StringBuilder encoded = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || ATTR_CHARS.indexOf(c) >= 0) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(String.format("%02X", c));
            }
        }
        String ascii = fallback.toString().strip();
        return "inline; filename=\"" + (ascii.isEmpty() ? "attachment" : ascii) + "\"; filename*=UTF-8''" + encoded;
    }
}
