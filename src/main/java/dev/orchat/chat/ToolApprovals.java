package dev.orchat.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.conversation.ConversationStore;
import dev.orchat.conversation.ToolCall;
import dev.orchat.mcp.Elicitor;
import dev.orchat.mcp.PausableDeadline;
import dev.orchat.mcp.ToolPolicy;
import dev.orchat.mcp.ToolRegistry;
import dev.orchat.web.ApiException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The person's say over tool calls (docs/api.md §3.7): each call's policy ({@code allow}, {@code ask}, {@code deny},
 * from the MCP server file or the defaults), decisions remembered for a session, the wait for an approval, the
 * answers of the approval and elicitation routes, and what is stored with the call's result.
 */
final class ToolApprovals {
    static final String DECLINED = "The user declined this tool call.";
    static final String NO_ANSWER = "No answer to the approval request.";
    private static final Logger LOG = LoggerFactory.getLogger(ToolApprovals.class);
    private final ToolRegistry tools;
    private final ConversationStore store;
    private final ObjectMapper mapper;
    /** {@code remember: session}: decisions by session id, then by the tool's name (kept in memory only). */
    private final Map<String, Map<String, String>> bySession = new ConcurrentHashMap<>();

    ToolApprovals(ToolRegistry tools, ConversationStore store, ObjectMapper mapper) {
        this.tools = tools;
        this.store = store;
        this.mapper = mapper;
    }

    /**
     * What is known about one call before it runs: its policy, the decision already taken (null: ask the person),
     * and what is stored with its result. {@code deadline} pauses while the person is asked for input.
     */
    static final class CallRecord {
        final ToolRegistry.Approval approval;
        final ObjectNode meta;
        final PausableDeadline deadline = new PausableDeadline();
        String verdict;

        CallRecord(ToolRegistry.Approval approval, ObjectNode meta) {
            this.approval = approval;
            this.meta = meta;
        }

        boolean ask() {
            return verdict == null;
        }

        boolean runs() {
            return "allow".equals(verdict);
        }

        /** The meta JSON stored with the result, or null when there is nothing to say. */
        synchronized String metaJson() {
            return meta.isEmpty() ? null : meta.toString();
        }
    }

    /** The policy of a call and, unless the person must be asked, the decision. */
    CallRecord gate(TurnState state, ToolCall call) {
        ToolRegistry.Approval approval = tools.approval(call.name());
        CallRecord record = new CallRecord(approval, mapper.createObjectNode());
        if (approval.policy() == ToolPolicy.ALLOW) {
            record.verdict = "allow";
        } else if (approval.policy() == ToolPolicy.DENY) {
            decided(record, "deny", "policy", null);
        } else {
            String remembered = bySession.getOrDefault(state.sessionId(), Map.of()).get(call.name());
            if (remembered != null) {
                decided(record, remembered, "session", "session");
            } else if (state.turn().log() == null) {
                // A turn of another front door (docs/api.md §5) has no one who could answer.
                decided(record, "timeout", "no_client", null);
            }
        }
        return record;
    }

    /** The result text of a call that does not run. */
    static String refusal(CallRecord record) {
        return "deny".equals(record.verdict) ? DECLINED : NO_ANSWER;
    }

