package dev.orchat.mcp.external;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.mcp.Elicitor;
import dev.orchat.mcp.PausableDeadline;
import dev.orchat.mcp.ToolRegistry.ToolContext;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import reactor.core.publisher.Mono;

/**
 * Where one server's requests for input go (docs/api.md §3.7). MCP does not say over stdio which of our calls a
 * request belongs to, so it goes to the oldest call in flight on the server; with none, or none that can ask, it is
 * cancelled. The call's deadline pauses while the person is asked.
 */
final class ElicitationRouter {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    /** Calls under way with who asked, oldest first. */
    private final Deque<Asker> askers = new ConcurrentLinkedDeque<>();
    private final ObjectMapper mapper;

    /** A call in flight: where its elicitations go, and its deadline that pauses while the person is asked. */
    record Asker(Elicitor elicitor, PausableDeadline deadline) {
    }

    ElicitationRouter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A call starts: from now its server's requests may go to its person. */
    Asker begin(ToolContext context) {
        Asker asker = new Asker(context == null ? Elicitor.NONE : context.elicitor(), new PausableDeadline());
        askers.addLast(asker);
        return asker;
    }

    void end(Asker asker) {
        askers.remove(asker);
    }

    Mono<McpSchema.ElicitResult> elicit(Elicitor.Request request) {
        Asker asker = askers.peekFirst();
        if (asker == null) {
            return Mono.just(new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.CANCEL, null));
        }
        asker.deadline().pause();
        return Mono.fromFuture(asker.elicitor().ask(request))
                .map(answer -> {
                    McpSchema.ElicitResult.Action action = switch (answer.action()) {
                        case "accept" -> McpSchema.ElicitResult.Action.ACCEPT;
                        case "decline" -> McpSchema.ElicitResult.Action.DECLINE;
                        default -> McpSchema.ElicitResult.Action.CANCEL;
                    };
                    Map<String, Object> content = answer.content() == null || action != McpSchema.ElicitResult.Action.ACCEPT
                            ? null : mapper.convertValue(answer.content(), MAP);
                    return new McpSchema.ElicitResult(action, content);
                })
                .doFinally(signal -> asker.deadline().resume());
    }
}
