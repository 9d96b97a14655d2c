package dev.orchat.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchat.conversation.SessionIds;
import dev.orchat.mcp.Elicitor;
import dev.orchat.web.ApiException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The person's answers to a running turn (docs/api.md §3.7): the bodies of {@code POST
 * /api/chat/turns/{turn_id}/approvals} and {@code POST /api/chat/turns/{turn_id}/elicitations/{elicitation_id}},
 * checked, then handed to the turn. Any client may answer, attached or not. The routes themselves are in
 * {@link ChatResource}: a second root resource under {@code /api/chat/turns/{id}} would win JAX-RS matching over
 * the events route and hide it.
 */
final class TurnAnswers {
    private static final Set<String> DECISIONS = Set.of("allow", "deny");
    private static final Set<String> REMEMBER = Set.of("once", "session", "always");
    private static final Set<String> ACTIONS = Set.of("accept", "decline", "cancel");
    private final TurnLogs logs;
    private final ToolApprovals approvals;

    TurnAnswers(TurnLogs logs, ToolApprovals approvals) {
        this.logs = logs;
        this.approvals = approvals;
    }

    Map<String, Object> approve(String turnId, JsonNode body) {
        List<Map<String, Object>> errors = new ArrayList<>();
        requireObject(body, Set.of("call_id", "decision", "remember"), errors);
        String callId = text(body, "call_id", null, true, errors);
        String decision = oneOf(body, "decision", DECISIONS, null, errors);
        String remember = oneOf(body, "remember", REMEMBER, "once", errors);
        if (!errors.isEmpty()) {
            throw new ApiException(422, errors);
        }
        approvals.decide(running(turnId), callId, new TurnDecisions.Decision(decision, remember));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("turn_id", turnId);
        out.put("call_id", callId);
        out.put("decision", decision);
        out.put("remember", remember);
        return out;
    }

    Map<String, Object> answer(String turnId, String elicitationId, JsonNode body) {
        List<Map<String, Object>> errors = new ArrayList<>();
        requireObject(body, Set.of("action", "content"), errors);
        String action = oneOf(body, "action", ACTIONS, null, errors);
        JsonNode content = body == null ? null : body.get("content");
        if (content != null && !content.isNull() && !content.isObject()) {
            errors.add(error(List.of("body", "content"), "Input should be a valid dictionary", "dict_type"));
        }
        if (!errors.isEmpty()) {
            throw new ApiException(422, errors);
        }
        approvals.answer(running(turnId), elicitationId,
                new Elicitor.Answer(action, content == null || content.isNull() ? null : content));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("turn_id", turnId);
        out.put("elicitation_id", elicitationId);
        out.put("action", action);
        return out;
    }

    private RunningTurn running(String turnId) {
        if (!SessionIds.isValid(turnId)) {
            throw ApiException.notFound("Turn not found");
        }
        TurnEventLog log = logs.find(turnId).orElseThrow(() -> ApiException.notFound("Turn not found"));
        if (log.isEnded()) {
            throw ApiException.conflict("The turn has ended");
        }
        return log.turn();
    }

    private static void requireObject(JsonNode body, Set<String> known, List<Map<String, Object>> errors) {
        if (body == null || !body.isObject()) {
            errors.add(error(List.of("body"), "Input should be a valid dictionary", "dict_type"));
            return;
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                errors.add(error(List.of("body", key), "Extra inputs are not permitted", "extra_forbidden"));
            }
        }
    }

    private static String text(JsonNode body, String key, String fallback, boolean required,
                               List<Map<String, Object>> errors) {
        JsonNode value = body == null ? null : body.get(key);
        if (value == null || value.isNull()) {
            if (required && body != null && body.isObject()) {
                errors.add(error(List.of("body", key), "Field required", "missing"));
            }
            return fallback;
        }
        if (!value.isTextual() || value.textValue().isEmpty()) {
            errors.add(error(List.of("body", key), "Input should be a valid string", "string_type"));
            return fallback;
        }
        return value.textValue();
    }

    private static String oneOf(JsonNode body, String key, Set<String> allowed, String fallback,
                                List<Map<String, Object>> errors) {
        String value = text(body, key, fallback, fallback == null, errors);
        if (value != null && !allowed.contains(value)) {
            errors.add(error(List.of("body", key), "Input should be one of " + new java.util.TreeSet<>(allowed),
                    "enum"));
            return fallback;
        }
        return value;
    }

    private static Map<String, Object> error(List<Object> loc, String msg, String type) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("loc", loc);
        out.put("msg", msg);
        out.put("type", type);
        return out;
    }
}
