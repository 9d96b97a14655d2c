package dev.orchat.chat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * How a turn started by another front door differs from a chat-stream turn (docs/api.md, "OpenAI-compatible
 * API").
 *
 * @param clientHistory the messages the client sent, forwarded upstream as they are and followed by this turn's
 *                      own hops and tool results; no system prompt or date line is added. Null: the payload is
 *                      built from the stored session (the chat stream)
 * @param clientTools   tool definitions of the client, offered instead of the MCP tools; the model's calls end
 *                      the turn and go back to the client unexecuted. Null: the MCP tools run server-side
 * @param serverTools   whether the MCP tools are offered at all (when {@code clientTools} is null)
 * @param ephemeral     the session exists only for this turn and is deleted after it: no title is made for it
 */
public record TurnOptions(ArrayNode clientHistory, List<ObjectNode> clientTools, boolean serverTools,
                          boolean ephemeral) {
    /** A turn of {@code POST /api/chat/stream}. */
    public static final TurnOptions CHAT_STREAM = new TurnOptions(null, null, true, false);
}
