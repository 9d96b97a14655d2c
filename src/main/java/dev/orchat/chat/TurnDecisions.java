package dev.orchat.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchat.mcp.Elicitor;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What one turn waits for from the person (docs/api.md §3.7): approvals by call id, elicitations by their id, and
 * how many waits are open. While at least one is open the turn is {@code awaiting_approval} and the detach grace
 * does not run ({@link TurnLogs}); the change of that state is reported under this object's lock, so the stored
 * status follows the waits in order.
 */
final class TurnDecisions {
    /** The person's answer to an approval: {@code allow} or {@code deny}, remembered {@code once}, for the {@code session} or {@code always}. */
    record Decision(String decision, String remember) {
    }

    /** An approval that waits; {@code tool} is the name the model used. */
    record PendingApproval(String callId, String tool, CompletableFuture<Decision> answer) {
    }

    /** An elicitation that waits; {@code schema} is null in URL mode. */
    record PendingElicitation(String id, String callId, JsonNode schema, CompletableFuture<Elicitor.Answer> answer) {
    }

    private final Map<String, PendingApproval> approvals = new ConcurrentHashMap<>();
    private final Map<String, PendingElicitation> elicitations = new ConcurrentHashMap<>();
    private int open;

    PendingApproval openApproval(String callId, String tool) {
        PendingApproval pending = new PendingApproval(callId, tool, new CompletableFuture<>());
        approvals.put(callId, pending);
        return pending;
    }

    Optional<PendingApproval> approval(String callId) {
        return Optional.ofNullable(approvals.get(callId));
    }

    void closeApproval(String callId) {
        approvals.remove(callId);
    }

    PendingElicitation openElicitation(String id, String callId, JsonNode schema) {
        PendingElicitation pending = new PendingElicitation(id, callId, schema, new CompletableFuture<>());
        elicitations.put(id, pending);
        return pending;
    }

    Optional<PendingElicitation> elicitation(String id) {
        return Optional.ofNullable(elicitations.get(id));
    }

    void closeElicitation(String id) {
        elicitations.remove(id);
    }

    /** A call ended: its elicitations still open are answered {@code cancel}. */
    void cancelElicitations(String callId) {
        elicitations.values().stream().filter(e -> e.callId().equals(callId))
                .forEach(e -> e.answer().complete(Elicitor.Answer.CANCEL));
    }

    /** A wait begins; the first one reports {@code true}. */
    synchronized void enter(Consumer<Boolean> awaitingChanged) {
        if (open++ == 0) {
            awaitingChanged.accept(true);
        }
    }

    /** A wait ends; the last one reports {@code false}. */
    synchronized void leave(Consumer<Boolean> awaitingChanged) {
        if (open > 0 && --open == 0) {
            awaitingChanged.accept(false);
        }
    }

    synchronized boolean awaiting() {
        return open > 0;
    }
}
