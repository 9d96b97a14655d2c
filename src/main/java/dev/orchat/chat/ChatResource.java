package dev.orchat.chat;

import dev.orchat.conversation.SessionDao;
import dev.orchat.conversation.SessionIds;
import dev.orchat.web.ApiException;
import dev.orchat.web.RequestIdFilter;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** {@code POST /api/chat/stream} and the cancel route (SPEC §4). Thin: checks happen in {@link ChatService}. */
@Path("/api/chat")
public final class ChatResource {
    private final ChatService chat;
    private final Jdbi jdbi;

    public ChatResource(ChatService chat, Jdbi jdbi) {
        this.chat = chat;
        this.jdbi = jdbi;
    }

    @POST
    @Path("/stream")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void stream(InputStream body, @Context SseEventSink sink, @Context Sse sse,
                       @Context ContainerRequestContext request) throws IOException {
        byte[] bytes = body.readAllBytes();
        Object requestId = request.getProperty(RequestIdFilter.PROPERTY);
        chat.start(bytes, sink, sse, requestId == null ? null : requestId.toString());
    }

    @POST
    @Path("/session/{sessionId}/cancel")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> cancel(@PathParam("sessionId") String sessionId) {
        if (!SessionIds.isValid(sessionId)
                || jdbi.withExtension(SessionDao.class, dao -> dao.count(sessionId)) == 0) {
            throw ApiException.notFound("Session not found");
        }
        return chat.cancel(sessionId);
    }
}
