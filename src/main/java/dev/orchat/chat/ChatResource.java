package dev.orchat.chat;

import dev.orchat.conversation.ConversationStore;
import dev.orchat.conversation.SessionNotFoundException;
import dev.orchat.web.ClientDisconnects;
import dev.orchat.web.RequestIdFilter;
import jakarta.servlet.http.HttpServletRequest;
import dev.orchat.conversation.SessionIds;
import dev.orchat.web.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.QueryParam;
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

/** {@code POST /api/chat/stream} and the cancel route (docs/api.md). Thin: checks happen in {@link ChatService}. */
@Path("/api/chat")
public final class ChatResource {
    private final ChatService chat;
    private final ConversationStore store;
    private final TurnAnswers answers;

    ChatResource(ChatService chat, ConversationStore store, TurnAnswers answers) {
        this.chat = chat;
        this.store = store;
        this.answers = answers;
    }

    @POST
    @Path("/stream")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void stream(InputStream body, @Context SseEventSink sink, @Context Sse sse,
                       @Context ContainerRequestContext request, @Context HttpServletRequest servletRequest)
            throws IOException {
        byte[] bytes = body.readAllBytes();
        Object requestId = request.getProperty(RequestIdFilter.PROPERTY);
        chat.start(bytes, sink, sse, requestId == null ? null : requestId.toString(),
                onGone -> ClientDisconnects.watch(servletRequest, onGone));
    }

    /** Attach to a turn's events: replay after the last id the client has, then live (docs/api.md §3.6). */
    @GET
    @Path("/turns/{turnId}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void events(@PathParam("turnId") String turnId, @HeaderParam("Last-Event-ID") String lastEventId,
                       @QueryParam("after") String after, @Context SseEventSink sink, @Context Sse sse,
                       @Context HttpServletRequest servletRequest,
                       @HeaderParam("Authorization") String authorization) {
        int afterId = eventId(lastEventId != null && !lastEventId.isBlank() ? lastEventId : after);
        if (!SessionIds.isValid(turnId)) {
            throw ApiException.notFound("Turn not found");
        }
        if (!chat.attach(turnId, afterId, sink, sse, authorization, onGone -> ClientDisconnects.watch(servletRequest, onGone))) {
            if (store.turnExists(turnId)) {
                throw ApiException.gone("The turn's events are no longer kept; read the session's history");
            }
            throw ApiException.notFound("Turn not found");
        }
    }

    /** The person's decision about a waiting call (docs/api.md §3.7). */
    @POST
    @Path("/turns/{turnId}/approvals")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> approve(@PathParam("turnId") String turnId, com.fasterxml.jackson.databind.JsonNode body) {
        return answers.approve(turnId, body);
    }

    /** The person's answer to a server's request for input (docs/api.md §3.7). */
    @POST
    @Path("/turns/{turnId}/elicitations/{elicitationId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> answer(@PathParam("turnId") String turnId,
                                      @PathParam("elicitationId") String elicitationId,
                                      com.fasterxml.jackson.databind.JsonNode body) {
        return answers.answer(turnId, elicitationId, body);
    }

    private static int eventId(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            int id = Integer.parseInt(value.strip());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("Last-Event-ID and after must be a non-negative integer event id");
    }

    @POST
    @Path("/session/{sessionId}/cancel")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> cancel(@PathParam("sessionId") String sessionId) {
        if (!store.sessionExists(sessionId)) {
            throw new SessionNotFoundException();
        }
        return chat.cancel(sessionId);
    }
}