    /**
     * Announces the call and waits for the person, at most {@code mcp.approvalTimeout}; the turn is
     * {@code awaiting_approval} meanwhile. Throws InterruptedException when the turn is cancelled.
     */
    void await(TurnState state, ToolCall call, CallRecord record) throws InterruptedException {
        TurnDecisions decisions = state.turn().decisions();
        TurnDecisions.PendingApproval pending = decisions.openApproval(call.id(), call.name());
        decisions.enter(awaiting -> awaitingChanged(state, awaiting));
        try {
            state.events().emit(new ChatStreamEvent.Approval(call.id(), call.name(), record.approval.serverId(),
                    arguments(call), reason(record.approval)));
            TurnDecisions.Decision decision = pending.answer().get(tools.approvalTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
            decided(record, decision.decision(), "user", decision.remember());
        } catch (TimeoutException | ExecutionException e) {
            decided(record, "timeout", "timeout", null);
        } finally {
            decisions.closeApproval(call.id());
            decisions.leave(awaiting -> awaitingChanged(state, awaiting));
        }
    }

    /** Where the call's server sends its requests for input: an event, then the answer of the route. */
    Elicitor elicitor(TurnState state, ToolCall call, CallRecord record) {
        if (state.turn().log() == null) {
            return Elicitor.NONE;
        }
        TurnDecisions decisions = state.turn().decisions();
        return request -> {
            String id = UUID.randomUUID().toString().replace("-", "");
            TurnDecisions.PendingElicitation pending = decisions.openElicitation(id, call.id(),
                    request.url() == null ? request.requestedSchema() : null);
            record.deadline.pause();
            decisions.enter(awaiting -> awaitingChanged(state, awaiting));
            state.events().emit(new ChatStreamEvent.Elicitation(id, call.id(), request.serverId(), request.message(),
                    request.url() == null ? request.requestedSchema() : null, request.url()));
            CompletableFuture<Elicitor.Answer> answer = pending.answer()
                    .completeOnTimeout(Elicitor.Answer.CANCEL, tools.approvalTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return answer.whenComplete((a, e) -> {
                decisions.closeElicitation(id);
                synchronized (record) {
                    ArrayNode list = record.meta.has("elicitations") ? (ArrayNode) record.meta.get("elicitations")
                            : record.meta.putArray("elicitations");
                    list.addObject().put("elicitation_id", id).put("message", request.message())
                            .put("action", a == null ? "cancel" : a.action());
                }
                record.deadline.resume();
                decisions.leave(awaiting -> awaitingChanged(state, awaiting));
            });
        };
    }

    /**
     * The approval route: completes the call's wait. {@code always} writes the policy into the server file first,
     * {@code session} remembers it for the session's later calls of that tool.
     */
    void decide(RunningTurn turn, String callId, TurnDecisions.Decision decision) {
        TurnDecisions.PendingApproval pending = turn.decisions().approval(callId)
                .orElseThrow(() -> ApiException.conflict("No approval is pending for this call"));
        if ("session".equals(decision.remember())) {
            bySession.computeIfAbsent(turn.sessionId(), k -> new ConcurrentHashMap<>()).put(pending.tool(),
                    decision.decision());
        } else if ("always".equals(decision.remember())) {
            try {
                tools.rememberPolicy(pending.tool(), ToolPolicy.parse(decision.decision()));
            } catch (IOException e) {
                LOG.error("Could not write the policy of {} into the MCP server file", pending.tool(), e);
                throw new ApiException(500, "Could not save the tool's policy");
            }
        }
        pending.answer().complete(decision);
    }

    /** The elicitation route: checks the content against the schema (422 with the field errors), then answers. */
    void answer(RunningTurn turn, String elicitationId, Elicitor.Answer answer) {
        TurnDecisions.PendingElicitation pending = turn.decisions().elicitation(elicitationId)
                .orElseThrow(() -> ApiException.notFound("Elicitation not found"));
        if ("accept".equals(answer.action()) && pending.schema() != null) {
            List<Map<String, Object>> errors = ElicitationSchema.validate(pending.schema(), answer.content());
            if (!errors.isEmpty()) {
                throw new ApiException(422, errors);
            }
        }
        pending.answer().complete(answer);
    }

    /** Forgets the session's remembered decisions (the session was deleted). */
    void forgetSession(String sessionId) {
        bySession.remove(sessionId);
    }

    private void decided(CallRecord record, String decision, String source, String remember) {
        record.verdict = decision;
        ObjectNode approval = record.meta.putObject("approval");
        approval.put("decision", decision);
        approval.put("source", source);
        if (remember != null) {
            approval.put("remember", remember);
        }
    }

    private void awaitingChanged(TurnState state, boolean awaiting) {
        // A cancel interrupts the waiting worker; the flag must not stop this write (the stored status).
        boolean interrupted = Thread.interrupted();
        try {
            store.setAwaitingApproval(state.turnId(), awaiting);
        } catch (RuntimeException e) {
            LOG.warn("Could not store the status of turn {}", state.turnId(), e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        TurnEventLog log = state.turn().log();
        if (!awaiting && log != null) {
            log.decisionsSettled();
        }
    }

    private JsonNode arguments(ToolCall call) {
        String text = call.arguments() == null ? "" : call.arguments();
        try {
            JsonNode parsed = text.isBlank() ? mapper.createObjectNode() : mapper.readTree(text);
            return parsed == null ? mapper.getNodeFactory().textNode(text) : parsed;
        } catch (IOException e) {
            return mapper.getNodeFactory().textNode(text);
        }
    }

    private static String reason(ToolRegistry.Approval approval) {
        return switch (approval.source() == null ? ToolPolicy.Source.TOOL_POLICIES : approval.source()) {
            case TOOL_POLICIES -> "The tool's policy is \"ask\".";
            case DEFAULT_POLICY -> "The server's default policy is \"ask\".";
            case BUILTIN -> "This tool changes data or sends something on your behalf.";
            case ANNOTATION -> "The server does not mark this tool as read-only.";
        };
    }
}
