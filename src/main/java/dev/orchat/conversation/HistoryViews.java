package dev.orchat.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** JSON views of stored rows: SessionSummary and MessageView (docs/api.md §2). */
public final class HistoryViews {
    private final ObjectMapper mapper;

    public HistoryViews(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public ObjectNode object() {
        return mapper.createObjectNode();
    }

    public ObjectNode session(SessionRow row) {
        ObjectNode out = mapper.createObjectNode();
        out.put("id", row.id());
        out.put("title", row.title());
        out.put("title_source", row.titleSource());
        out.put("created_at", row.createdAt());
        out.put("updated_at", row.updatedAt());
        out.put("message_count", row.messageCount());
        out.put("last_model", row.lastModel());
        out.put("total_cost", row.totalCost());
        out.put("active_turn_id", row.activeTurnId());
        return out;
    }

    public ObjectNode runningTurn(ActiveTurns.RunningTurnView turn) {
        ObjectNode out = mapper.createObjectNode();
        out.put("turn_id", turn.turnId());
        out.put("last_event_id", turn.lastEventId());
        out.put("status", turn.status());
        return out;
    }

    public ObjectNode message(MessageRow row) {
        ObjectNode out = mapper.createObjectNode();
        out.put("id", row.id());
        out.put("role", row.role());
        out.put("position", row.position());
        out.put("turn_id", row.turnId());
        out.put("status", row.status());
        out.put("created_at", row.createdAt());
        putIfSet(out, "client_message_id", row.clientMessageId());
        putIfSet(out, "parent_client_message_id", row.parentClientMessageId());
        if ("parts".equals(row.contentKind())) {
            out.set("content", parse(row.content()));
        } else {
            out.put("content", row.content());
        }
        switch (row.role()) {
            case "user", "system" -> {
                putIfSet(out, "name", row.name());
                if (row.extra() != null) {
                    out.set("extra", parse(row.extra()));
                }
                if ("user".equals(row.role())) {
                    out.putArray("attachments");
                }
            }
            case "assistant" -> {
                if (row.hasToolCalls()) {
                    out.set("tool_calls", parse(row.toolCalls()));
                }
                out.put("model", row.model());
                out.put("finish_reason", row.finishReason());
                out.put("generation_id", row.generationId());
                out.set("usage", parse(row.usage()));
                if (row.cost() == null) {
                    out.putNull("cost");
                } else {
                    out.put("cost", row.cost());
                }
                out.set("reasoning", parse(row.reasoning()));
            }
            case "tool" -> {
                out.put("tool_call_id", row.toolCallId());
                out.put("tool_name", row.toolName());
                out.put("is_error", row.isError());
                out.put("synthetic", row.synthetic());
                JsonNode meta = parse(row.meta());
                // How the person decided about the call (docs/api.md §3.7), shown only when there was a decision.
                for (String key : new String[] {"approval", "elicitations"}) {
                    if (meta.has(key)) {
                        out.set(key, meta.get(key));
                    }
                }
            }
            default -> { }
        }
        return out;
    }

    private static void putIfSet(ObjectNode out, String key, String value) {
        if (value != null) {
            out.put(key, value);
        }
    }

    private JsonNode parse(String json) {
        if (json == null) {
            return mapper.nullNode();
        }
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            return mapper.getNodeFactory().textNode(json);
        }
    }
}
