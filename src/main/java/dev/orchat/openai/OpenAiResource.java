package dev.orchat.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.catalog.CatalogSnapshot;
import dev.orchat.catalog.ModelCatalog;
import dev.orchat.chat.ChatService;
import dev.orchat.chat.RunningTurn;
import dev.orchat.chat.TurnOutput;
import dev.orchat.conversation.ConversationStore;
import dev.orchat.conversation.HistoryService;
import dev.orchat.web.ClientDisconnects;
import dev.orchat.web.RequestIdFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAI-compatible API at {@code /v1} (docs/api.md, "OpenAI-compatible API"): the model catalogue in OpenAI's
 * list shape and chat completions run by the chat engine, with its MCP tool loop and, on request, a stored session.
 *
 * <p>A completion is answered asynchronously: the request thread returns once the turn is handed to the relay
 * executor, and the relay thread resumes the request with the answer (or, when streaming, with the stream at its
 * first chunk, then writes the chunks).
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public final class OpenAiResource {
    static final String SESSION_HEADER = "X-Orchat-Session";
    static final String TOOLS_HEADER = "X-Orchat-Tools";
    private static final Logger LOG = LoggerFactory.getLogger(OpenAiResource.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private final ChatService chat;
    private final ModelCatalog catalog;
    private final ConversationStore store;
    private final HistoryService history;
    private final ObjectMapper mapper;
    private final Clock clock;

    public OpenAiResource(ChatService chat, ModelCatalog catalog, ConversationStore store, HistoryService history,
                          ObjectMapper mapper, Clock clock) {
        this.chat = chat;
        this.catalog = catalog;
        this.store = store;
        this.history = history;
        this.mapper = mapper;
        this.clock = clock;
    }

    @GET
    @Path("/models")
    public ObjectNode models() {
        ObjectNode list = mapper.createObjectNode();
        list.put("object", "list");
        var data = list.putArray("data");
        models(catalog.current().snapshot()).forEach(m -> data.add(model(m)));
        return list;
    }

    @GET
    @Path("/models/{id: .+}")
    public Response model(@PathParam("id") String id) {
        return models(catalog.current().snapshot()).stream()
                .filter(m -> id.equals(m.path("id").asText()))
                .findFirst()
                .map(m -> Response.ok(model(m)).build())
                .orElseGet(() -> OpenAiErrors.response(404, "The model '" + id + "' does not exist", "model"));
    }

    @POST
    @Path("/chat/completions")
    @Produces({MediaType.APPLICATION_JSON, MediaType.SERVER_SENT_EVENTS})
    public void completions(InputStream body, @HeaderParam(SESSION_HEADER) String sessionHeader,
                            @HeaderParam(TOOLS_HEADER) String toolsHeader, @Context ContainerRequestContext request,
                            @Context HttpServletRequest servletRequest, @Suspended AsyncResponse async)
            throws IOException {
        CompletionRequest completion;
        try {
            completion = CompletionRequest.parse(mapper, body.readAllBytes(), sessionHeader, toolsHeader, newId());
        } catch (CompletionRequest.Invalid e) {
            async.resume(OpenAiErrors.response(400, e.getMessage(), e.param));
            return;
        }
        if (completion.session() == CompletionRequest.Session.EXISTING && !store.sessionExists(completion.sessionId())) {
            async.resume(OpenAiErrors.response(404, "Session " + completion.sessionId() + " not found",
                    SESSION_HEADER));
            return;
        }
        long created = clock.instant().getEpochSecond();
        String completionId = "chatcmpl-" + newId();
        CompletionTranslator translator = new CompletionTranslator(mapper, completionId, created, completion.model(),
                completion.options().clientTools() != null);
        String sessionHeaderOut = completion.session() == CompletionRequest.Session.NONE ? null : completion.sessionId();
        Object requestId = request.getProperty(RequestIdFilter.PROPERTY);
        TurnOutput output;
        CompletableFuture<Response> answer;
        if (completion.stream()) {
            ChunkStream stream = new ChunkStream(translator, completion.includeUsage(), sessionHeaderOut);
            output = stream;
            answer = stream.response();
        } else {
            BufferedCompletion buffered = new BufferedCompletion(translator, sessionHeaderOut);
            output = buffered;
            answer = buffered.response();
        }
        RunningTurn turn;
        try {
            turn = chat.start(completion.chatBody(), completion.options(), output,
                    requestId == null ? null : requestId.toString(),
                    onGone -> ClientDisconnects.watch(servletRequest, onGone));
        } catch (RuntimeException e) {
            async.resume(e); // the admission's 4xx, mapped like any error and given the /v1 shape
            return;
        }
        if (completion.options().ephemeral()) {
            turn.finished().whenComplete((ignored, failure) -> deleteEphemeral(turn.sessionId()));
        }
        answer.thenAccept(async::resume);
    }

    private void deleteEphemeral(String sessionId) {
        try {
            history.deleteSession(sessionId);
        } catch (RuntimeException e) {
            LOG.warn("Could not delete the session of a stateless completion", e);
        }
    }

    private static List<ObjectNode> models(CatalogSnapshot snapshot) {
        return snapshot == null || snapshot.models() == null ? List.of() : snapshot.models();
    }

    /** One catalogue entry in OpenAI's model shape. */
    private ObjectNode model(JsonNode entry) {
        String id = entry.path("id").asText();
        ObjectNode model = mapper.createObjectNode();
        model.put("id", id);
        model.put("object", "model");
        model.put("created", entry.path("created").asLong(0));
        int slash = id.indexOf('/');
        model.put("owned_by", slash > 0 ? id.substring(0, slash) : "orchat");
        return model;
    }

    private static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
