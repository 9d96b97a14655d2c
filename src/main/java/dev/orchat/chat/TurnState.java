package dev.orchat.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Per-turn values shared by the relay, its hops and its tool rounds. Sums are only touched by the relay thread. */
final class TurnState {
    private final RunningTurn turn;
    private final EventStream events;
    private final ObjectMapper mapper;
    private final String clientAssistantMessageId;
    private final String parentClientMessageId;
    private Double turnCost;
    private long promptTokens;
    private long completionTokens;
    private long reasoningTokens;

    TurnState(RunningTurn turn, EventStream events, ObjectMapper mapper, String clientAssistantMessageId,
              String parentClientMessageId) {
        this.turn = turn;
        this.events = events;
        this.mapper = mapper;
        this.clientAssistantMessageId = clientAssistantMessageId;
        this.parentClientMessageId = parentClientMessageId;
    }

    RunningTurn turn() { return turn; }
    EventStream events() { return events; }
    String sessionId() { return turn.sessionId(); }
    String clientAssistantMessageId() { return clientAssistantMessageId; }
    String parentClientMessageId() { return parentClientMessageId; }
    Double turnCost() { return turnCost; }
    long promptTokens() { return promptTokens; }
    long completionTokens() { return completionTokens; }
    long reasoningTokens() { return reasoningTokens; }

    void addHopUsage(Double cost, Long prompt, Long completion, Long reasoning) {
        if (cost != null) {
            turnCost = turnCost == null ? cost : turnCost + cost;
        }
        promptTokens += prompt == null ? 0 : prompt;
        completionTokens += completion == null ? 0 : completion;
        reasoningTokens += reasoning == null ? 0 : reasoning;
    }

    /** Sends a JSON event; a failed write means the client left, which cancels the turn. */
    boolean send(String name, JsonNode data) {
        String text;
        try {
            text = mapper.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (events.send(name, text)) {
            return true;
        }
        turn.cancel(CancelReason.CLIENT_DISCONNECT);
        return false;
    }
}
