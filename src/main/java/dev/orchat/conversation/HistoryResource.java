package dev.orchat.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.web.ApiException;
import dev.orchat.web.PublicUrls;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/** The history routes of docs/api.md §2 */
@Path("/api/chat")
@Produces(MediaType.APPLICATION_JSON)
public final class HistoryResource {
    private final Jdbi jdbi;
    private final HistoryService history;
    private final HistoryViews views;
    private final AttachmentRefs refs;
    private final PublicUrls urls;

    public HistoryResource(Jdbi jdbi, HistoryService history, HistoryViews views, AttachmentRefs refs, PublicUrls urls) {
        this.jdbi = jdbi;
        this.history = history;
        this.views = views;
        this.refs = refs;
        this.urls = urls;
    }

    @GET
    @Path("/sessions{slash: /?}")
    public ObjectNode list(@QueryParam("limit") String limitParam, @QueryParam("cursor") String cursor,
                           @QueryParam("q") String q, @QueryParam("include_empty") String includeEmptyParam) {
        int limit = intParam("limit", limitParam, 50, 1, 200);
        boolean includeEmpty = boolParam("include_empty", includeEmptyParam);
        String cursorUpdated = null;
        String cursorId = null;
        if (cursor != null && !cursor.isEmpty()) {
            String[] parts = decodeCursor(cursor);
            cursorUpdated = parts[0];
            cursorId = parts[1];
        }
        String pattern = q == null || q.isBlank() ? null
                : "%" + q.strip().toLowerCase().replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
        String cu = cursorUpdated;
        String ci = cursorId;
        List<SessionRow> rows = jdbi.withExtension(SessionDao.class,
                dao -> dao.page(pattern, includeEmpty, cu, ci, limit + 1));
        ObjectNode result = views.object();
        ArrayNode sessions = result.putArray("sessions");
        rows.stream().limit(limit).forEach(r -> sessions.add(views.session(r)));
        if (rows.size() > limit) {
            SessionRow last = rows.get(limit - 1);
            result.put("next_cursor", encodeCursor(last.updatedAt(), last.id()));
        } else {
            result.putNull("next_cursor");
        }
        return result;
    }

    @GET
    @Path("/session/{sessionId}")
    public ObjectNode read(@PathParam("sessionId") String sessionId, @QueryParam("limit") String limitParam,
                           @QueryParam("before") String beforeParam, @Context UriInfo uri,
                           @Context HttpHeaders headers) {
        SessionRow session = find(sessionId);
        Integer limit = limitParam == null ? null : intParam("limit", limitParam, 0, 1, 1000);
        List<MessageRow> all = jdbi.withExtension(MessageDao.class, dao -> dao.bySession(sessionId));
        if (beforeParam != null) {
            long before = intParam("before", beforeParam, 0, 1, Integer.MAX_VALUE);
            int position = all.stream().filter(m -> m.id() == before).map(MessageRow::position).findFirst()
                    .orElseThrow(() -> ApiException.notFound("Message not found"));
            all = all.stream().filter(m -> m.position() < position).toList();
        }
        boolean hasMore = false;
        if (limit != null && all.size() > limit) {
            all = all.subList(all.size() - limit, all.size());
            hasMore = true;
        }
        ObjectNode result = views.object();
        result.set("session", views.session(session));
        // Where a reloaded page attaches to the answer still being written (docs/api.md §3.6).
        result.set("running_turn", history.runningTurn(sessionId).map(views::runningTurn).orElse(null));
        ArrayNode messages = result.putArray("messages");
        Map<Long, List<MessageAttachment>> attached = jdbi.withExtension(MessageDao.class,
                dao -> dao.attachmentsBySession(sessionId)).stream()
                .collect(Collectors.groupingBy(MessageAttachment::messageId));
        String base = attached.isEmpty() ? null : urls.base(uri, headers);
        for (MessageRow m : all) {
            ObjectNode view = views.message(m);
            if ("user".equals(m.role())) {
                // Attachment URLs are signed afresh on every read (docs/api.md §2).
                view.set("attachments", refs.refs(attached.getOrDefault(m.id(), List.of()), base));
            }
            messages.add(view);
        }
        result.put("has_more", hasMore);
        return result;
    }

    @PATCH
    @Path("/session/{sessionId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ObjectNode rename(@PathParam("sessionId") String sessionId, JsonNode body) {
        find(sessionId);
        if (body == null || !body.isObject()) {
            throw ApiException.invalid(List.of("body"), "Input should be a valid dictionary", "dict_type");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!field.equals("title")) {
                throw ApiException.invalid(List.of("body", field), "Extra inputs are not permitted", "extra_forbidden");
            }
        }
        if (!body.has("title")) {
            throw ApiException.invalid(List.of("body", "title"), "Field required", "missing");
        }
        JsonNode title = body.get("title");
        String value = null;
        if (!title.isNull()) {
            if (!title.isTextual() || title.asText().strip().isEmpty() || title.asText().strip().length() > 200) {
                throw ApiException.invalid(List.of("body", "title"), "Title must be a string of 1 to 200 characters",
                        "string_type");
            }
            value = title.asText().strip();
        }
        return views.session(history.rename(sessionId, value));
    }

    @DELETE
    @Path("/session/{sessionId}")
    public Response delete(@PathParam("sessionId") String sessionId) {
        if (!SessionIds.isValid(sessionId) || !history.deleteSession(sessionId)) {
            throw ApiException.notFound("Session not found");
        }
        return Response.noContent().build();
    }

    @DELETE
    @Path("/session/{sessionId}/messages/{ref}")
    public Response deleteMessage(@PathParam("sessionId") String sessionId, @PathParam("ref") String ref) {
        if (!SessionIds.isValid(sessionId)) {
            throw ApiException.notFound("Session not found");
        }
        if (ref.isEmpty() || ref.length() > 128) {
            throw ApiException.notFound("Message not found");
        }
        history.deleteMessage(sessionId, ref);
        return Response.noContent().build();
    }

    private SessionRow find(String sessionId) {
        if (!SessionIds.isValid(sessionId)) {
            throw ApiException.notFound("Session not found");
        }
        return jdbi.withExtension(SessionDao.class, dao -> dao.find(sessionId))
                .orElseThrow(() -> ApiException.notFound("Session not found"));
    }

    private static int intParam(String name, String raw, int fallback, int min, int max) {
        if (raw == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.invalid(List.of("query", name), "Input should be an integer between " + min + " and " + max,
                "int_parsing");
    }

    private static boolean boolParam(String name, String raw) {
        if (raw == null) {
            return false;
        }
        return switch (raw.strip().toLowerCase()) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw ApiException.invalid(List.of("query", name), "Input should be a valid boolean", "bool_parsing");
        };
    }

    static String encodeCursor(String updatedAt, String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((updatedAt + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    static String[] decodeCursor(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = text.split("\\|", 2);
            if (parts.length == 2 && SessionIds.isValid(parts[1]) && !parts[0].isEmpty()) {
                return parts;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw ApiException.badRequest("Invalid cursor");
    }
}
