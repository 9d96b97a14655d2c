package dev.orchat.chat;

import dev.orchat.conversation.ConversationStore;
import dev.orchat.conversation.HopOutcome;
import dev.orchat.settings.SettingsSnapshot;

/**
 * One running turn as its loop, hops and tool rounds see it: the live turn, its event emitter, what was asked
 * and the sums so far. Sums are only touched by the turn's own thread.
 */
final class TurnState {
    private final RunningTurn turn;
    private final TurnEvents events;
    private final ChatRequest request;
    private final String model;
    private final SettingsSnapshot settings;
    private final ConversationStore.TurnRef ref;
    private Double turnCost;
    private long promptTokens;
    private long completionTokens;
    private long reasoningTokens;

    TurnState(RunningTurn turn, TurnEvents events, ChatRequest request, String model, SettingsSnapshot settings) {
        this.turn = turn;
        this.events = events;
        this.request = request;
        this.model = model;
        this.settings = settings;
        String parent = request.clientParentMessageId() != null ? request.clientParentMessageId()
                : request.lastUserClientMessageId();
        this.ref = new ConversationStore.TurnRef(turn.sessionId(), turn.turnId(), request.clientAssistantMessageId(),
                parent);
    }

    RunningTurn turn() { return turn; }
    TurnEvents events() { return events; }
    ChatRequest request() { return request; }
    String model() { return model; }
    SettingsSnapshot settings() { return settings; }
    ConversationStore.TurnRef ref() { return ref; }
    String sessionId() { return turn.sessionId(); }
    String turnId() { return turn.turnId(); }
    Double turnCost() { return turnCost; }
    long promptTokens() { return promptTokens; }
    long completionTokens() { return completionTokens; }
    long reasoningTokens() { return reasoningTokens; }

    void addHopUsage(HopOutcome.Usage usage) {
        if (usage.cost() != null) {
            turnCost = turnCost == null ? usage.cost() : turnCost + usage.cost();
        }
        promptTokens += usage.promptTokens() == null ? 0 : usage.promptTokens();
        completionTokens += usage.completionTokens() == null ? 0 : usage.completionTokens();
        reasoningTokens += usage.reasoningTokens() == null ? 0 : usage.reasoningTokens();
    }
}
