package dev.orchat.openai;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/**
 * Gives every error under {@code /v1} OpenAI's shape (docs/api.md, "OpenAI-compatible API"), whichever mapper or
 * filter produced it (authentication, body limits, admission, unknown routes); {@code /api} keeps
 * {@code {"detail": ...}}.
 */
public final class OpenAiErrorFilter implements ContainerResponseFilter {
    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() < 400 || !isV1(request.getUriInfo().getPath())) {
            return;
        }
        Map<?, ?> entity = OpenAiErrors.entityMap(response.getEntity());
        if (entity != null && entity.containsKey("detail") && !entity.containsKey("error")) {
            String[] messageAndParam = OpenAiErrors.fromDetail(entity.get("detail"));
            response.setEntity(OpenAiErrors.json(OpenAiErrors.body(response.getStatus(), messageAndParam[0],
                    messageAndParam[1])), response.getEntityAnnotations(), MediaType.APPLICATION_JSON_TYPE);
        }
    }

    static boolean isV1(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.equals("v1") || p.startsWith("v1/");
    }
}
