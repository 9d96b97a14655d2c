package dev.orchat.web;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The server-wide Jetty error handler: requests Jetty refuses before any context runs (bad percent-encoding,
 * ambiguous or suspicious paths, a URI or headers too long, a malformed {@code Host}) are answered with the API's
 * JSON error shape instead of Jetty's HTML page (docs/api.md §1.2), whatever the request's {@code Accept}.
 */
public class JsonErrorHandler extends org.eclipse.jetty.server.handler.ErrorHandler {
    public JsonErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
    }

    @Override
    public boolean errorPageForMethod(String method) {
        return true; // PUT, PATCH and DELETE get a body too (Jetty's default is GET, POST and HEAD only)
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) throws IOException {
        int status = JettyErrors.status(code);
        response.setStatus(status);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        // No Accept / Accept-Charset negotiation: Jetty's would send an empty body to "Accept-Charset: utf-7".
        if (!generateAcceptableResponse(request, response, callback, "application/json",
                List.of(StandardCharsets.UTF_8), status, message, cause)) {
            callback.succeeded();
        }
    }

    @Override
    protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
                                                 List<Charset> charsets, int code, String message, Throwable cause)
            throws IOException {
        return super.generateAcceptableResponse(request, response, callback, "application/json",
                List.of(StandardCharsets.UTF_8), code, message, cause);
    }

    @Override
    protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause) {
        writer.write(ErrorResponses.body(JettyErrors.detail(code, message)));
    }

    /** Requests so malformed that no {@link Request} exists: the parser's own answer, in the same shape. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        fields.put("X-Content-Type-Options", "nosniff");
        return ByteBuffer.wrap(ErrorResponses.body(JettyErrors.detail(status, reason)).getBytes(StandardCharsets.UTF_8));
    }
}
