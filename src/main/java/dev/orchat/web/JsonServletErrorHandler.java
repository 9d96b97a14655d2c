package dev.orchat.web;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The application context's error handler: {@code sendError} from a filter or servlet, and the servlet layer's
 * own refusals (ambiguous paths, unknown methods), answered in the API's JSON error shape (docs/api.md §1.2).
 */
public class JsonServletErrorHandler extends org.eclipse.jetty.ee10.servlet.ErrorHandler {
    public JsonServletErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
    }

    @Override
    public boolean errorPageForMethod(String method) {
        return true;
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
}
